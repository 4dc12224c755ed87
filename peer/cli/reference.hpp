// What the headless front door prints and how it ends, as data: one source
// for --help's footer, the man page and the README's tables to agree with.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/headless.hpp"

namespace attune::cli {

struct EventInfo {
  std::string_view name;    // The "event" field of the JSON line.
  std::string_view fields;  // The other fields it carries.
  std::string_view when;    // When it is printed, in plain words.
};

// Every event a headless device prints on stdout, in the README's order.
const std::vector<EventInfo>& event_list();

// What an exit code means, in a few words; empty for numbers Attune never uses.
std::string_view exit_code_meaning(ExitCode code);

// Every exit code Attune uses, smallest first.
std::vector<ExitCode> exit_codes();

// "Exit codes (--headless): 0 ...; 1 ...": the footer of --help.
std::string exit_code_summary();

}  // namespace attune::cli
