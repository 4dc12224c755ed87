// The host's limits as real processes on loopback meet them (issue 12):
//  - strangers who hold handshakes open (item 1): many connections from
//    several loopback addresses that never pair but send a cleartext
//    heartbeat every second, so the link never looks idle. The host must
//    still let partner B back in with its pinned key, and a coach with the
//    right code, and close every held link by the handshake's hard deadline;
//  - devices that pair with the code and never join (item 8) must not close
//    the code for the partner it was meant for;
//  - a paired device that floods the host with long writes (item 4) is
//    slowed with words, and the host's database and memory stay small;
//  - a device that stops reading loses its own link, not the host's memory,
//    and catches up when it reads again (item 4);
//  - a device the partners declined stays declined for the session (item 4).
// Prints the figures it measures.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "attune/wire_codec.hpp"
#include "peer_cluster.hpp"
#include "session_script.hpp"

namespace attune::test {
namespace {

using Clock = std::chrono::steady_clock;

// What the issue measured: 13 addresses, 5 links each (65, one more than the
// host's 64 handshake slots).
constexpr int kSources = 13;
constexpr int kPerSource = 5;

int connect_from(uint32_t source, uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(source);
  sockaddr_in host{};
  host.sin_family = AF_INET;
  host.sin_port = htons(port);
  host.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if ((source >> 24) != 127 || ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&host), sizeof host) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads what is waiting; true once the host has closed its end.
bool closed_by_host(int fd) {
  char buffer[4096];
  for (int reads = 0; reads < 64; ++reads) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
  return false;
}

// The attacker: keeps kSources * kPerSource links open, heartbeats each one
// every second, and reopens any the host closes (the host's rate limit then
// decides). Runs on its own thread until stopped.
class HandshakeHolders {
 public:
  explicit HandshakeHolders(uint16_t port) : port_(port), frame_(heartbeat_frame()) {
    thread_ = std::thread([this] { run(); });
  }
  ~HandshakeHolders() { stop(); }

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // Waits (bounded) until `n` rounds of heartbeats went out.
  bool wait_rounds(int n, std::chrono::seconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (rounds_ < n && Clock::now() < deadline) std::this_thread::sleep_for(50ms);
    return rounds_ >= n;
  }
  double longest_held_seconds() {
    std::lock_guard lock(mutex_);
    double longest = longest_;
    for (const auto& link : links_) {
      if (link.fd >= 0) longest = std::max(longest, seconds_since(link.opened));
    }
    return longest;
  }
  int closed_by_the_host() const { return closed_; }
  int opened() const { return opened_; }

 private:
  struct Link {
    uint32_t source;
    int fd = -1;
    Clock::time_point opened;
  };

  static std::string heartbeat_frame() {
    v1::Envelope e;
    e.mutable_heartbeat();
    return *encode_envelope(e);  // 6 bytes: the length, then an empty Heartbeat.
  }
  static double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  }

  void run() {
    {
      std::lock_guard lock(mutex_);
      for (int s = 0; s < kSources; ++s) {
        for (int i = 0; i < kPerSource; ++i) links_.push_back(Link{(127u << 24) + 2u + static_cast<uint32_t>(s), -1, Clock::now()});
      }
    }
    // Bounded even if nobody calls stop(): two minutes of rounds at most.
    for (int round = 0; round < 120 && !stop_; ++round) {
      const auto next = Clock::now() + 1s;
      {
        std::lock_guard lock(mutex_);
        for (auto& link : links_) tend(link);
      }
      ++rounds_;
      while (!stop_ && Clock::now() < next) std::this_thread::sleep_for(20ms);
    }
    std::lock_guard lock(mutex_);
    for (auto& link : links_) {
      if (link.fd >= 0) ::close(link.fd);
    }
  }

