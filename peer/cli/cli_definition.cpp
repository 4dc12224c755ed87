#include "cli/cli_definition.hpp"

#include <charconv>

#include "attune/text.hpp"
#include "attune/wire_codec.hpp"
#include "cli/command_parser.hpp"
#include "cli/man_page.hpp"
#include "cli/reference.hpp"

namespace attune::cli {

namespace {

// --clock-offset-ms (tests only): whole milliseconds, at most a year and a
// day either way, so the reminders' clock can never wrap.
CLI::Validator clock_offset_check() {
  constexpr int64_t kMaxOffsetMs = int64_t{366} * 86'400'000;
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int64_t ms = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, ms);
        if (text.empty() || ec != std::errc() || ptr != end || ms > kMaxOffsetMs || ms < -kMaxOffsetMs)
          return "--clock-offset-ms wants a whole number of milliseconds, at most " + std::to_string(kMaxOffsetMs) +
                 " either way (\"" + sanitize_display_text(text.substr(0, 40)) + "\" isn't)";
        return "";
      },
      "MS");
}

void define_subcommands(CLI::App& app, CliValues& v) {
  v.host = app.add_subcommand("host", "Host a session on this device (or resume the one stored here)");
  v.host->add_option("--name", v.name, "Your name as the others see it")->required()->type_name("NAME");
  v.host->add_option("--role", v.host_role, "Your seat: partner-a, partner-b or coach")
      ->capture_default_str()
      ->type_name("ROLE");
  v.host->add_option("--port", v.options.port, "Port to listen on (0 picks a free one)")
      ->default_val(0)
      ->type_name("PORT");
  v.host->add_option("--bind", v.options.bind_address, "Address to listen on")
      ->default_val("0.0.0.0")
      ->type_name("ADDRESS");
  v.host->add_option("--session-name", v.options.session_name, "A name for the session")->type_name("TEXT");
  v.host->add_option("--code-lifetime-ms", v.code_lifetime_ms)->group("")->check(CLI::Range(200u, 3600000u));
  v.host->add_flag("--full-sync", v.options.full_sync,
                   "Flush every change to disk (survives power loss; slower)");
  v.host->add_flag("--no-announce", v.no_announce,
                   "Don't show this session to devices nearby (they can still join by invite or address); "
                   "a host bound to a loopback address never announces");
  v.host->add_flag("--discovery-loopback", v.discovery_loopback)->group("");
  v.host->fallthrough();  // The global options may come after `host` too.

  v.join = app.add_subcommand("join", "Join a session hosted on another device");
  v.join
      ->add_option("address", v.host_target,
                   "The host, as address:port, or the invite it gave you (attune:...; it carries the code)")
      ->required()
      ->type_name("HOST:PORT|INVITE");
  v.join->add_option("--name", v.name, "Your name as the others see it")->required()->type_name("NAME");
  v.join->add_option("--role", v.join_role, "Your seat: partner-a, partner-b or coach")
      ->capture_default_str()
      ->type_name("ROLE");
  v.join
      ->add_option("--code", v.options.code, "The six-digit code shown on the host's screen (first pairing)")
      ->type_name("CODE");
  v.join->add_option("--protocol-version", v.protocol_version)->group("");
  v.join->fallthrough();

  v.devices = app.add_subcommand("devices", "List the devices this computer has paired with");
  v.devices->require_subcommand(0, 1);
  v.devices->fallthrough();  // `attune devices --data-dir D` reads as naturally as the other order.
  v.forget = v.devices->add_subcommand(
      "forget", "Forget a paired device, so it needs a code again (e.g. after it was set up anew)");
  v.forget->add_option("id", v.forget_id, "The device's id, or its first few characters")
      ->required()
      ->type_name("ID");
  v.forget->fallthrough();
}

}  // namespace

