// Two partners' data folders, paired once between real `attune` processes,
// and what the invitation process tests do with them: one-shot commands,
// postbox arguments, waiting for events, and a neighbour's ear on the
// partner beacons' group (loopback only).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "peer_process.hpp"

namespace attune::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
constexpr auto kWait = 20s;

inline std::string utc_iso(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:00Z", &tm);
  return text;
}

inline int64_t minute_from_now(int64_t minutes) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return (now / 60000 + minutes) * 60000;
}

inline int count_events(const PeerProcess& p, const std::string& name) {
  int n = 0;
  for (const auto& line : p.lines())
    if (line.value("event", "") == name) ++n;
  return n;
}

struct Partners {
  TempDir dir;
  fs::path a = dir.path() / "a";
  fs::path b = dir.path() / "b";
  fs::path c = dir.path() / "c";  // B's device after a reinstall: a new key, paired again.
  std::string id_a;
  std::string id_b;
  std::string id_c;
  uint16_t beacon_port = 0;  // 0: no partner beacons; else loopback only, on this group port.

  // Pairs once: A hosts, B joins with the code (and a coach's device too,
  // when `coach` is given), all leave. With `partner` = c, C joins instead.
  void pair(const fs::path& coach = {}, const fs::path& partner = {}) {
    const fs::path& joining = partner.empty() ? b : partner;
    std::vector<std::string> host_args{"--headless", "--data-dir", a.string(),     "host",   "--name",
                                       "Alex",       "--role",     "partner-a",    "--bind", "127.0.0.1",
                                       "--port",     "0",          "--no-announce"};
    // Pairing again: a new session, so the new device takes partner B's seat.
    if (joining != b) host_args.insert(host_args.begin() + 3, "--fresh-start");
    PeerProcess host("host", ATTUNE_BINARY, host_args, dir.path() / "host.stderr");
    const auto started =
        host.wait_for([](const Json& j) { return j.value("event", "") == "started"; }, kWait);
    const auto listening =
        host.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait);
    const auto code =
        host.wait_for([](const Json& j) { return j.value("event", "") == "pairing_code"; }, kWait);
    ASSERT_TRUE(started && listening && code) << host.tail();
    id_a = started->value("device_id", "");
    PeerProcess joiner("joiner", ATTUNE_BINARY,
                       {"--headless", "--data-dir", joining.string(), "join",
                        "127.0.0.1:" + std::to_string((*listening)["port"].get<int>()), "--name", "Blake",
                        "--role", "partner-b", "--code", (*code)["code"].get<std::string>()},
                       dir.path() / "joiner.stderr");
    const auto joined =
        joiner.wait_for([](const Json& j) { return j.value("event", "") == "started"; }, kWait);
    ASSERT_TRUE(joined) << joiner.tail();
    (joining == b ? id_b : id_c) = joined->value("device_id", "");
    ASSERT_TRUE(host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait))
        << host.tail() << joiner.tail();
    ASSERT_TRUE(
        joiner.wait_state([](const Json& s, uint64_t) { return s["participants"].size() >= 2; }, kWait))
        << joiner.tail();
    if (!coach.empty()) {
      PeerProcess casey("coach", ATTUNE_BINARY,
                        {"--headless", "--data-dir", coach.string(), "join",
                         "127.0.0.1:" + std::to_string((*listening)["port"].get<int>()), "--name", "Casey",
                         "--role", "coach", "--code", (*code)["code"].get<std::string>()},
                        dir.path() / "coach.stderr");
      const auto seated =
          casey.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 3; }, kWait);
      ASSERT_TRUE(seated) << casey.tail() << host.tail();
      ASSERT_TRUE(
          host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 3; }, kWait));
      casey.close_stdin();
      ASSERT_TRUE(casey.wait_exit(kWait));
    }
    joiner.close_stdin();
    ASSERT_TRUE(joiner.wait_exit(kWait));
    host.close_stdin();
    ASSERT_TRUE(host.wait_exit(kWait));
  }

  // A one-shot `attune --headless <command> ...`: every JSON line it printed.
  std::vector<Json> run(const fs::path& data, const std::string& command, std::vector<std::string> args) {
    std::vector<std::string> all{"--headless", "--data-dir", data.string(), command};
    all.insert(all.end(), args.begin(), args.end());
    PeerProcess p(command, ATTUNE_BINARY, all, dir.path() / (command + ".stderr"));
    EXPECT_EQ(p.wait_exit(kWait), 0) << p.tail();
    return p.lines();
  }
  // A one-shot `attune --headless invite ...`: its one JSON answer.
  Json invite(const fs::path& data, std::vector<std::string> args) {
    const auto lines = run(data, "invite", std::move(args));
    return lines.empty() ? Json() : lines.front();
  }

  std::vector<std::string> serve_args(const fs::path& data, uint16_t port,
                                      const std::string& partner = "") const {
    std::vector<std::string> args{"--headless", "--data-dir", data.string(),
                                  "invite",     "serve",      "--bind",
                                  "127.0.0.1",  "--port",     std::to_string(port)};
    if (!partner.empty()) args.insert(args.end(), {"--partner", partner});
    if (beacon_port == 0)
      args.push_back("--no-beacon");  // Never a real network.
    else
      args.insert(args.end(), {"--beacon-loopback", "--beacon-port", std::to_string(beacon_port)});
    return args;
  }

  Json list(const fs::path& data) { return invite(data, {"list"})["invitations"]; }
};

inline std::optional<Json> wait_event(PeerProcess& p, const std::string& name, std::size_t from = 0) {
  return p.wait_for([&](const Json& j) { return j.value("event", "") == name; }, kWait, from);
}

inline uint16_t open_port(PeerProcess& p) {
  const auto open = wait_event(p, "postbox_open");
  EXPECT_TRUE(open) << p.tail();
  return open ? (*open)["port"].get<uint16_t>() : 0;
}

// Hears every datagram sent to the partner beacons' group on loopback, as a
// neighbour on the same network would.
class BeaconObserver {
 public:
  explicit BeaconObserver(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    const int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    ok_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ip_mreq group{};
    group.imr_multiaddr.s_addr = inet_addr("224.0.0.178");
    group.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ok_ && ::setsockopt(fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &group, sizeof group) == 0;
  }
  ~BeaconObserver() { ::close(fd_); }
  bool ok() const { return ok_; }
  // Where each datagram heard so far came from, in the order heard.
  const std::vector<std::string>& sources() const { return sources_; }
  // Reads what arrived until `count` datagrams were heard or `timeout` passed.
  std::vector<std::string> hear(std::size_t count, std::chrono::milliseconds timeout) {
    std::vector<std::string> heard;
    const auto end = std::chrono::steady_clock::now() + timeout;
    char buffer[1024];
    while (heard.size() < count && std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      sockaddr_in from{};
      socklen_t from_len = sizeof from;
      const ssize_t n =
          ::recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n <= 0) continue;
      heard.emplace_back(buffer, static_cast<std::size_t>(n));
      char text[INET_ADDRSTRLEN] = {};
      sources_.emplace_back(::inet_ntop(AF_INET, &from.sin_addr, text, sizeof text) ? text : "");
    }
    return heard;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
  std::vector<std::string> sources_;
};

}  // namespace attune::test
