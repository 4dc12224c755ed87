// attune-discovery: LAN discovery, invites and joining by address, on their
// own. Drives the same classes the app uses, so the network-namespace tests
// and the benchmark can exercise them; prints one JSON object per line with
// --json (or plain sentences without).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/read_until.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string_view>

#include "announcer.hpp"
#include "attune/discovery/host_address.hpp"
#include "attune/discovery/invite_code.hpp"
#include "attune/discovery/join_target.hpp"
#include "attune/discovery/nearby_label.hpp"
#include "attune/pairing/pairing_code.hpp"
#include "browser.hpp"
#include "cli/man_page.hpp"
#include "data_folder.hpp"
#include "direct_connector.hpp"
#include "echo_server.hpp"
#include "recent_hosts.hpp"
#include "recent_prober.hpp"
#include "wall_clock.hpp"

namespace ad = attune::discovery;
using json = nlohmann::json;
using attune::wall_ms;
using namespace std::chrono_literals;

namespace {

constexpr uint16_t kDefaultSessionPort = 47000;

bool g_json = false;

std::string hex_id(uint64_t id) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
  return buf;
}

// One event: a JSON line, or its "say" text for people.
void emit(json event, const std::string& say) {
  event["t_ms"] = wall_ms();
  if (g_json) {
    std::cout << event.dump() << "\n" << std::flush;
  } else if (!say.empty()) {
    std::cout << say << "\n" << std::flush;
  }
}

// The same six-digit code the pairing handshake uses, so an invite can carry it.
std::string random_code() {
  std::random_device rd;
  for (;;) {
    std::array<std::uint8_t, attune::pairing::kCodeRandomBytes> bytes{};
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rd());
    if (auto code = attune::pairing::make_code(bytes)) return *code;
  }
}

json host_json(const ad::HostEntry& e) {
  json from = json::array();
  for (const auto& s : e.sightings) from.push_back({{"address", s.address}, {"interface", s.interface}});
  // Labels come from anyone on the network: only whole, valid characters are shown.
  return {{"instance_id", hex_id(e.instance_id)},
          {"tag", ad::nearby_tag(e.instance_id)},
          {"session_name", ad::utf8_prefix(e.beacon.session_name(), ad::kMaxNameBytes)},
          {"host_name", ad::utf8_prefix(e.beacon.host_name(), ad::kMaxNameBytes)},
          {"port", e.beacon.port()},
          {"open_seats", e.beacon.open_seats()},
          {"from", from}};
}

json diagnosis_json(const ad::Diagnosis& d, const std::vector<ad::InterfaceReport>& interfaces,
                    const ad::DecodeCounters& counts) {
  json ifs = json::array();
  for (const auto& r : interfaces) {
    ifs.push_back({{"name", r.name},
                   {"addresses", r.addresses},
                   {"joined", r.joined},
                   {"join_error", r.join_error},
                   {"sent", r.sent},
                   {"send_errors", r.send_errors},
                   {"heard_own", r.heard_own},
                   {"heard_others", r.heard_others}});
  }
  return {{"event", "diagnostics"},
          {"verdict", ad::verdict_name(d.verdict)},
          {"headline", d.headline},
          {"checked", d.checked},
          {"advice", d.advice},
          {"interfaces", ifs},
          {"ignored",
           {{"not_attune", counts.not_attune},
            {"other_version", counts.other_version},
            {"malformed", counts.malformed}}}};
}

std::string diagnosis_text(const ad::Diagnosis& d) {
  std::string s = d.headline + "\nWhat Attune checked:\n";
  for (const auto& c : d.checked) s += "  - " + c + "\n";
  if (!d.advice.empty()) s += "What you can try:\n";
  for (const auto& a : d.advice) s += "  - " + a + "\n";
  return s;
}

struct Common {
  uint16_t group_port = 47177;
  bool no_v6 = false;
  ad::ChannelOptions channel() const {
    ad::ChannelOptions o;
    o.port = group_port;
    o.use_v6 = !no_v6;
    return o;
  }
};

std::string invite_for(uint16_t port, const std::string& code, const std::vector<std::string>& names,
                       std::vector<std::string>* addresses_out) {
  ad::InviteInfo info;
  info.addresses = ad::invite_addresses(ad::list_interfaces());
  if (info.addresses.size() > ad::kMaxInviteAddresses) info.addresses.resize(ad::kMaxInviteAddresses);
  info.host_names = names;
  info.port = port;
  info.session_code = code;
  if (addresses_out != nullptr) *addresses_out = info.addresses;
  const auto enc = ad::encode_invite(info);
  return enc.error == ad::InviteError::None ? enc.text : std::string();
}

