// Load and abuse against a live session: a second process (this test) opens
// 1,000 hostile or pointless connections to a real host on loopback while
// the three peers of a session are connected; another (code_guesser) makes
// 1,000 pairing attempts with wrong codes. The session must carry on,
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
#include <functional>
#include <map>
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
  h->set_protocol_version(kWireProtocolVersion);
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

// What the guesser processes reported, by result ("wrong_code", "rate_limited", ...).
std::map<std::string, int> tally(const PeerProcess& guesser) {
  std::map<std::string, int> out;
  for (const auto& line : guesser.lines()) {
    if (line.value("event", "") == "attempt") ++out[line.value("result", "")];
  }
  return out;
}

// Runs a guesser to its end; returns how long it took.
double run_guesser(PeerProcess& guesser, const std::function<void()>& meanwhile) {
  const auto start = std::chrono::steady_clock::now();
  meanwhile();
  const auto exit_code = guesser.wait_exit(120s);
  EXPECT_TRUE(exit_code && *exit_code == 0) << guesser.tail();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// 1,000 wrong codes from a second process, each a real CPace handshake the
// host judges unless it turns the address away first. Half come from one
// address (the per-address limit cuts it off after 5), half from 500
// addresses, more than the 256 the host remembers (its table stays bounded
// and newcomers beyond it share one small bucket). Every 5 wrong codes the
// code is replaced, so no code is ever judged against more than 5 guesses.
// Meanwhile the lobby carries on; afterwards a second coach pairs with the
// current code and the session starts and moves through its first steps.
TEST(Abuse, AThousandWrongCodesAreCutOffWhileTheSessionCarriesOn) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  auto& host = cluster.peer(Who::A);
  const long before = vm_rss_kib(host.pid());
  const std::string port = std::to_string(cluster.port());

  PeerProcess one_address("guesser (one address)", ATTUNE_GUESSER, {port, "500", "127.0.0.2", "1"},
                          cluster.root() / "guesser1.stderr");
  const double one_seconds = run_guesser(one_address, [&] {
    cluster.act(Who::A, "admit partner-b");
    cluster.act(Who::A, "admit coach");
    cluster.act(Who::B, "admit coach");
  });
  PeerProcess many_addresses("guesser (500 addresses)", ATTUNE_GUESSER, {port, "500", "127.0.1.0", "500"},
                             cluster.root() / "guesser2.stderr");
  const double many_seconds = run_guesser(many_addresses, [&] {
    cluster.act(Who::B, "settings threshold=4");
    cluster.act(Who::A, "share-with-coach on");
  });
  const long after = vm_rss_kib(host.pid());

  // What the host judged: one "didn't match" per evaluated guess, and a new
  // code after every 5; count the guesses between two codes.
  int judged = 0;
  int rotations = 0;
  int most_against_one_code = 0;
  int against_this_code = 0;
  std::string current_code = cluster.code();
  for (const auto& line : host.lines()) {
    const auto event = line.value("event", "");
    if (event == "pairing_code") {
      if (line.value("kind", "") == "rotated") ++rotations;
      if (!line.value("code", "").empty()) current_code = line["code"];
      against_this_code = 0;
    } else if (event == "peer_problem" &&
               line.value("message", "").find("didn't match") != std::string::npos) {
      ++judged;
      most_against_one_code = std::max(most_against_one_code, ++against_this_code);
    }
  }
  const auto one = tally(one_address);
  const auto many = tally(many_addresses);
  auto count = [](const std::map<std::string, int>& t, const std::string& key) {
    const auto it = t.find(key);
    return it == t.end() ? 0 : it->second;
  };
  const int evaluated = count(one, "wrong_code") + count(many, "wrong_code");
  const int limited = count(one, "rate_limited") + count(many, "rate_limited");
  std::printf(
      "wrong codes: one address: %d judged, %d turned away (%.1f s); 500 addresses: %d judged, %d turned "
      "away (%.1f s)\n"
      "wrong codes: host judged %d guesses, replaced the code %d times, at most %d guesses against one code; "
      "host VmRSS %ld KiB -> %ld KiB (%+ld KiB)\n",
      count(one, "wrong_code"), count(one, "rate_limited"), one_seconds, count(many, "wrong_code"),
      count(many, "rate_limited"), many_seconds, judged, rotations, most_against_one_code, before, after,
      after - before);
  RecordProperty("judged", judged);
  RecordProperty("turned_away", limited);

  // Every attempt got an answer, and none paired.
  EXPECT_EQ(count(one, "paired") + count(many, "paired"), 0);
  EXPECT_EQ(evaluated + limited, 1000) << "unexpected results: " << Json(one).dump() << Json(many).dump();
  // Guessing is cut off: one address gets its 5 tries plus one per 12 s refill...
  EXPECT_LE(count(one, "wrong_code"), 5 + static_cast<int>(one_seconds / 12) + 1);
  EXPECT_GE(count(one, "rate_limited"), 400);
  // ...many addresses get at most the 256 remembered ones' tries plus the
  // shared bucket's; a remembered address is forgotten once its bucket is
  // full again (12 s after one try), so a slow run may see the table turn over.
  const int windows = 1 + static_cast<int>(many_seconds / 12);
  EXPECT_LE(count(many, "wrong_code"), (256 + 5) * windows);
  if (windows == 1) {
    EXPECT_GT(count(many, "rate_limited"), 0) << "the shared bucket should turn newcomers away";
  }
  // The host judged exactly what the guessers saw judged, never more than 5 against one code.
  EXPECT_EQ(judged, evaluated);
  EXPECT_LE(most_against_one_code, 5);
  EXPECT_GE(rotations * 5 + 5, judged);

  // The session carried on: nobody was seated, everyone is still here.
  for (auto who : {Who::A, Who::B, Who::Coach}) EXPECT_TRUE(cluster.peer(who).running());
  EXPECT_EQ(cluster.state()["participants"].size(), 3u);
  EXPECT_EQ(cluster.state()["settings"]["threshold"], 4);

  // Someone with the current code still pairs (the host may first ask it to
  // wait while the guessers' addresses crowd its table; it retries by itself).
  const auto join_start = std::chrono::steady_clock::now();
  PeerProcess second_coach("second coach", ATTUNE_BINARY,
                           {"--headless", "--data-dir", (cluster.root() / "coach2").string(), "join",
                            "127.0.0.1:" + port, "--name", "Dana", "--role", "coach", "--code", current_code},
                           cluster.root() / "coach2.stderr");
  ASSERT_TRUE(host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 4; }, 90s))
      << host.tail() << second_coach.tail();
  std::printf("wrong codes: a joiner with the current code paired %.1f s after the attack\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - join_start).count());
  cluster.act(Who::A, "admit coach");
  cluster.act(Who::B, "admit coach");
  cluster.act(Who::A, "ready");
  cluster.act(Who::B, "ready");
  cluster.act(Who::A, "confirm");
  cluster.act(Who::B, "confirm");
  cluster.act(Who::A, "checkin 1");
  cluster.act(Who::B, "checkin 2");
  EXPECT_EQ(cluster.converge()["step"], "STEP_BENEFIT");
  EXPECT_TRUE(second_coach.wait_state(
      [](const Json& s, uint64_t) { return s.value("step", "") == "STEP_BENEFIT"; }, PeerCluster::kWait))
      << second_coach.tail();
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // Bounded: the rate-limit table holds at most 256 addresses.
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
  h->set_protocol_version(kWireProtocolVersion);
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
