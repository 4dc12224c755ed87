// attune's command line, defined once: main() parses with it, and the man
// page and bash completion are generated from the same definition, so they
// can't drift from --help.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "cli/invite_command.hpp"
#include "cli/journal_command.hpp"
#include "cli/prepare_command.hpp"
#include "cli/reminder_command.hpp"
#include "node.hpp"

namespace attune::cli {

struct CliValues {
  bool headless = false;
  std::string data_dir;
  bool verbose = false;
  bool fresh_start = false;
  bool demo = false;
  uint32_t heartbeat_ms = 1000;  // Tests shorten liveness timing (hidden).
  uint32_t silence_ms = 5000;
  NodeOptions options;
  std::string name;
  std::string host_role = "partner-a";
  std::string join_role = "partner-b";
  std::string host_target;
  uint32_t protocol_version = 0;  // Lets tests pretend to be an incompatible build (hidden).
  uint32_t code_lifetime_ms = 0;  // Tests shorten a pairing code's life (hidden).
  std::string forget_id;
  bool no_announce = false;         // host: stay off the LAN's "sessions nearby".
  bool discovery_loopback = false;  // Tests: announce on loopback only (hidden).
  // Reviews and the package check: F12 saves the window as a PNG; quit after a while (hidden).
  std::string screenshot_dir;
  std::string report_frames;
  std::string control;        // Commands appended here become window input (hidden test seam).
  bool no_discovery = false;  // Never browse or announce nearby (hidden; loopback tests).  // The window app appends what each window drew, as JSON lines (hidden).
  double exit_after_s = 0;
  // Tests: the reminders' clock moved on by this much (remind/remind_clock.hpp; hidden).
  int64_t clock_offset_ms = 0;
  // Tests: the window's postbox, partner beacons and nearby sessions stay on loopback (hidden).
  bool loopback_only = false;
  uint16_t discovery_port = 0;  // Tests: nearby sessions on a port of their own (hidden; 0: the usual).
  // Build time: print the man page / bash completion and exit (hidden).
  bool print_man = false;
  bool print_completion = false;

  CLI::App* host = nullptr;
  CLI::App* join = nullptr;
  CLI::App* devices = nullptr;
  CLI::App* forget = nullptr;
  JournalCli journal;  // `attune journal ...` (cli/journal_command.hpp).
  PrepareCli prepare;  // `attune prepare ...` (cli/prepare_command.hpp).
  ReminderCli reminder;  // `attune reminder ...` (cli/reminder_command.hpp).
  InviteCli invite;    // `attune invite ...` (cli/invite_command.hpp).
};

// Adds every option and subcommand of `attune` to app, bound to values.
void define_cli(CLI::App& app, CliValues& values);

// The man page attune(1), from app's definition plus the headless tables.
std::string attune_man_page(const CLI::App& app);

}  // namespace attune::cli