// Recent hosts, kept in the data folder; without a folder none are kept,
// and the note says how to choose one.
std::unique_ptr<ad::RecentHosts> open_recent_hosts(const std::string& data_dir) {
  const auto folder = attune::data_folder(data_dir);
  if (!folder) {
    emit({{"event", "note"}, {"message", attune::no_data_folder_message()}},
         attune::no_data_folder_message());
    return nullptr;
  }
  return std::make_unique<ad::RecentHosts>((*folder / "recent_hosts.sqlite").string());
}

// --- announce -------------------------------------------------------------

struct AnnounceArgs {
  std::string name;  // Beacons name nobody unless told to (a test label).
  std::string host_name;
  uint16_t port = 0;
  bool echo = false;
  uint32_t seats = 1;
  uint32_t interval_ms = 4000;
  std::string code;
  std::vector<std::string> invite_names;
  double duration_s = 0;
  uint32_t protocol_version = ad::kDiscoveryVersion;
};

int run_announce(const AnnounceArgs& a, const Common& c) {
  emit({{"event", "started"}, {"pid", getpid()}}, "");
  asio::io_context io;
  std::unique_ptr<ad::EchoServer> echo;
  uint16_t port = a.port;
  if (a.echo) {
    echo = std::make_unique<ad::EchoServer>(io, a.port);
    port = echo->port();
  }
  if (port == 0) port = kDefaultSessionPort;
  ad::AnnounceConfig cfg;
  cfg.session_name = a.name;
  cfg.host_name = a.host_name;
  cfg.port = port;
  cfg.open_seats = a.seats;
  cfg.interval = std::chrono::milliseconds(a.interval_ms);
  cfg.channel = c.channel();
  cfg.protocol_version = a.protocol_version;
  ad::Announcer announcer(io, cfg);
  announcer.start();
  emit({{"event", "announcing"},
        {"instance_id", hex_id(announcer.instance_id())},
        {"tag", ad::nearby_tag(announcer.instance_id())},
        {"session_name", ad::utf8_prefix(cfg.session_name, ad::kMaxNameBytes)},
        {"host_name", ad::utf8_prefix(cfg.host_name, ad::kMaxNameBytes)},
        {"port", port}},
       "Announcing session " + ad::nearby_tag(announcer.instance_id()) + " on port " + std::to_string(port) +
           ". Press Ctrl+C to stop.");
  const std::string code = a.code.empty() ? random_code() : a.code;
  std::vector<std::string> addresses;
  const std::string invite = invite_for(port, code, a.invite_names, &addresses);
  emit({{"event", "invite"}, {"text", invite}, {"addresses", addresses}, {"session_code", code}},
       invite.empty() ? "No address here can go in an invite (is this device on a network?)."
                      : "Invite to share: " + invite);

  bool stopping = false;
  auto stop = [&](const char* why) {
    if (stopping) return;
    stopping = true;
    announcer.stop([&, why] {
      emit({{"event", "goodbye_sent"}, {"reason", why}}, "Stopped hosting.");
      if (echo) echo->stop();
      io.stop();
    });
  };
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const asio::error_code& ec, int) {
    if (!ec) stop("signal");
  });
  asio::steady_timer limit(io);
  if (a.duration_s > 0) {
    limit.expires_after(std::chrono::milliseconds(static_cast<int64_t>(a.duration_s * 1000)));
    limit.async_wait([&](const asio::error_code& ec) {
      if (!ec) stop("time limit");
    });
  }
  io.run();
  return 0;
}

// --- browse ---------------------------------------------------------------

struct BrowseArgs {
  double duration_s = 10;
  uint32_t diagnose_after_ms = 3000;
  std::string data_dir;
  bool try_recent = true;
  size_t exit_after_found = 0;
};