  void tend(Link& link) {
    if (link.fd >= 0 && closed_by_host(link.fd)) {
      longest_ = std::max(longest_, seconds_since(link.opened));
      ::close(link.fd);
      link.fd = -1;
      ++closed_;
    }
    if (link.fd < 0) {
      link.fd = connect_from(link.source, port_);
      link.opened = Clock::now();
      if (link.fd >= 0) ++opened_;
    }
    if (link.fd >= 0) (void)!::send(link.fd, frame_.data(), frame_.size(), MSG_NOSIGNAL);
  }

  uint16_t port_;
  std::string frame_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> rounds_{0};
  std::atomic<int> closed_{0};
  std::atomic<int> opened_{0};
  std::mutex mutex_;
  std::vector<Link> links_;  // Guarded by mutex_.
  double longest_ = 0;       // Guarded by mutex_.
};

TEST(HostLimits, StrangersHoldingHandshakesOpenDoNotKeepAPairedPartnerOrACoachOut) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  auto& host = cluster.peer(Who::A);
  auto& b = cluster.peer(Who::B);
  const auto attack_start = Clock::now();
  HandshakeHolders holders(cluster.port());
  ASSERT_TRUE(holders.wait_rounds(2, 20s)) << "the attacker could not get going";

  // Partner B restarts and comes back with its pinned key.
  const auto b_from = b.line_count();
  const auto b_start = Clock::now();
  cluster.kill_and_restart(Who::B);
  const auto b_back = b.wait_for(
      [](const Json& j) { return j.value("event", "") == "link" && j.value("link", "") == "connected"; }, 12s,
      b_from);
  const double b_seconds = std::chrono::duration<double>(Clock::now() - b_start).count();
  EXPECT_TRUE(b_back) << "partner B was kept out while strangers held the handshakes\n" << b.tail();

  // A second coach with the code pairs too.
  const auto coach_start = Clock::now();
  PeerProcess coach2("second coach", ATTUNE_BINARY,
                     {"--headless", "--data-dir", (cluster.root() / "coach2").string(), "join",
                      "127.0.0.1:" + std::to_string(cluster.port()), "--name", "Dana", "--role", "coach",
                      "--code", cluster.code()},
                     cluster.root() / "coach2.stderr");
  const bool coach_in =
      host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 4; }, 12s).has_value();
  const double coach_seconds = std::chrono::duration<double>(Clock::now() - coach_start).count();
  EXPECT_TRUE(coach_in) << "a coach with the right code was kept out\n" << coach2.tail() << host.tail();

  // Every held link is closed by the hard deadline (15 s from accept), even
  // though each keeps sending: keep the attack going past it and look.
  const auto past_deadline = attack_start + 22s;
  while (Clock::now() < past_deadline) std::this_thread::sleep_for(100ms);
  const double longest = holders.longest_held_seconds();
  holders.stop();
  std::printf(
      "handshake slots: %d links from %d addresses (%d opened in all, %d closed by the host); partner B back "
      "in %.1f s (%s), coach with the code in %.1f s (%s); longest a stranger held a link: %.1f s\n",
      kSources * kPerSource, kSources, holders.opened(), holders.closed_by_the_host(), b_seconds,
      b_back ? "yes" : "no", coach_seconds, coach_in ? "yes" : "no", longest);
  RecordProperty("partner_b_seconds", std::to_string(b_seconds));
  RecordProperty("longest_held_seconds", std::to_string(longest));
  EXPECT_LT(longest, 18.0) << "a stranger held a handshake open past the 15-second deadline";

  // The session goes on for everyone who belongs.
  cluster.act(Who::A, "admit partner-b");
  cluster.act(Who::B, "settings threshold=4");
  EXPECT_EQ(cluster.converge()["settings"]["threshold"], 4);
}