void define_cli(CLI::App& app, CliValues& v) {
  app.name("attune");  // Not argv[0]: the man page and completion say "attune".
  app.description("Attune: a calm, structured repair conversation for two partners (and an optional coach).");
  app.set_version_flag("--version", std::string("attune ") + ATTUNE_VERSION + " (protocol " +
                                        std::to_string(kWireProtocolVersion) + ")");
  app.require_subcommand(0, 1);
  app.footer(exit_code_summary());

  app.add_flag("--headless", v.headless, "Run without a window: commands on stdin, JSON lines on stdout");
  app.add_option("--data-dir", v.data_dir,
                 "Where this device keeps its data (default: $XDG_DATA_HOME/attune)")
      ->type_name("DIR");
  app.add_flag("-v,--verbose", v.verbose, "Log more detail to stderr");
  app.add_flag("--fresh-start", v.fresh_start,
               "Move this device's saved session file aside (kept, with a timestamp) and start anew; "
               "use it when Attune says the file is damaged");
  app.add_flag("--demo", v.demo, "Try it alone: two windows, a host and a partner, talking over loopback");
  app.add_option("--heartbeat-ms", v.heartbeat_ms)->group("")->check(CLI::Range(50u, 60000u));
  app.add_option("--silence-ms", v.silence_ms)->group("")->check(CLI::Range(200u, 600000u));
  app.add_option("--screenshot-dir", v.screenshot_dir)->group("");
  app.add_option("--report-frames", v.report_frames)->group("");
  app.add_option("--control", v.control)->group("");
  app.add_flag("--no-discovery", v.no_discovery)->group("");
  app.add_option("--clock-offset-ms", v.clock_offset_ms)->group("")->check(clock_offset_check());
  app.add_flag("--loopback-only", v.loopback_only)->group("");
  app.add_option("--discovery-port", v.discovery_port)->group("");
  app.add_option("--exit-after", v.exit_after_s)->group("")->check(CLI::Range(0.0, 86400.0));
  app.add_flag("--man", v.print_man)->group("");
  app.add_flag("--bash-completion", v.print_completion)->group("");
  define_subcommands(app, v);
  define_journal_cli(app, v.journal);
  define_prepare_cli(app, v.prepare);
  define_reminder_cli(app, v.reminder);
  define_invite_cli(app, v.invite);
}

std::string attune_man_page(const CLI::App& app) {
  ManPage page;
  page.name = "attune";
  page.version = std::string("attune ") + ATTUNE_VERSION;
  page.summary = "a calm, structured repair conversation for two partners";
  page.description = {
      "Attune walks two partners through a structured repair conversation after a rupture, each on their own "
      "computer, with an optional coach watching from a third. The devices find each other on the local "
      "network, pair once with a six-digit code, and keep one shared session in sync over an encrypted "
      "channel. Nothing is uploaded.",
      "Without --headless, attune opens the window app; attune host and attune join open it straight into "
      "that session. With --headless it runs without a window: it reads one command per line on stdin "
      "(HEADLESS COMMANDS below) and prints one JSON object per line on stdout (EVENTS below).",
      "The options --headless, --data-dir, -v and --fresh-start may come before or after host or join; join takes "
      "the host's address and port, or the invite (attune:...) it gave out.",
  };
  std::vector<ManTableRow> commands;
  for (const auto& c : command_list()) commands.push_back({std::string(c.usage), std::string(c.what)});
  page.sections.push_back(
      ManSection("HEADLESS COMMANDS", "With --headless, type one of these per line on stdin:", commands));
  std::vector<ManTableRow> events;
  std::vector<EventInfo> all_events = event_list();
  const auto& journal_events = journal_event_list();  // attune --headless journal ...
  all_events.insert(all_events.end(), journal_events.begin(), journal_events.end());
  const auto& prepare_events = prepare_event_list();  // attune --headless prepare ..., and a session's offer
  all_events.insert(all_events.end(), prepare_events.begin(), prepare_events.end());
  const auto& reminder_events = reminder_event_list();  // attune --headless reminder ...
  all_events.insert(all_events.end(), reminder_events.begin(), reminder_events.end());
  const auto& invite_events = invite_event_list();  // attune --headless invite ...
  all_events.insert(all_events.end(), invite_events.begin(), invite_events.end());
  for (const auto& e : all_events) {
    events.push_back(
        {std::string(e.name), "Fields: " + std::string(e.fields) + ". When: " + std::string(e.when) + "."});
  }
  page.sections.push_back(ManSection(
      "EVENTS",
      "With --headless, each line on stdout is a JSON object whose \"event\" field is one of:", events));
  std::vector<ManTableRow> codes;
  for (const ExitCode code : exit_codes()) {
    codes.push_back({std::to_string(static_cast<int>(code)), std::string(exit_code_meaning(code))});
  }
  page.sections.push_back(ManSection("EXIT STATUS", "", codes));
  page.sections.push_back(ManSection(
      "FILES", "",
      {{"$XDG_DATA_HOME/attune (else ~/.local/share/attune)",
        "this device's data: the session file attune.db, its keys in identity/, the window's placement in "
        "window.json, the history of past sessions, your private journal in journal.db and what you prepared alone in prepare.db. Removing the package leaves it in place."}}));
  page.sections.push_back({"SEE ALSO", "attune-discovery(1)"});
  return render_man_page(app, page);
}

}  // namespace attune::cli