int run_browse(const BrowseArgs& a, const Common& c) {
  const int64_t start = wall_ms();
  emit({{"event", "started"}, {"pid", getpid()}}, "Looking for sessions nearby...");
  asio::io_context io;
  size_t found = 0;
  std::unique_ptr<ad::Browser> browser;
  ad::BrowseEvents events;
  events.added = [&](const ad::HostEntry& e) {
    ++found;
    json j = host_json(e);
    j["event"] = "host_added";
    j["since_start_ms"] = wall_ms() - start;
    emit(j, "Found session " + ad::nearby_tag(e.instance_id) + " (" + std::to_string(e.beacon.open_seats()) +
                " seats open).");
    if (a.exit_after_found > 0 && found >= a.exit_after_found) io.stop();
  };
  events.updated = [&](const ad::HostEntry& e) {
    json j = host_json(e);
    j["event"] = "host_updated";
    emit(j, "");
  };
  events.removed = [&](const ad::Removed& r) {
    const bool bye = r.reason == ad::RemoveReason::Goodbye;
    const bool evicted = r.reason == ad::RemoveReason::Evicted;
    json j = host_json(r.entry);
    j["event"] = "host_removed";
    j["reason"] = bye ? "goodbye" : evicted ? "evicted" : "expired";
    emit(j, "Session " + ad::nearby_tag(r.entry.instance_id) +
                (bye       ? " closed."
                 : evicted ? " made room for one heard more recently."
                           : " is no longer reachable."));
  };
  browser = std::make_unique<ad::Browser>(io, c.channel(), events);
  browser->start();
  {
    json ifs = json::array();
    for (const auto& r : browser->channel().interface_reports()) ifs.push_back(r.name);
    emit({{"event", "listening"}, {"interfaces", ifs}}, "");
  }

  // Recently used hosts are tried directly in the background.
  ad::RecentProber prober(io, 2s, [&](const ad::RecentHost& h, const ad::DirectCheck& check) {
    emit({{"event", "recent_host"},
          {"address", h.address},
          {"label", h.label},
          {"reachable", check.reachable},
          {"detail", check.detail}},
         check.reachable ? "\"" + h.label + "\" (" + h.address + ") answers directly." : "");
  });
  if (a.try_recent) {
    if (const auto recent = open_recent_hosts(a.data_dir)) prober.probe(recent->list());
  }

  auto print_diagnostics = [&] {
    const auto d = browser->diagnose(prober.results());
    emit(diagnosis_json(d, browser->channel().interface_reports(), browser->channel().counters()),
         diagnosis_text(d));
  };
  asio::steady_timer diag_timer(io);
  if (a.diagnose_after_ms > 0) {
    diag_timer.expires_after(std::chrono::milliseconds(a.diagnose_after_ms));
    diag_timer.async_wait([&](const asio::error_code& ec) {
      if (!ec && browser->hosts().empty()) print_diagnostics();
    });
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const asio::error_code& ec, int) {
    if (!ec) io.stop();
  });
  asio::steady_timer limit(io);
  if (a.duration_s > 0) {
    limit.expires_after(std::chrono::milliseconds(static_cast<int64_t>(a.duration_s * 1000)));
    limit.async_wait([&](const asio::error_code& ec) {
      if (!ec) io.stop();
    });
  }
  io.run();
  print_diagnostics();
  emit({{"event", "finished"}, {"hosts", browser->hosts().size()}}, "");
  return 0;
}

// --- join -----------------------------------------------------------------

struct JoinArgs {
  std::string target;
  uint32_t timeout_ms = 5000;
  uint32_t pings = 0;
  std::string data_dir;
  bool remember = true;
};

void join_failed(const std::string& message, const std::string& say) {
  emit({{"event", "join_failed"}, {"message", message}}, say);
}

// The addresses to try, and the session code an invite carries (the one
// parser every front door uses); false, after saying why, when the target is
// neither an invite nor an address.
bool read_join_target(const std::string& target, std::vector<ad::HostAddress>& addresses, std::string& code) {
  const ad::JoinTarget parsed = ad::parse_join_target(target, kDefaultSessionPort);
  if (!parsed.error.empty()) {
    join_failed(parsed.error, parsed.error);
    return false;
  }
  addresses = parsed.candidates;
  code = parsed.code;
  return true;
}

json attempts_json(const ad::ConnectOutcome& o) {
  json attempts = json::array();
  for (const auto& t : o.attempts)
    attempts.push_back({{"address", t.address}, {"reachable", t.reachable}, {"detail", t.detail}});
  return attempts;
}

// One `join`: connect to the first address that answers, remember it, and
// optionally measure round trips with echo pings.
class JoinRun {
 public:
  JoinRun(const JoinArgs& args, std::string code) : a_(args), code_(std::move(code)), deadline_(io_) {}

  int run(const std::vector<ad::HostAddress>& targets) {
    ad::DirectConnector::connect(io_, targets, std::chrono::milliseconds(a_.timeout_ms),
                                 [this](ad::ConnectOutcome o) { connected(std::move(o)); });
    io_.run();
    return rc_;
  }

