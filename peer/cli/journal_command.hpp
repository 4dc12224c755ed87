// `attune journal ...`: the private rupture journal from the command line.
// With --headless every answer is one JSON line (events listed in
// journal_event_list()); without it, plain sentences. Every command also
// brings the one gentle follow-up when one is due. Nothing here touches the
// network: the journal stays on this device.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/reference.hpp"

namespace attune::cli {

struct JournalCli {
  CLI::App* command = nullptr;
  CLI::App* add = nullptr;
  CLI::App* list = nullptr;
  CLI::App* repaired = nullptr;
  CLI::App* follow_up = nullptr;
  CLI::App* dismiss = nullptr;
  CLI::App* remove = nullptr;  // `journal delete ID`.
  std::string what;
  std::string size = "small";
  std::string when = "now";
  std::vector<std::string> underneath;
  int64_t id = 0;
  std::string session_id;
  bool talked_through = false;
  bool on = false;
  bool off = false;
  double gap_days = 0;
  int64_t now_ms = 0;  // Tests inject the clock (hidden); 0: the wall clock.
};

// Adds `journal` and its subcommands to app.
void define_journal_cli(CLI::App& app, JournalCli& values);

// Runs the parsed journal command against data_dir's journal. Returns a
// process exit code (see ExitCode).
int run_journal(const std::filesystem::path& data_dir, const JournalCli& values, bool json, std::ostream& out,
                std::ostream& err);

// The follow-up due now in data_dir's journal as a `journal_follow_up`
// event, taken (it comes once); nullopt when none is due or there is no
// journal. A headless peer prints it when it starts.
std::optional<nlohmann::json> take_journal_follow_up(const std::filesystem::path& data_dir, int64_t now_ms);

// The JSON events `attune --headless journal` prints.
const std::vector<EventInfo>& journal_event_list();

}  // namespace attune::cli