// Three devices pair with the right code and leave without joining; the
// partner the code was meant for still gets in with it.
TEST(HostLimits, DevicesThatPairButNeverJoinDoNotCloseTheCode) {
  TempDir dir;
  PeerProcess host("host", ATTUNE_BINARY,
                   {"--headless", "--data-dir", (dir.path() / "a").string(), "host", "--name", "Alex", "--role",
                    "partner-a", "--bind", "127.0.0.1", "--port", "0"},
                   dir.path() / "a.stderr");
  const auto listening = host.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, 20s);
  ASSERT_TRUE(listening) << host.tail();
  const auto port = std::to_string((*listening)["port"].get<uint16_t>());
  const auto shown = host.wait_for([](const Json& j) { return j.value("event", "") == "pairing_code"; }, 20s);
  ASSERT_TRUE(shown) << host.tail();
  const std::string code = (*shown)["code"];

  // Three seats are free (partner B and two coaches): three pairings.
  PeerProcess pairers("three pairings", ATTUNE_GUESSER, {port, "3", "127.0.0.2", "3", code},
                      dir.path() / "pairers.stderr");
  ASSERT_EQ(pairers.wait_exit(20s), 0) << pairers.tail();
  int paired = 0;
  for (const auto& line : pairers.lines()) paired += line.value("result", "") == "paired" ? 1 : 0;
  ASSERT_EQ(paired, 3) << pairers.tail();

  PeerProcess b("partner B", ATTUNE_BINARY,
                {"--headless", "--data-dir", (dir.path() / "b").string(), "join", "127.0.0.1:" + port, "--name",
                 "Blake", "--role", "partner-b", "--code", code},
                dir.path() / "b.stderr");
  EXPECT_TRUE(host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, 20s))
      << "the code was closed by devices that never joined\n"
      << b.tail() << host.tail();
  for (const auto& line : host.lines()) {
    EXPECT_NE(line.value("kind", ""), "seats_filled") << "the code closed early: " << line.dump();
  }
}

// The database and its write-ahead log, in KiB.
std::uintmax_t database_kib(const std::filesystem::path& data_dir) {
  std::uintmax_t bytes = 0;
  for (const char* name : {"attune.db", "attune.db-wal"}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(data_dir / name, ec);
    if (!ec) bytes += size;
  }
  return bytes / 1024;
}

// Walks the nine-step script up to (not including) the line starting with `command`.
void walk_until(PeerCluster& cluster, const std::string& command) {
  for (const auto& line : nine_steps()) {
    if (line.command.starts_with(command)) return;
    cluster.act(line.who, expand(line.command, cluster.state()));
    ASSERT_FALSE(::testing::Test::HasFailure()) << "stopped at '" << line.command << "'";
  }
}

// The host's resident memory and database, in KiB.
std::pair<long, std::uintmax_t> footprint(const PeerProcess& host, const std::filesystem::path& data_dir) {
  return {vm_rss_kib(host.pid()), database_kib(data_dir)};
}

// Waits (bounded) until `p` printed `n` answers (ack or refused) after `from`.
std::vector<Json> answers(const PeerProcess& p, std::size_t from, std::size_t n, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::vector<Json> out;
  while (true) {
    out.clear();
    const auto lines = p.lines();
    for (std::size_t i = from; i < lines.size(); ++i) {
      const auto event = lines[i].value("event", "");
      if (event == "ack" || event == "refused") out.push_back(lines[i]);
    }
    if (out.size() >= n || Clock::now() >= deadline) return out;
    std::this_thread::sleep_for(50ms);
  }
}

