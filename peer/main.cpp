// attune: the program. It opens the window app by default; --headless runs
// the text front door (see README.md, "Headless peer"). Both drive one Node.
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <asio/ip/address.hpp>
#include <iostream>
#include <optional>

#include "attune/discovery/join_target.hpp"
#include "attune/text.hpp"
#include "cli/cli_definition.hpp"
#include "cli/command_parser.hpp"
#include "cli/devices_command.hpp"
#include "cli/journal_command.hpp"
#include "cli/reminder_command.hpp"
#include "cli/invite_command.hpp"
#include "cli/headless.hpp"
#include "cli/man_page.hpp"
#include "data_folder.hpp"
#include "log_sink.hpp"
#include "remind/remind_clock.hpp"
#ifdef ATTUNE_WITH_WINDOW
#include "app/window_app.hpp"
#include "app/start_phases.hpp"
#endif

namespace {

// A host listening only on a loopback address can't be reached from the LAN,
// so it has nothing to announce there.
bool loopback_only(const std::string& bind_address) {
  asio::error_code ec;
  const auto address = asio::ip::make_address(bind_address, ec);
  return !ec && address.is_loopback();
}

// Repairs a name typed on the command line (a Latin-1 terminal sends "José"
// as "Jos\xE9") and says what is wrong with it, if anything.
std::string name_argument_problem(std::string& text, std::size_t max_bytes, std::string_view what) {
  text = attune::clean_name(text);
  return attune::name_problem(text, max_bytes, what);
}

// False, after saying why on stderr, when --name or --session-name can't be used.
bool names_usable(std::string& name, std::string& session_name) {
  if (const std::string problem = name_argument_problem(name, attune::kMaxNameBytes, "name");
      !problem.empty()) {
    std::cerr << "attune: --name: " << problem << '\n';
    return false;
  }
  if (session_name.empty()) return true;
  const std::string problem =
      name_argument_problem(session_name, attune::kMaxSessionNameBytes, "session name");
  if (problem.empty()) return true;
  std::cerr << "attune: --session-name: " << problem << '\n';
  return false;
}

// The join target, "address:port" or the host's invite, read exactly as the
// window app reads them; false, after saying why, when it is neither.
bool parse_target(const std::string& text, attune::NodeOptions& options) {
  const auto target = attune::discovery::parse_join_target(text);
  if (target.error.empty()) {
    attune::aim_at(options, target);  // Every address an invite carries, and its code.
    return true;
  }
  std::cerr << "attune: the host address should look like 192.168.1.20:47000, or be the host's invite "
               "(attune:...) (got '"
            << attune::sanitize_display_text(text) << "'). " << target.error << '\n';
  return false;
}

using attune::cli::CliValues;
using attune::cli::ExitCode;

int usage_error() { return static_cast<int>(ExitCode::Usage); }

// The data folder, from --data-dir or the environment; nullopt, after saying
// how to choose one, when there is none.
std::optional<std::filesystem::path> data_folder_or_say(const std::string& chosen) {
  auto folder = attune::data_folder(chosen);
  if (!folder) std::cerr << "attune: " << attune::no_data_folder_message() << '\n';
  return folder;
}

// --man and --bash-completion, for the build: what to print, if asked.
std::optional<std::string> reference_text(const CLI::App& app, const CliValues& v) {
  if (v.print_man) return attune::cli::attune_man_page(app);
  if (v.print_completion)
    return attune::cli::render_bash_completion(app, {{"--role", "partner-a partner-b coach"}});
  return std::nullopt;
}

int run_journal(const CliValues& v) {
  const auto folder = data_folder_or_say(v.data_dir);
  if (!folder) return static_cast<int>(ExitCode::Storage);
  return attune::cli::run_journal(*folder, v.journal, v.headless, std::cout, std::cerr);
}

int run_prepare(const CliValues& v) {
  const auto folder = data_folder_or_say(v.data_dir);
  if (!folder) return static_cast<int>(ExitCode::Storage);
  return attune::cli::run_prepare(*folder, v.prepare, v.headless, std::cout, std::cerr);
}

// `attune --headless reminder start ID`: the session with the partner's
// paired device, no code: this device hosts, or joins the partner, as in their
// latest code pairing (remind::start_role).
int start_with_partner(CliValues& v, const std::filesystem::path& folder) {
  std::string error;
  const auto plan = attune::cli::plan_start(folder, v.reminder.id, &error);
  if (!plan) {
    std::cerr << "attune: " << error << '\n';
    return static_cast<int>(ExitCode::Pairing);
  }
  std::string session_name;
  if (!names_usable(v.reminder.name, session_name)) return usage_error();
  attune::NodeOptions& options = v.options;
  options.data_dir = folder;
  options.display_name = v.reminder.name;
  options.timing.heartbeat = std::chrono::milliseconds(v.heartbeat_ms);
  options.timing.silence = std::chrono::milliseconds(v.silence_ms);
  options.mode = plan->host ? attune::NodeOptions::Mode::Host : attune::NodeOptions::Mode::Join;
  options.role = plan->host ? attune::v1::ROLE_PARTNER_A : attune::v1::ROLE_PARTNER_B;
  if (plan->host) {
    options.bind_address = v.reminder.bind;
    options.port = v.reminder.port;
    if (v.reminder.start->get_option("--port")->count() == 0)
      options.port = attune::cli::remembered_host_port(folder, options.bind_address);
    options.expected_partner = plan->partner_device_id;  // Let in with no "admit".
  } else if (v.reminder.address.empty()) {
    std::cerr << "attune: this device joins your partner's; say where it listens with --address HOST:PORT\n";
    return usage_error();
  } else if (!parse_target(v.reminder.address, options)) {
    return usage_error();
  } else {
    options.pinned_host = plan->partner_device_id;  // That partner's pin, whichever host this device joined last.
  }
  std::cout << nlohmann::json{{"event", "reminder_start"}, {"id", v.reminder.id},
                              {"role", plan->host ? "host" : "join"}, {"partner_name", plan->partner_name}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
            << std::endl;
  attune::cli::HeadlessDiscovery discovery;
  discovery.announce = plan->host && !loopback_only(options.bind_address);
  return attune::cli::run_headless(options, discovery);
}

int run_reminder(CliValues& v) {
  const auto folder = data_folder_or_say(v.data_dir);
  if (!folder) return static_cast<int>(ExitCode::Storage);
  if (v.reminder.start->parsed()) return start_with_partner(v, *folder);
  return attune::cli::run_reminder(*folder, v.reminder, v.headless, std::cout, std::cerr);
}

int run_invite(const CliValues& v) {
  const auto folder = data_folder_or_say(v.data_dir);
  if (!folder) return static_cast<int>(ExitCode::Storage);
  return attune::cli::run_invite(*folder, v.invite, v.headless, std::cout, std::cerr);
}

int run_devices(const CliValues& v) {
  const auto folder = data_folder_or_say(v.data_dir);
  if (!folder) return static_cast<int>(ExitCode::Storage);
  return attune::cli::run_devices(*folder,
                                  v.forget->parsed() ? std::optional<std::string>(v.forget_id) : std::nullopt,
                                  std::cout, std::cerr);
}

#ifdef ATTUNE_WITH_WINDOW
// The window app is the default front door; host/join start it straight away.
int run_window(const CliValues& v) {
  attune::app::WindowAppOptions window;
  window.demo = v.demo;
  window.screenshot_dir = v.screenshot_dir;
  window.exit_after_s = v.exit_after_s;
  window.data_dir = v.data_dir;
  window.name = v.name;
  window.report_path = v.report_frames;
  window.control_path = v.control;
  window.no_discovery = v.no_discovery;
  window.bind_address = v.options.bind_address;
  window.port = v.options.port;
  window.full_sync = v.options.full_sync;
  window.fresh_start = v.fresh_start;
  window.loopback_only = v.loopback_only;
  window.discovery_port = v.discovery_port;
  const bool joining = v.join->parsed();
  const auto role = attune::cli::parse_role(joining ? v.join_role : v.host_role);
  if ((v.host->parsed() || joining) && role == attune::v1::ROLE_UNSPECIFIED) {
    std::cerr << "attune: --role is partner-a, partner-b or coach\n";
    return usage_error();
  }
  if (v.host->parsed()) {
    window.auto_host =
        attune::app::HostRequest{v.name, v.options.session_name, role, attune::default_settings()};
  } else if (joining) {
    window.auto_join = attune::app::JoinRequest{v.name, v.host_target, v.options.code, role};
  }
  return attune::app::run_window_app(window);
}
#else
int run_window(const CliValues&) {
  std::cerr << "attune: this build has no window app. Run with --headless, e.g.\n"
               "  attune --headless host --name Alex\n"
               "  attune --headless join 192.168.1.20:47000 --name Sam\n"
               "See attune --help.\n";
  return usage_error();
}
#endif

// The headless peer's options from the command line; an exit code, after
// saying why, when they can't be used.
std::optional<int> headless_options(CliValues& v, attune::NodeOptions& options) {
  const bool joining = v.join->parsed();
  const std::string& role_text = joining ? v.join_role : v.host_role;
  options.role = attune::cli::parse_role(role_text);
  if (options.role == attune::v1::ROLE_UNSPECIFIED) {
    std::cerr << "attune: --role is partner-a, partner-b or coach (got '"
              << attune::sanitize_display_text(role_text) << "')\n";
    return usage_error();
  }
  options.display_name = v.name;
  options.timing.heartbeat = std::chrono::milliseconds(v.heartbeat_ms);
  options.timing.silence = std::chrono::milliseconds(v.silence_ms);
  if (v.code_lifetime_ms > 0) options.code_lifetime = std::chrono::milliseconds(v.code_lifetime_ms);
  const auto folder = data_folder_or_say(v.data_dir);
  if (!folder) return static_cast<int>(ExitCode::Storage);
  options.data_dir = *folder;
  options.fresh_start = v.fresh_start;
  options.mode = joining ? attune::NodeOptions::Mode::Join : attune::NodeOptions::Mode::Host;
  if (joining) {
    if (!parse_target(v.host_target, options)) return usage_error();
    options.protocol_version = v.protocol_version;
  } else if (v.host->get_option("--port")->count() == 0) {
    // No --port: the port hosted on last, so the partner's remembered address holds.
    options.port = attune::cli::remembered_host_port(options.data_dir, options.bind_address);
  }
  return std::nullopt;
}

int run_headless_peer(CliValues& v) {
  if (!v.host->parsed() && !v.join->parsed()) {
    std::cerr << "attune: say whether this device hosts or joins, e.g. attune --headless host --name Alex\n"
                 "See attune --help.\n";
    return usage_error();
  }
  attune::NodeOptions& options = v.options;
  if (const auto failed = headless_options(v, options)) return *failed;
  attune::cli::HeadlessDiscovery discovery;
  discovery.only_loopback = v.discovery_loopback;
  discovery.announce = !v.no_announce && (v.discovery_loopback || !loopback_only(options.bind_address));
  return attune::cli::run_headless(options, discovery);
}

}  // namespace

int main(int argc, char** argv) {
#ifdef ATTUNE_WITH_WINDOW
  attune::app::mark_start_phase("main");  // Where a cold start's own code begins.
#endif
  // Everything Attune writes is its user's alone (databases, their -wal and
  // -shm, identity, window and history files): 0600 files, 0700 folders.
  ::umask(077);
  // Logs go to stderr: stdout carries only the JSON lines.
  attune::log_to_stderr_sanitized("attune");
  spdlog::set_level(spdlog::level::warn);

  CLI::App app;
  CliValues v;
  attune::cli::define_cli(app, v);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11 names no hidden option in its errors (": ..."); their checks name themselves.
    if (const std::string_view what = error.what(); what.rfind(": ", 0) == 0) {
      std::cerr << what.substr(2) << "\nRun with --help for more information.\n";
      return usage_error();
    }
    // --help and --version end here with 0; anything else is a usage error,
    // whatever number CLI11 would pick.
    return app.exit(error) == 0 ? 0 : usage_error();
  }
  if (const auto text = reference_text(app, v)) {
    std::cout << *text;
    return 0;
  }
  if (v.verbose) spdlog::set_level(spdlog::level::info);
  attune::remind::set_clock_offset_ms(v.clock_offset_ms);  // 0 but in tests.
  if (v.devices->parsed()) return run_devices(v);
  if (v.journal.command->parsed()) return run_journal(v);
  if (v.prepare.command->parsed()) return run_prepare(v);
  if (v.reminder.command->parsed()) return run_reminder(v);
  if (v.invite.command->parsed()) return run_invite(v);
  // Names are checked at the door, for the window and the headless peer alike.
  if ((v.host->parsed() || v.join->parsed()) && !names_usable(v.name, v.options.session_name))
    return usage_error();
  if (!v.headless) return run_window(v);
  return run_headless_peer(v);
}
