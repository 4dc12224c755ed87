// Load and abuse against a live session: a second process (this test) opens
// 1,000 hostile or pointless connections to a real host on loopback while
// the three peers of a session are connected. The session must carry on,
// the host must close every bad link, and its memory must stay bounded.
// Prints the host's VmRSS before and after (a figure, not a timing).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "attune/frame_decoder.hpp"
#include "attune/wire_codec.hpp"
#include "peer_cluster.hpp"

namespace attune::test {
namespace {

constexpr int kAttempts = 1000;

std::string header(uint32_t n) {
  return {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
          static_cast<char>(n)};
}

// Resident memory of a process in KiB, from /proc/<pid>/status.
long vm_rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      in >> kib;
      return kib;
    }
    in.ignore(1 << 12, '\n');
  }
  return -1;
}

// One connection: send `bytes`, stop writing, and wait (bounded) for the
// host to close its end. Returns whether the host closed the link.
bool poke(uint16_t port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  bool closed = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    if (!bytes.empty()) (void)!::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    char buffer[4096];
    for (int reads = 0; reads < 1000; ++reads) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n == 0 || (n < 0 && errno == ECONNRESET)) {
        closed = true;
        break;
      }
      if (n < 0) break;  // Timed out: the host kept the link open.
    }
  }
  ::close(fd);
  return closed;
}

// A Hello from a device nobody knows that asks for no seat.
std::string stranger_hello(int i) {
  v1::Envelope e;
  auto* h = e.mutable_hello();
  h->set_protocol_version(kProtocolVersion);
  h->set_app_version("abuse");
  h->set_device_id("stranger-" + std::to_string(i));
  return *encode_envelope(e);
}

TEST(Abuse, AThousandHostileConnectionsLeaveTheSessionRunningAndMemoryBounded) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  cluster.act(Who::A, "admit partner-b");
  cluster.act(Who::A, "admit coach");
  cluster.act(Who::B, "admit coach");
  const pid_t host = cluster.peer(Who::A).pid();

  std::mt19937 rng(20261121);
  auto attempt = [&](int i) {
    std::string bytes;
    switch (i % 6) {
      case 0:  // Connect and leave at once.
        break;
      case 1: {  // Random garbage.
        bytes.resize(1 + rng() % 512);
        for (auto& c : bytes) c = static_cast<char>(rng());
        break;
      }
      case 2:  // The header of a huge frame.
        bytes = header(0x7fffffff);
        break;
      case 3:  // Half a frame.
        bytes = header(200) + std::string(50, 'x');
        break;
      case 4:  // A well-formed Hello from an unknown device, then gone.
        bytes = stranger_hello(i);
        break;
      case 5:  // An empty frame.
        bytes = header(0);
        break;
    }
    return poke(cluster.port(), bytes);
  };

  // Warm-up, so the baseline includes what a first connection allocates once.
  for (int i = 0; i < 60; ++i) attempt(i);
  const long before = vm_rss_kib(host);
  int closed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kAttempts; ++i) closed += attempt(i) ? 1 : 0;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long after = vm_rss_kib(host);
  std::printf(
      "abuse: %d connections in %.1f s, %d closed by the host; host VmRSS %ld KiB -> %ld KiB (%+ld KiB)\n",
      kAttempts, seconds, closed, before, after, after - before);
  RecordProperty("rss_before_kib", static_cast<int>(before));
  RecordProperty("rss_after_kib", static_cast<int>(after));

  ASSERT_GT(before, 0);
  EXPECT_EQ(closed, kAttempts) << "every hostile link should be closed by the host";
  for (auto who : {Who::A, Who::B, Who::Coach}) EXPECT_TRUE(cluster.peer(who).running());
  // Nobody took a seat.
  EXPECT_EQ(cluster.state()["participants"].size(), 3u);
  // The session carries on: both partners get ready and step 1 starts everywhere.
  cluster.act(Who::A, "ready");
  cluster.act(Who::B, "ready");
  EXPECT_EQ(cluster.converge()["step"], "STEP_NAME_IT");
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // Bounded: 1,000 links must not keep their buffers (a leak of even 8 KiB
  // per link would show as ~8 MiB). Sanitizer builds keep freed memory in
  // quarantine, so the figure means nothing there.
  EXPECT_LT(after - before, 4 * 1024) << "host memory grew by " << (after - before) << " KiB";