// Partner B sends 3,000 rewrites of an 8 KB reflection as fast as it can
// (what the issue measured: the host took them all in 4.7 s and its
// database grew by 48 MB). The host takes a burst, then a steady few a
// second, answers the rest with words, and its database holds one copy of
// the text, not one per write. B can carry on afterwards.
TEST(HostLimits, AFloodOfLongWritesIsSlowedWithWordsAndTheDatabaseStaysSmall) {
  constexpr int kWrites = 3000;
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  ASSERT_NO_FATAL_FAILURE(walk_until(cluster, "write You felt left out"));  // B's turn to write.
  auto& host = cluster.peer(Who::A);
  auto& b = cluster.peer(Who::B);
  const auto host_dir = cluster.root() / "a";
  const auto [rss_before, db_before] = footprint(host, host_dir);

  const auto from = b.line_count();
  const auto start = Clock::now();
  for (int i = 0; i < kWrites; ++i) {
    b.send("write " + std::string(8 * 1024 - 16, static_cast<char>('a' + i % 26)) + " " + std::to_string(i));
  }
  const auto got = answers(b, from, kWrites, 150s);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_GE(got.size(), static_cast<std::size_t>(kWrites)) << b.tail();
  int acked = 0;
  int slowed = 0;
  for (const auto& answer : got) {
    if (answer["event"] == "ack") ++acked;
    if (answer["event"] == "refused" && answer.value("message", "").find("too fast") != std::string::npos) ++slowed;
  }
  const long rss_after = vm_rss_kib(host.pid());
  const auto db_running = database_kib(host_dir);
  host.close_stdin();
  ASSERT_TRUE(host.wait_exit(20s)) << host.tail();
  const auto db_closed = database_kib(host_dir);
  std::printf(
      "write flood: %d writes of 8 KB in %.1f s: %d applied, %d slowed with words; host VmRSS %ld -> %ld KiB; "
      "database %ju KiB -> %ju KiB running, %ju KiB once closed\n",
      kWrites, seconds, acked, slowed, rss_before, rss_after, db_before, db_running, db_closed);
  RecordProperty("applied", acked);
  RecordProperty("database_growth_kib", std::to_string(db_closed - db_before));

  EXPECT_GT(slowed, 0) << "nobody told B to slow down";
  EXPECT_EQ(acked + slowed, kWrites) << b.tail();
  // A burst of 60, then 10 a second (attune/host/device_limits.hpp), with room.
  EXPECT_LE(acked, 60 + static_cast<int>(seconds * 10) + 20);
  // One copy of the text, not one per write (3,000 would be 48 MB).
  EXPECT_LT(db_closed, db_before + 2 * 1024) << "the database grew with the number of writes";
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  EXPECT_LT(rss_after - rss_before, 16 * 1024) << "host memory grew by " << (rss_after - rss_before) << " KiB";
#endif
}

// Partner B, still waiting in the lobby, sends 20,000 intents the host
// must refuse (the issue measured host memory 12.5 -> 27.1 MB and the
// database 0.2 -> 11.0 MB: every refusal was kept forever). Refusals are
// now rate limited and their memory bounded.
TEST(HostLimits, TwentyThousandRefusedIntentsFromTheLobbyLeaveTheHostSmall) {
  constexpr int kIntents = 20000;
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  auto& host = cluster.peer(Who::A);
  auto& b = cluster.peer(Who::B);
  const auto host_dir = cluster.root() / "a";
  const auto [rss_before, db_before] = footprint(host, host_dir);
  const auto from = b.line_count();
  const auto start = Clock::now();
  for (int i = 0; i < kIntents; ++i) b.send("ready");  // Not let in yet: refused.
  const auto got = answers(b, from, kIntents, 150s);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_GE(got.size(), static_cast<std::size_t>(kIntents)) << b.tail();
  const long rss_after = vm_rss_kib(host.pid());
  host.close_stdin();
  ASSERT_TRUE(host.wait_exit(20s)) << host.tail();
  const auto db_closed = database_kib(host_dir);
  std::printf("lobby refusals: %d refused intents in %.1f s; host VmRSS %ld -> %ld KiB; database %ju -> %ju KiB\n",
              kIntents, seconds, rss_before, rss_after, db_before, db_closed);
  EXPECT_LT(db_closed, db_before + 1024) << "the database grew with every refusal";
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  EXPECT_LT(rss_after - rss_before, 6 * 1024) << "host memory grew by " << (rss_after - rss_before) << " KiB";
#endif
}

