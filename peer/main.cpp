// attune: the program. It opens the window app by default; --headless runs
// the text front door (see README.md, "Headless peer"). Both drive one Node.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <iostream>

#include "cli/cli_definition.hpp"
#include "cli/command_parser.hpp"
#include "cli/man_page.hpp"
#include "cli/devices_command.hpp"
#include "cli/headless.hpp"
#ifdef ATTUNE_WITH_WINDOW
#include "app/window_app.hpp"
#endif

namespace {

bool split_host_port(const std::string& text, std::string& host, uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    const unsigned long value = std::stoul(text.substr(colon + 1));
    if (value == 0 || value > 65535) return false;
    port = static_cast<uint16_t>(value);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using attune::cli::ExitCode;
  // Everything Attune writes is its user's alone (databases, their -wal and
  // -shm, identity, window and history files): 0600 files, 0700 folders.
  ::umask(077);
  // Logs go to stderr: stdout carries only the JSON lines.
  spdlog::set_default_logger(spdlog::stderr_color_mt("attune"));
  spdlog::set_level(spdlog::level::warn);

  CLI::App app;
  attune::cli::CliValues v;
  attune::cli::define_cli(app, v);
  auto& options = v.options;
  const std::string& data_dir = v.data_dir;
  const std::string& name = v.name;
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
    std::cerr << "attune: --role is partner-a, partner-b or coach (got '" << role_text << "')\n";
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
    if (!split_host_port(v.host_target, options.host, options.port)) {
      std::cerr << "attune: the host address should look like 192.168.1.20:47000 (got '" << v.host_target
                << "')\n";
      return static_cast<int>(ExitCode::Usage);
    }
    options.protocol_version = v.protocol_version;
  } else {
    options.mode = attune::NodeOptions::Mode::Host;
  }
  return attune::cli::run_headless(options);
}
