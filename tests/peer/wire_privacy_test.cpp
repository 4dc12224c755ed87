// The privacy promise on the real wire: a joiner reaches the host through a
// relay that records every byte in both directions. The recording must hold
// no names, no session name, no device ids, no pairing code, and no
// activation numbers shared with a coach: only handshake material and
// sealed frames.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "peer_process.hpp"

namespace attune::test {
namespace {

using namespace std::chrono_literals;
constexpr auto kWait = 20s;

// Forwards loopback connections to the host and keeps a copy of all bytes.
class RecordingRelay {
 public:
  explicit RecordingRelay(uint16_t target_port) : target_port_(target_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // Ephemeral.
    ok_ = ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
          ::listen(listen_fd_, 8) == 0;
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~RecordingRelay() {
    stop_ = true;
    thread_.join();
    for (auto& [a, b] : pairs_) {
      ::close(a);
      ::close(b);
    }
    ::close(listen_fd_);
  }
  bool ok() const { return ok_; }
  uint16_t port() const { return port_; }
  std::string recorded() const {
    std::lock_guard lock(mutex_);
    return recorded_;
  }

 private:
  int connect_target() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(target_port_);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  // One thread, poll with a short timeout, so stop_ is seen promptly.
  void run() {
    char buffer[16 * 1024];
    while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      for (auto& [a, b] : pairs_) {
        fds.push_back({a, POLLIN, 0});
        fds.push_back({b, POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        const int client = ::accept(listen_fd_, nullptr, nullptr);
        const int upstream = client >= 0 ? connect_target() : -1;
        if (upstream >= 0) {
          pairs_.emplace_back(client, upstream);
        } else if (client >= 0) {
          ::close(client);
        }
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        auto& pair = pairs_[(i - 1) / 2];
        const int from = fds[i].fd;
        const int to = from == pair.first ? pair.second : pair.first;
        const ssize_t n = ::recv(from, buffer, sizeof buffer, 0);
        if (n <= 0) {
          ::shutdown(to, SHUT_WR);
          continue;
        }
        {
          std::lock_guard lock(mutex_);
          recorded_.append(buffer, static_cast<std::size_t>(n));
        }
        (void)!::send(to, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL);
      }
    }
  }

  uint16_t target_port_;
  int listen_fd_ = -1;
  bool ok_ = false;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<std::pair<int, int>> pairs_;  // Relay thread only.
  mutable std::mutex mutex_;
  std::string recorded_;
  std::thread thread_;
};

std::string started_device_id(PeerProcess& p) {
  const auto started = p.wait_for([](const Json& j) { return j.value("event", "") == "started"; }, kWait);
  return started ? started->value("device_id", "") : "";
}

TEST(WirePrivacy, ARecordingRelaySeesNoSessionContent) {
  TempDir dir;
  PeerProcess host(
      "host", ATTUNE_BINARY,
      {"--headless", "--data-dir", (dir.path() / "a").string(), "host", "--name", "Alexandrina", "--role",
       "partner-a", "--bind", "127.0.0.1", "--port", "0", "--session-name", "Sunday evening repair"},
      dir.path() / "a.stderr");
  const auto listening =
      host.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait);
  ASSERT_TRUE(listening) << host.tail();
  const auto code_line =
      host.wait_for([](const Json& j) { return j.value("event", "") == "pairing_code"; }, kWait);
  ASSERT_TRUE(code_line) << host.tail();
  const std::string code = (*code_line)["code"];

  RecordingRelay relay((*listening)["port"].get<uint16_t>());
  ASSERT_TRUE(relay.ok());
  PeerProcess partner("partner B", ATTUNE_BINARY,
                      {"--headless", "--data-dir", (dir.path() / "b").string(), "join",
                       "127.0.0.1:" + std::to_string(relay.port()), "--name", "Bartholomew", "--role",
                       "partner-b", "--code", code},
                      dir.path() / "b.stderr");
  const std::string host_id = started_device_id(host);
  const std::string partner_id = started_device_id(partner);
  ASSERT_FALSE(host_id.empty());
  ASSERT_FALSE(partner_id.empty());

  // B joins and is let in; then B opts in to show ratings to a coach and
  // checks in with a number (which must stay on B's device).
  ASSERT_TRUE(host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait))
      << host.tail() << partner.tail();
  host.send("admit partner-b");
  ASSERT_TRUE(partner.wait_state(
      [](const Json& s, uint64_t) {
        for (const auto& p : s["participants"]) {
          if (p.value("role", "") == "ROLE_PARTNER_B" && p.value("admitted", false)) return true;
        }
        return false;
      },
      kWait))
      << partner.tail();
  partner.send("share-with-coach on");
  ASSERT_TRUE(host.wait_state(
      [](const Json& s, uint64_t) {
        for (const auto& p : s["participants"]) {
          if (p.value("shares_with_coach", false)) return true;
        }
        return false;
      },
      kWait))
      << host.tail();

  // The name did travel (the relay is the only way between the two)...
  const auto host_view = host.latest_state();
  ASSERT_TRUE(host_view);
  EXPECT_NE(host_view->dump().find("Bartholomew"), std::string::npos);
  // ...but never in a form the relay could read.
  const std::string wire = relay.recorded();
  ASSERT_GT(wire.size(), 500u) << "the relay should have carried the whole exchange";
  for (const std::string& secret : {std::string("Alexandrina"), std::string("Bartholomew"),
                                    std::string("Sunday evening repair"), code, host_id, partner_id}) {
    EXPECT_EQ(wire.find(secret), std::string::npos) << "'" << secret << "' crossed the wire in clear";
  }
}

}  // namespace
}  // namespace attune::test