 private:
  void connected(ad::ConnectOutcome o) {
    if (!o.socket) {
      const std::string msg =
          "Could not reach the host. Check that the session is still open, and that both devices are "
          "online (and on the VPN, if you use one).";
      std::string say = msg;
      for (const auto& t : o.attempts) say += "\n  - " + t.address + ": " + t.detail;
      emit({{"event", "join_failed"}, {"message", msg}, {"attempts", attempts_json(o)}}, say);
      io_.stop();
      return;
    }
    socket_.emplace(std::move(*o.socket));
    emit({{"event", "joined"},
          {"address", o.connected_to},
          {"session_code", code_},
          {"attempts", attempts_json(o)}},
         "Connected to " + o.connected_to + ".");
    if (a_.remember) remember(o.connected_to);
    if (a_.pings == 0) {
      finish();
      return;
    }
    // Pings share the overall limit: a dead link must end the command too.
    deadline_.expires_after(std::chrono::milliseconds(a_.timeout_ms) +
                            std::chrono::milliseconds(2000) * a_.pings);
    deadline_.async_wait([this](const asio::error_code& ec) {
      if (ec) return;
      join_failed("The host stopped answering.", "The host stopped answering.");
      io_.stop();
    });
    ping(0);
  }

  void remember(const std::string& connected_to) {
    const auto recent = open_recent_hosts(a_.data_dir);
    if (!recent) return;
    const bool invite = ad::looks_like_invite(a_.target);
    recent->remember(invite ? connected_to : a_.target, invite ? "from invite" : a_.target, wall_ms());
  }

  void ping(uint32_t i) {
    if (i >= a_.pings) {
      report_round_trips();
      finish();
      return;
    }
    auto line = std::make_shared<std::string>("ping " + std::to_string(i) + "\n");
    const auto sent_at = std::chrono::steady_clock::now();
    asio::async_write(
        *socket_, asio::buffer(*line), [this, line, sent_at, i](const asio::error_code& ec, size_t) {
          if (ec) return dropped(ec);
          asio::async_read_until(
              *socket_, buffer_, '\n', [this, sent_at, i](const asio::error_code& rec, size_t n) {
                if (rec) return dropped(rec);
                buffer_.consume(n);
                rtts_.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent_at)
                        .count());
                ping(i + 1);
              });
        });
  }

  void dropped(const asio::error_code& ec) {
    join_failed("The connection dropped: " + ec.message(), "The connection dropped.");
    io_.stop();
  }

  void report_round_trips() {
    std::vector<double> sorted = rtts_;
    std::sort(sorted.begin(), sorted.end());
    emit({{"event", "rtt"},
          {"samples_ms", rtts_},
          {"min_ms", sorted.front()},
          {"p50_ms", sorted[sorted.size() / 2]},
          {"max_ms", sorted.back()}},
         "Round trip: about " + std::to_string(static_cast<int>(sorted[sorted.size() / 2])) + " ms.");
  }

  void finish() {
    rc_ = 0;
    io_.stop();
  }

  const JoinArgs& a_;
  const std::string code_;
  asio::io_context io_;
  int rc_ = 3;
  std::optional<asio::ip::tcp::socket> socket_;
  std::vector<double> rtts_;
  asio::streambuf buffer_{4096};
  asio::steady_timer deadline_;
};

int run_join(const JoinArgs& a) {
  std::vector<ad::HostAddress> targets;
  std::string code;
  if (!read_join_target(a.target, targets, code)) return 2;
  return JoinRun(a, code).run(targets);
}

// --- invite ---------------------------------------------------------------

int run_invite(uint16_t port, const std::string& code) {
  std::vector<std::string> addresses;
  const auto text = invite_for(port, code.empty() ? random_code() : code, {}, &addresses);
  emit({{"event", "invite"}, {"text", text}, {"addresses", addresses}},
       text.empty() ? "No address on this device can go in an invite." : text);
  return text.empty() ? 2 : 0;
}

