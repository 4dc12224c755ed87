// attune: the program. It opens the window app by default; --headless runs
// the text front door (see README.md, "Headless peer"). Both drive one Node.
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <asio/ip/address.hpp>
#include <iostream>

#include "attune/text.hpp"
#include "cli/cli_definition.hpp"
#include "cli/command_parser.hpp"
#include "cli/man_page.hpp"
#include "cli/devices_command.hpp"
#include "cli/journal_command.hpp"
#include "cli/headless.hpp"
#include "attune/discovery/join_target.hpp"
#include "log_sink.hpp"
#ifdef ATTUNE_WITH_WINDOW
#include "app/window_app.hpp"
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
    options.host = target.host;
    options.port = target.port;
    if (options.code.empty()) options.code = target.code;  // An invite carries the code.
    return true;
  }
  std::cerr << "attune: the host address should look like 192.168.1.20:47000, or be the host's invite "
               "(attune:...) (got '"
            << attune::sanitize_display_text(text) << "'). " << target.error << '\n';
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using attune::cli::ExitCode;
  // Everything Attune writes is its user's alone (databases, their -wal and
  // -shm, identity, window and history files): 0600 files, 0700 folders.
  ::umask(077);
  // Logs go to stderr: stdout carries only the JSON lines.
  attune::log_to_stderr_sanitized("attune");
  spdlog::set_level(spdlog::level::warn);

  CLI::App app;
  attune::cli::CliValues v;
  attune::cli::define_cli(app, v);
  auto& options = v.options;
  const std::string& data_dir = v.data_dir;
  std::string& name = v.name;
  auto* host = v.host;
  auto* join = v.join;
  auto* devices = v.devices;
  auto* forget = v.forget;

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version end here with 0; anything else is a usage error,
    // whatever number CLI11 would pick.
    return app.exit(error) == 0 ? 0 : static_cast<int>(ExitCode::Usage);
  }
  if (v.print_man) {
    std::cout << attune::cli::attune_man_page(app);
    return 0;
  }
  if (v.print_completion) {
    std::cout << attune::cli::render_bash_completion(app, {{"--role", "partner-a partner-b coach"}});
    return 0;
  }
  if (v.verbose) spdlog::set_level(spdlog::level::info);

  if (devices->parsed()) {
    return attune::cli::run_devices(
        data_dir.empty() ? attune::cli::default_data_dir() : std::filesystem::path(data_dir),
        forget->parsed() ? std::optional<std::string>(v.forget_id) : std::nullopt, std::cout, std::cerr);
  }

  if (v.journal.command->parsed()) {
    return attune::cli::run_journal(
        data_dir.empty() ? attune::cli::default_data_dir() : std::filesystem::path(data_dir), v.journal,
        v.headless, std::cout, std::cerr);
  }

  // Names are checked at the door, for the window and the headless peer alike.
  if ((host->parsed() || join->parsed()) && !names_usable(name, options.session_name))
    return static_cast<int>(ExitCode::Usage);

  if (!v.headless) {
#ifdef ATTUNE_WITH_WINDOW
    // The window app is the default front door; host/join start it straight away.
    attune::app::WindowAppOptions window;
    window.demo = v.demo;
    window.screenshot_dir = v.screenshot_dir;
    window.exit_after_s = v.exit_after_s;
    window.data_dir = data_dir;
    window.name = name;
    window.report_path = v.report_frames;
    window.control_path = v.control;
    window.no_discovery = v.no_discovery;
    window.bind_address = options.bind_address;
    window.port = options.port;
    window.full_sync = options.full_sync;
    window.fresh_start = v.fresh_start;
    const auto role = attune::cli::parse_role(join->parsed() ? v.join_role : v.host_role);
    if ((host->parsed() || join->parsed()) && role == attune::v1::ROLE_UNSPECIFIED) {
      std::cerr << "attune: --role is partner-a, partner-b or coach\n";
      return static_cast<int>(ExitCode::Usage);
    }
    if (host->parsed()) {
      window.auto_host =
          attune::app::HostRequest{name, options.session_name, role, attune::default_settings()};
    } else if (join->parsed()) {
      window.auto_join = attune::app::JoinRequest{name, v.host_target, options.code, role};
    }
    return attune::app::run_window_app(window);
#else
    std::cerr << "attune: this build has no window app. Run with --headless, e.g.\n"
                 "  attune --headless host --name Alex\n"
                 "  attune --headless join 192.168.1.20:47000 --name Sam\n"
                 "See attune --help.\n";
    return static_cast<int>(ExitCode::Usage);
#endif
  }
  if (app.get_subcommands().empty()) {
    std::cerr << "attune: say whether this device hosts or joins, e.g. attune --headless host --name Alex\n"
                 "See attune --help.\n";
    return static_cast<int>(ExitCode::Usage);
  }

  const std::string& role_text = join->parsed() ? v.join_role : v.host_role;
  options.role = attune::cli::parse_role(role_text);
  if (options.role == attune::v1::ROLE_UNSPECIFIED) {
    std::cerr << "attune: --role is partner-a, partner-b or coach (got '"
              << attune::sanitize_display_text(role_text) << "')\n";
    return static_cast<int>(ExitCode::Usage);
  }
  options.display_name = name;
  options.timing.heartbeat = std::chrono::milliseconds(v.heartbeat_ms);
  options.timing.silence = std::chrono::milliseconds(v.silence_ms);
  if (v.code_lifetime_ms > 0) options.code_lifetime = std::chrono::milliseconds(v.code_lifetime_ms);
  options.data_dir = data_dir.empty() ? attune::cli::default_data_dir() : std::filesystem::path(data_dir);
  options.fresh_start = v.fresh_start;
  if (join->parsed()) {
    options.mode = attune::NodeOptions::Mode::Join;
    if (!parse_target(v.host_target, options)) return static_cast<int>(ExitCode::Usage);
    options.protocol_version = v.protocol_version;
  } else {
    options.mode = attune::NodeOptions::Mode::Host;
  }
  attune::cli::HeadlessDiscovery discovery;
  discovery.only_loopback = v.discovery_loopback;
  discovery.announce = !v.no_announce && (v.discovery_loopback || !loopback_only(options.bind_address));
  return attune::cli::run_headless(options, discovery);
}
