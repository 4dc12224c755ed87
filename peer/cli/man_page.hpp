// Renders a man page (roff) and a bash completion script from a CLI11
// definition, so neither is written by hand next to --help. Options in the
// hidden group ("") are left out, as --help leaves them out.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

namespace attune::cli {

struct ManTableRow {
  std::string term;
  std::string text;
};

struct ManSection {
  ManSection(std::string t, std::string i, std::vector<ManTableRow> r = {})
      : title(std::move(t)), intro(std::move(i)), rows(std::move(r)) {}
  std::string title;  // e.g. "EXIT STATUS".
  std::string intro;  // A paragraph before the rows; may be empty.
  std::vector<ManTableRow> rows;
};

struct ManPage {
  std::string name;                      // The program, e.g. "attune".
  std::string version;                   // Shown in the page footer.
  std::string summary;                   // The NAME line after the dash.
  std::vector<std::string> description;  // Paragraphs of DESCRIPTION.
  std::vector<ManSection> sections;      // After OPTIONS and COMMANDS.
};

// Plain text made safe for roff (backslashes, leading dots, minus signs).
std::string roff_escape(const std::string& text);

std::string render_man_page(const CLI::App& app, const ManPage& page);

// A bash completion for app's subcommands and options. value_words maps an
// option (e.g. "--role") to the words it takes; options whose type is DIR
// complete folder names.
std::string render_bash_completion(const CLI::App& app,
                                   const std::map<std::string, std::string>& value_words);

}  // namespace attune::cli
