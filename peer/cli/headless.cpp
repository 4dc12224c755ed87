#include "cli/headless.hpp"
#include "cli/journal_command.hpp"
#include "cli/reminder_command.hpp"
#include "remind/reminder_watch.hpp"
#include "journal/local_time.hpp"

#include <spdlog/spdlog.h>

#include <asio.hpp>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <set>

#include "app/partner_hosts.hpp"
#include "attune/discovery/nearby_label.hpp"
#include "cli/command_loop.hpp"
#include "cli/event_printer.hpp"
#include "identity/port_file.hpp"
#include "identity/private_file.hpp"
#include "invite/postbox_runner.hpp"
#include "lan_announcer.hpp"
#include "store/folder_lock.hpp"
#include "wall_clock.hpp"

namespace attune::cli {

namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void on_stop_signal(int) { g_stop_requested.store(true); }

void stop_on_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// One sentence on stderr, a "fatal" line on stdout, and the exit code.
int fatal(JsonOut& out, ExitCode code, std::string_view reason, const std::string& message) {
  std::cerr << "attune: " << message << '\n';
  out.line({{"event", "fatal"}, {"reason", reason}, {"message", message}});
  return static_cast<int>(code);
}

}  // namespace

std::string damaged_message(const store::DamagedStoreError& error) {
  return "Attune can't use the session saved in " + error.file().string() + ": " + error.what() +
         ". Nothing in it was changed. To start fresh, run Attune again with --fresh-start: that file is "
         "moved aside (kept, not deleted) and a new session begins.";
}

namespace {

// Another Attune has this folder: one sentence, exit 3 (as documented).
int folder_in_use(JsonOut& out, const store::FolderInUseError& error) {
  std::cerr << "attune: " << error.what() << '\n';
  out.line({{"event", "fatal"},
            {"reason", "data_dir_in_use"},
            {"data_dir", error.folder().string()},
            {"message", error.what()}});
  return static_cast<int>(ExitCode::Storage);
}

// Shows the session to devices nearby while a seat is free, and says so
// with the tag the others see (as the window app's lobby does).
void announce_nearby(JsonOut& out, discovery::LanAnnouncer* nearby, uint16_t port, const State& state) {
  if (!nearby) return;
  const auto seats = discovery::seats_to_announce(state);
  if (!seats) return;
  print_announced(out, nearby->announce(port, *seats));
}

// --fresh-start: the old data file is moved aside. An exit code if that failed.
std::optional<int> start_fresh(JsonOut& out, const std::filesystem::path& data_dir) {
  try {
    if (const auto aside = store::move_aside(data_dir)) {
      out.line({{"event", "fresh_start"},
                {"set_aside", aside->string()},
                {"message",
                 "The earlier data file was moved aside to " + aside->string() + "; Attune starts fresh."}});
    }
  } catch (const store::FolderInUseError& error) {
    return folder_in_use(out, error);
  } catch (const store::StoreError& error) {
    return fatal(out, ExitCode::Storage, "storage",
                 std::string("Attune could not move its data file aside: ") + error.what());
  }
  return std::nullopt;
}

// The node over its data folder; null (and `exit_code` set) if it can't be opened.
std::unique_ptr<Node> open_node(const NodeOptions& options, net::ReplicaEvents events, JsonOut& out,
                                int& exit_code) {
  try {
    return std::make_unique<Node>(options, std::move(events));
  } catch (const store::FolderInUseError& error) {
    exit_code = folder_in_use(out, error);
  } catch (const store::DamagedStoreError& error) {
    const std::string message = damaged_message(error);
    std::cerr << "attune: " << message << '\n';
    out.line({{"event", "fatal"},
              {"reason", "damaged_data"},
              {"file", error.file().string()},
              {"message", message}});
    exit_code = static_cast<int>(ExitCode::Storage);
  } catch (const std::exception& error) {
    exit_code = fatal(out, ExitCode::Storage, "storage",
                      std::string("Attune could not open its data folder: ") + error.what());
  }
  return nullptr;
}

// Says it started, then listens (host) or connects (join). An exit code if that failed.
std::optional<int> start_node(Node& node, const NodeOptions& options, JsonOut& out) {
  const bool hosting = options.mode == NodeOptions::Mode::Host;
  out.line({{"event", "started"},
            {"mode", hosting ? "host" : "join"},
            {"device_id", node.device_id()},
            {"data_dir", options.data_dir.string()},
            {"version", ATTUNE_VERSION},
            {"check_number", node.snapshot()->my_check_number}});
  if (auto follow_up = take_journal_follow_up(options.data_dir, wall_ms())) out.line(*follow_up);
  try {
    node.start();
  } catch (const std::system_error& error) {
    return fatal(out, ExitCode::Network, "network",
                 "Attune could not listen on " + options.bind_address + ":" + std::to_string(options.port) +
                     ": " + error.code().message());
  } catch (const std::exception& error) {
    return fatal(out, ExitCode::Storage, "storage",
                 std::string("Attune could not resume the session: ") + error.what());
  }
  return std::nullopt;
}

}  // namespace