#endif
}

// Half-open links held at once (a slow-loris): they must not block the
// session, and the host must close every one once it has been silent for
// the silence limit.
TEST(Abuse, TwoHundredSilentConnectionsAreClosedAndDoNotBlockTheSession) {
  constexpr int kHeld = 200;
  PeerCluster cluster(ATTUNE_BINARY, ClusterOptions{2000, 500});
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  std::vector<pollfd> links;
  for (int i = 0; i < kHeld; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(cluster.port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    links.push_back(pollfd{fd, POLLIN, 0});
  }
  // The session carries on while they hang there.
  cluster.act(Who::A, "admit partner-b");
  cluster.act(Who::B, "share-with-coach on");
  for (auto who : {Who::A, Who::B, Who::Coach}) EXPECT_TRUE(cluster.peer(who).running());

  // Every held link is closed by the host within a bounded time.
  int open = kHeld;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (open > 0 && std::chrono::steady_clock::now() < deadline) {
    if (::poll(links.data(), links.size(), 500) <= 0) continue;
    for (auto& l : links) {
      if (l.fd < 0 || l.revents == 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(l.fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        ::close(l.fd);
        l.fd = -1;  // poll ignores negative fds.
        --open;
      }
    }
  }
  for (auto& l : links) {
    if (l.fd >= 0) ::close(l.fd);
  }
  std::printf("abuse: %d silent links held; %d still open after the deadline\n", kHeld, open);
  EXPECT_EQ(open, 0) << "the host should close links that never speak";
  cluster.act(Who::B, "share-with-coach off");
}

// Every frame the host sends on a fresh link after `bytes`, for up to ~2 s.
std::vector<v1::Envelope> listen(uint16_t port, const std::string& bytes) {
  std::vector<v1::Envelope> out;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    (void)!::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    FrameDecoder decoder;
    char buffer[4096];
    for (int reads = 0; reads < 100; ++reads) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      decoder.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      std::string payload;
      while (decoder.next(payload) == FrameDecoder::Status::Good) {
        v1::Envelope e;
        if (!decode_envelope(payload, e)) out.push_back(e);
      }
    }
  }
  ::close(fd);
  return out;
}

std::string hello_as(const std::string& device_id) {
  v1::Envelope e;
  auto* h = e.mutable_hello();
  h->set_protocol_version(kProtocolVersion);
  h->set_app_version("abuse");
  h->set_device_id(device_id);
  return *encode_envelope(e);
}

// KNOWN GAP, disabled until the transport runs the pairing handshake
// (SecureLink) on every link: today a device id is only claimed in Hello,
// the roster (with ids) is shown to any device that says Hello, and a newer
// link with the same id replaces the old one. So a stranger on the network
// can take over a partner's seat and read the session. Enable this test
// when peer/net pins keys; it says what must then hold.
TEST(Abuse, AStrangerCannotTakeOverAPartnersSeatByClaimingItsId) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  cluster.act(Who::A, "admit partner-b");
  cluster.act(Who::A, "admit coach");
  cluster.act(Who::B, "admit coach");
  cluster.act(Who::A, "ready");
  cluster.act(Who::B, "ready");

  // Step 1: a stranger says Hello and reads the roster it is shown.
  std::string b_id;
  for (const auto& e : listen(cluster.port(), hello_as("curious-stranger"))) {
    if (!e.has_snapshot()) continue;
    for (const auto& p : e.snapshot().state().participants()) {
      if (p.role() == v1::ROLE_PARTNER_B) b_id = p.id();
    }
  }
  // Step 2: it claims partner B's id on a new link.
  bool seated = false;
  bool saw_content = false;
  if (!b_id.empty()) {
    for (const auto& e : listen(cluster.port(), hello_as(b_id))) {
      if (e.has_welcome() && e.welcome().seated()) seated = true;
      if (e.has_snapshot() && e.snapshot().state().step() != v1::STEP_LOBBY) saw_content = true;
    }
  }
  EXPECT_FALSE(seated) << "a stranger was welcomed as partner B";
  EXPECT_FALSE(saw_content) << "a stranger was shown the running session";
  EXPECT_TRUE(cluster.peer(Who::B).running());
}

}  // namespace
}  // namespace attune::test