std::string discovery_man_page(const CLI::App& app) {
  attune::cli::ManPage page;
  page.name = "attune-discovery";
  page.version = std::string("attune ") + ATTUNE_VERSION;
  page.summary = "find Attune sessions nearby, share invites, join by address";
  page.description = {
      "attune-discovery runs Attune's discovery on its own, without a session: it announces a session on the "
      "local network by link-local multicast, lists the sessions it hears (and explains an empty list), "
      "prints invites, and tries to reach a host by address or invite. Add --json for one JSON object per "
      "line."};
  page.sections.emplace_back(
      "EXIT STATUS", "",
      std::vector<attune::cli::ManTableRow>{
          {"0", "done"},
          {"1", "bad arguments, or something went wrong (the message says what)"},
          {"2", "the invite or address could not be read, or no address can go in an invite"},
          {"3", "join: the host could not be reached"}});
  page.sections.emplace_back("SEE ALSO", "attune(1)");
  return attune::cli::render_man_page(app, page);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Attune discovery: find sessions nearby, share invites, join by address.", "attune-discovery"};
  app.require_subcommand(1);
  Common common;
  app.add_flag("--json", g_json, "Print one JSON object per line");
  app.add_option("--group-port", common.group_port, "UDP port of the discovery group")->capture_default_str();
  app.add_flag("--no-ipv6", common.no_v6, "Use IPv4 only");

  AnnounceArgs an;
  auto* announce = app.add_subcommand("announce", "Announce a session on the local network");
  announce->add_option("--name", an.name,
                       "A session label to put in the beacons (everyone nearby reads it; none by default)");
  announce->add_option("--host-name", an.host_name,
                       "A host label to put in the beacons (everyone nearby reads it; none by default)");
  announce->add_option("--port", an.port, "Session TCP port (0 with --echo: any free port)");
  announce->add_flag("--echo", an.echo, "Run a line-echo TCP service on the port (stand-in for the session)");
  announce->add_option("--seats", an.seats, "Open seats")->check(CLI::Range(0, 4))->capture_default_str();
  announce->add_option("--interval-ms", an.interval_ms, "Steady beacon interval")
      ->check(CLI::Range(500, 60000))
      ->capture_default_str();
  announce->add_option("--code", an.code, "Session code for the invite (default: random)");
  announce->add_option("--invite-name", an.invite_names, "DNS name to add to the invite (repeatable)");
  announce->add_option("--duration", an.duration_s, "Stop after this many seconds (0: until Ctrl+C)");
  // Lets tests play an incompatible release.
  announce->add_option("--protocol-version", an.protocol_version)->group("");

  BrowseArgs br;
  auto* browse = app.add_subcommand("browse", "List sessions on the local network");
  browse->add_option("--duration", br.duration_s, "Stop after this many seconds (0: until Ctrl+C)")
      ->capture_default_str();
  browse
      ->add_option("--diagnose-after-ms", br.diagnose_after_ms,
                   "Explain an empty list after this long (0: never)")
      ->capture_default_str();
  browse->add_option("--data-dir", br.data_dir, "Where recent hosts are kept");
  browse->add_flag("!--no-recent", br.try_recent, "Do not try recently used hosts");
  browse->add_option("--exit-after-found", br.exit_after_found, "Stop once this many sessions are listed");

  JoinArgs jn;
  auto* join = app.add_subcommand("join", "Connect to a host by address or invite");
  join->add_option("target", jn.target, "host, host:port, [v6]:port, or an attune: invite")->required();
  join->add_option("--timeout-ms", jn.timeout_ms, "Give up after this long")->capture_default_str();
  join->add_option("--pings", jn.pings, "Measure round trips with this many echo pings")
      ->check(CLI::Range(0, 1000));
  join->add_option("--data-dir", jn.data_dir, "Where recent hosts are kept");
  join->add_flag("!--no-remember", jn.remember, "Do not add the host to recent hosts");

  uint16_t invite_port = kDefaultSessionPort;
  std::string invite_code;
  auto* invite = app.add_subcommand("invite", "Print an invite for a session on this device");
  invite->add_option("--port", invite_port, "Session TCP port")->capture_default_str();
  invite->add_option("--code", invite_code, "Session code (default: random)");

  // Build time: the man page and completion come from this same definition.
  if (argc == 2 && std::string_view(argv[1]) == "--man") {
    std::cout << discovery_man_page(app);
    return 0;
  }
  if (argc == 2 && std::string_view(argv[1]) == "--bash-completion") {
    std::cout << attune::cli::render_bash_completion(app, {});
    return 0;
  }
  CLI11_PARSE(app, argc, argv);
  try {
    if (*announce) return run_announce(an, common);
    if (*browse) return run_browse(br, common);
    if (*join) return run_join(jn);
    if (*invite) return run_invite(invite_port, invite_code);
  } catch (const std::exception& e) {
    emit({{"event", "error"}, {"message", e.what()}}, std::string("Something went wrong: ") + e.what());
    return 1;
  }
  return 0;
}
