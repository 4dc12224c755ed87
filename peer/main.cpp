// attune: the program. It opens the window app by default; --headless runs
// the text front door (see README.md, "Headless peer"). Both drive one Node.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "attune/discovery/host_address.hpp"
#include "attune/text.hpp"
#include "attune/wire_codec.hpp"
#include "cli/command_parser.hpp"
#include "cli/devices_command.hpp"
#include "cli/headless.hpp"
#include "log_sink.hpp"
#ifdef ATTUNE_WITH_WINDOW
#include "app/window_app.hpp"
#endif

namespace {

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

// The join target, "address:port"; false, after saying why, when it isn't one.
bool parse_target(const std::string& text, attune::NodeOptions& options) {
  const auto target = attune::discovery::parse_host_address(text, 0);
  if (target.address && target.address->port != 0) {
    options.host = target.address->host;
    options.port = target.address->port;
    return true;
  }
  std::cerr << "attune: the host address should look like 192.168.1.20:47000 (got '"
            << attune::sanitize_display_text(text) << "'). "
            << (target.address ? "It needs the port after a colon." : target.error) << '\n';
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using attune::cli::ExitCode;
  // Logs go to stderr: stdout carries only the JSON lines.
  attune::log_to_stderr_sanitized("attune");
  spdlog::set_level(spdlog::level::warn);

  CLI::App app{"Attune: a calm, structured repair conversation for two partners (and an optional coach)."};
  app.set_version_flag("--version", std::string("attune ") + ATTUNE_VERSION + " (protocol " +
                                        std::to_string(attune::kProtocolVersion) + ")");
  app.require_subcommand(0, 1);
  app.footer(
      "Exit codes (--headless): 0 done; 1 bad arguments; 2 incompatible versions; 3 the data folder "
      "can't be opened or its saved session is damaged (--fresh-start moves it aside); 4 can't listen; "
      "5 let go by the host; 6 pairing failed; 7 the host refused the join (e.g. the name).");

  bool headless = false;
  std::string data_dir;
  bool verbose = false;
  app.add_flag("--headless", headless, "Run without a window: commands on stdin, JSON lines on stdout");
  app.add_option("--data-dir", data_dir, "Where this device keeps its data (default: $XDG_DATA_HOME/attune)");
  app.add_flag("-v,--verbose", verbose, "Log more detail to stderr");
  bool fresh_start = false;
  app.add_flag("--fresh-start", fresh_start,
               "Move this device's saved session file aside (kept, with a timestamp) and start anew; "
               "use it when Attune says the file is damaged");
  bool demo = false;
  app.add_flag("--demo", demo, "Try it alone: two windows, a host and a partner, talking over loopback");
  // Tests shorten (or lengthen) liveness timing; hidden from --help.
  uint32_t heartbeat_ms = 1000;
  uint32_t silence_ms = 5000;
  app.add_option("--heartbeat-ms", heartbeat_ms)->group("")->check(CLI::Range(50u, 60000u));
  app.add_option("--silence-ms", silence_ms)->group("")->check(CLI::Range(200u, 600000u));

  attune::NodeOptions options;
  std::string name;
  std::string host_role = "partner-a";
  std::string join_role = "partner-b";
  std::string host_target;
  uint32_t protocol_version = 0;

  auto* host = app.add_subcommand("host", "Host a session on this device (or resume the one stored here)");
  host->add_option("--name", name, "Your name as the others see it")->required();
  host->add_option("--role", host_role, "Your seat: partner-a, partner-b or coach")->capture_default_str();
  host->add_option("--port", options.port, "Port to listen on (0 picks a free one)")->default_val(0);
  host->add_option("--bind", options.bind_address, "Address to listen on")->default_val("0.0.0.0");
  host->add_option("--session-name", options.session_name, "A name for the session");
  // Tests shorten a pairing code's life (normally 10 minutes); hidden from --help.
  uint32_t code_lifetime_ms = 0;
  host->add_option("--code-lifetime-ms", code_lifetime_ms)->group("")->check(CLI::Range(200u, 3600000u));
  host->add_flag("--full-sync", options.full_sync,
                 "Flush every change to disk (survives power loss; slower)");

  auto* join = app.add_subcommand("join", "Join a session hosted on another device");
  join->add_option("address", host_target, "The host, as address:port")->required();
  join->add_option("--name", name, "Your name as the others see it")->required();
  join->add_option("--role", join_role, "Your seat: partner-a, partner-b or coach")->capture_default_str();
  // Lets tests pretend to be an incompatible build.
  join->add_option("--code", options.code, "The six-digit code shown on the host's screen (first pairing)");
  join->add_option("--protocol-version", protocol_version)->group("");

  auto* devices = app.add_subcommand("devices", "List the devices this computer has paired with");
  devices->require_subcommand(0, 1);
  devices->fallthrough();  // `attune devices --data-dir D` reads as naturally as the other order.
  std::string forget_id;
  auto* forget = devices->add_subcommand(
      "forget", "Forget a paired device, so it needs a code again (e.g. after it was set up anew)");
  forget->add_option("id", forget_id, "The device's id, or its first few characters")->required();
  forget->fallthrough();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version end here with 0; anything else is a usage error,
    // whatever number CLI11 would pick.
    return app.exit(error) == 0 ? 0 : static_cast<int>(ExitCode::Usage);
  }
  if (verbose) spdlog::set_level(spdlog::level::info);