uint16_t remembered_host_port(const std::filesystem::path& data_dir, const std::string& bind_address) {
  const auto port = identity::read_port_file(identity::last_host_port_file(data_dir));
  if (!port) return 0;
  // Taken by something else now: any free port rather than no session.
  asio::io_context io;
  asio::ip::tcp::acceptor probe(io);
  asio::error_code ec;
  const auto address = asio::ip::make_address(bind_address, ec);
  if (ec) return 0;
  const asio::ip::tcp::endpoint here(address, *port);
  probe.open(here.protocol(), ec);
  if (!ec) probe.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) probe.bind(here, ec);
  return ec ? 0 : *port;
}

// A joining device keeps where it reached its host, as the window does: a
// code pairing's host (or the partner a `reminder start` joins) goes into
// partner_hosts.json, so a later "Start now" in the window knows which
// machine is the partner's.
void keep_host_addresses(net::ReplicaEvents& events, const NodeOptions& options) {
  auto keep = app::remember_host_events(options.data_dir, !options.code.empty(), options.pinned_host);
  if (keep.reached)
    events.reached = [print = std::move(events.reached), keep = std::move(keep.reached)](const std::string& a) {
      if (print) print(a);
      keep(a);
    };
  if (keep.state)
    events.state = [print = std::move(events.state), keep = std::move(keep.state)](
                       const State& view, uint64_t seq, const std::string& cause) {
      if (print) print(view, seq, cause);
      keep(view, seq, cause);
    };
}

int run_headless(NodeOptions options, HeadlessDiscovery discovery) {
  JsonOut out;
  const bool hosting = options.mode == NodeOptions::Mode::Host;
  // The window app's announcer: beacons carry the port and free seats only.
  std::unique_ptr<discovery::LanAnnouncer> nearby;
  if (discovery.announce && hosting) {
    discovery::ChannelOptions channel;
    channel.only_loopback = discovery.only_loopback;
    nearby = std::make_unique<discovery::LanAnnouncer>(channel);
  }
  std::atomic<int> exit_code{-1};
  // Owner only, files and folders, including what an older version left open.
  if (const auto problem = identity::make_private_tree(options.data_dir))
    spdlog::info("data folder permissions: {}", *problem);

  if (options.fresh_start) {
    if (const auto failed = start_fresh(out, options.data_dir)) return *failed;
  }
  int failed = 0;
  auto events = print_events(out, nearby.get(), exit_code);
  if (!hosting) keep_host_addresses(events, options);
  const auto node = open_node(options, std::move(events), out, failed);
  if (!node) return failed;
  if (const auto start_failed = start_node(*node, options, out)) return *start_failed;
  if (hosting) {
    out.line({{"event", "listening"}, {"address", options.bind_address}, {"port", node->port()}});
    if (const auto problem = identity::write_port_file(identity::last_host_port_file(options.data_dir), node->port()))
      spdlog::debug("host port not remembered: {}", *problem);
    announce_nearby(out, nearby.get(), node->port(), node->snapshot()->state);
  }
  stop_on_signals();
  // Invitations to and from the paired partner go while this peer runs.
  invite::PostboxRunnerOptions mail;
  mail.data_dir = options.data_dir;
  mail.bind_address = options.bind_address;
  mail.find_on_network = discovery.announce;
  mail.finder.only_loopback = discovery.only_loopback;
  // What a person wants to know; the postbox's link news stays in the log.
  mail.on_event = [&out](const nlohmann::json& j) {
    static const std::set<std::string> told = {"invitation_received", "invitation_answered", "invitation_agreed",
                                               "letter_delivered",    "letter_refused",      "invite_error"};
    if (told.count(j.value("event", "")) != 0) out.line(j);
    else spdlog::info("postbox: {}", j.value("event", ""));
  };
  invite::PostboxRunner postbox(std::move(mail));
  // A coach's device has no partner of its own to write to.
  if (options.role != v1::ROLE_COACH) postbox.start();
  DraftOffers offers(options.data_dir);  // What was prepared alone, offered on this device only.
  // An agreed time that comes while this peer runs: one reminder_due line, once.
  remind::ReminderWatch reminders(options.data_dir, [&out](const remind::DueReminder& due) { out.line(due_event(due)); });
  run_command_loop(*node, out, exit_code, g_stop_requested, &offers);
  postbox.stop();
  node->stop();
  const int code = exit_code.load();
  return code >= 0 ? code : static_cast<int>(ExitCode::Ok);
}

}  // namespace attune::cli