// The coach's device stops reading (frozen with SIGSTOP, under a silence
// limit long enough that the host doesn't drop it for silence) while partner
// A, at the host, rewrites an 8 KB share 3,000 times; every change goes to
// the coach too (the issue measured 10,000: host memory 12.4 -> 94.3 MB, and
// the link never closed). The host closes that one link once 2 MiB wait unsent; when
// the coach reads again it reconnects and catches up.
TEST(HostLimits, ADeviceThatStopsReadingLosesItsLinkNotTheHostsMemory) {
  constexpr int kWrites = 3000;
  ClusterOptions options;
  options.silence_ms = 120000;
  PeerCluster cluster(ATTUNE_BINARY, options);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  ASSERT_NO_FATAL_FAILURE(walk_until(cluster, "write I felt alone"));  // A's turn to share.
  auto& host = cluster.peer(Who::A);
  auto& coach = cluster.peer(Who::Coach);
  const auto [rss_before, db_before] = footprint(host, cluster.root() / "a");
  coach.signal(SIGSTOP);
  const auto from = host.line_count();
  const auto start = Clock::now();
  // In batches, answered before the next, so what piles up is what the
  // coach doesn't read, not what A typed ahead.
  std::vector<Json> got;
  for (int sent = 0; sent < kWrites;) {
    for (const int batch_end = sent + 300; sent < batch_end; ++sent) {
      host.send("write " + std::string(8 * 1024 - 16, static_cast<char>('a' + sent % 26)) + " " +
                std::to_string(sent));
    }
    got = answers(host, from, static_cast<std::size_t>(sent), 30s);
    if (got.size() < static_cast<std::size_t>(sent)) break;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const long rss_after = vm_rss_kib(host.pid());
  bool closed = false;
  for (const auto& line : host.lines()) {
    closed = closed || (line.value("event", "") == "peer_problem" &&
                        line.value("message", "").find("stopped reading") != std::string::npos);
  }
  coach.signal(SIGCONT);
  std::printf("unread device: %d writes of 8 KB in %.1f s, %zu answered; coach's link closed: %s; host VmRSS %ld "
              "-> %ld KiB\n",
              kWrites, seconds, got.size(), closed ? "yes" : "no", rss_before, rss_after);
  RecordProperty("rss_growth_kib", static_cast<int>(rss_after - rss_before));
  ASSERT_GE(got.size(), static_cast<std::size_t>(kWrites)) << host.tail();
  EXPECT_TRUE(closed) << "the host kept the link of a device that doesn't read";
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  EXPECT_LT(rss_after - rss_before, 12 * 1024) << "host memory grew by " << (rss_after - rss_before) << " KiB";
#endif
  // Reading again, the coach comes back and sees the latest text.
  EXPECT_TRUE(coach.wait_state([&](const Json&, uint64_t seq) { return seq == host.latest_seq(); }, 30s))
      << coach.tail();
}

// Partner A declines the coach. The coach's device is told it is no longer
// part of the session; started again (its key is still pinned), it is
// refused at the door with words and never seated again.
TEST(HostLimits, ADeclinedDeviceStaysDeclinedForTheSession) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  auto& host = cluster.peer(Who::A);
  auto& coach = cluster.peer(Who::Coach);
  cluster.act(Who::A, "decline coach");
  ASSERT_TRUE(host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, 20s))
      << host.tail();
  ASSERT_TRUE(coach.wait_exit(20s)) << coach.tail();

  const auto from = coach.line_count();
  coach.restart();
  const auto refused = coach.wait_for(
      [](const Json& j) {
        return j.value("event", "") == "refused" &&
               j.value("message", "").find("didn't let this device into this session") != std::string::npos;
      },
      20s, from);
  EXPECT_TRUE(refused) << "the declined device was not told\n" << coach.tail();
  // And it is not seated again, however long it stays.
  EXPECT_FALSE(host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 3; }, 3s))
      << host.tail();
  EXPECT_EQ(cluster.state()["participants"].size(), 2u) << host.tail();
}

}  // namespace
}  // namespace attune::test