  if (devices->parsed()) {
    return attune::cli::run_devices(
        data_dir.empty() ? attune::cli::default_data_dir() : std::filesystem::path(data_dir),
        forget->parsed() ? std::optional<std::string>(forget_id) : std::nullopt, std::cout, std::cerr);
  }

  // Names are checked at the door, for the window and the headless peer alike.
  if ((host->parsed() || join->parsed()) && !names_usable(name, options.session_name))
    return static_cast<int>(ExitCode::Usage);

  if (!headless) {
#ifdef ATTUNE_WITH_WINDOW
    // The window app is the default front door; host/join start it straight away.
    attune::app::WindowAppOptions window;
    window.demo = demo;
    window.data_dir = data_dir;
    window.name = name;
    const auto role = attune::cli::parse_role(join->parsed() ? join_role : host_role);
    if ((host->parsed() || join->parsed()) && role == attune::v1::ROLE_UNSPECIFIED) {
      std::cerr << "attune: --role is partner-a, partner-b or coach\n";
      return static_cast<int>(ExitCode::Usage);
    }
    if (host->parsed()) {
      window.auto_host =
          attune::app::HostRequest{name, options.session_name, role, attune::default_settings()};
    } else if (join->parsed()) {
      window.auto_join = attune::app::JoinRequest{name, host_target, "", role};
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

  const std::string& role_text = join->parsed() ? join_role : host_role;
  options.role = attune::cli::parse_role(role_text);
  if (options.role == attune::v1::ROLE_UNSPECIFIED) {
    std::cerr << "attune: --role is partner-a, partner-b or coach (got '"
              << attune::sanitize_display_text(role_text) << "')\n";
    return static_cast<int>(ExitCode::Usage);
  }
  options.display_name = name;
  options.timing.heartbeat = std::chrono::milliseconds(heartbeat_ms);
  options.timing.silence = std::chrono::milliseconds(silence_ms);
  if (code_lifetime_ms > 0) options.code_lifetime = std::chrono::milliseconds(code_lifetime_ms);
  options.data_dir = data_dir.empty() ? attune::cli::default_data_dir() : std::filesystem::path(data_dir);
  options.fresh_start = fresh_start;
  if (join->parsed()) {
    options.mode = attune::NodeOptions::Mode::Join;
    if (!parse_target(host_target, options)) return static_cast<int>(ExitCode::Usage);
    options.protocol_version = protocol_version;
  } else {
    options.mode = attune::NodeOptions::Mode::Host;
  }
  return attune::cli::run_headless(options);
}
