// Soak: complete sessions back to back through real headless peers on
// loopback (host = partner A, partner B, a coach; fresh processes and data
// folders each time, as a couple would use the app evening after evening;
// a headless host serves one session and resumes it on restart, so a new
// session means a new host).
// Every session must reach COMPLETE on all three replicas and every peer
// must quit cleanly. Memory must stay flat: the peak resident memory of each
// peer and the runner's own memory and open descriptors may not grow with
// the session number. Prints one figure row per session and a first-vs-last
// summary.
//
// ATTUNE_SOAK_SESSIONS=N sets the count (default 5 for ctest; scripts/soak.sh
// runs 200).
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "peer_cluster.hpp"

namespace attune::test {
namespace {

struct Step {
  Who who;
  std::string command;
};

// One complete session, lobby to shared gesture, with every gate calm.
std::vector<Step> session_script() {
  const std::vector<Step> gate = {{Who::A, "checkin 2"}, {Who::B, "checkin 1"}};
  std::vector<Step> s = {{Who::A, "admit partner-b"}, {Who::A, "admit coach"},
                         {Who::B, "admit coach"},     {Who::A, "share-with-coach on"},
                         {Who::A, "ready"},           {Who::B, "ready"},
                         {Who::A, "confirm"},         {Who::B, "confirm"}};
  auto then = [&s](std::vector<Step> more) { s.insert(s.end(), more.begin(), more.end()); };
  then(gate);  // Gauge.
  then({{Who::A, "confirm"}, {Who::B, "confirm"}});
  then(gate);
  then({{Who::A, "offer-first"}, {Who::B, "accept-first"}});
  then(gate);
  then({{Who::A, "write I felt alone when the plans changed"}, {Who::A, "pass-floor"}});
  then(gate);
  then({{Who::B, "write You felt alone"},
        {Who::B, "ask-more"},
        {Who::A, "nothing-more"},
        {Who::B, "validated"},
        {Who::B, "finish-reflection"},
        {Who::A, "heard"}});
  then(gate);
  then({{Who::B, "write I felt pushed away"}, {Who::B, "pass-floor"}});
  then(gate);
  then({{Who::A, "ask-more"},
        {Who::B, "nothing-more"},
        {Who::A, "validated"},
        {Who::A, "finish-reflection"},
        {Who::B, "heard"}});
  then(gate);
  then({{Who::A, "write When I feel cornered I go quiet"}, {Who::A, "pass-floor"}, {Who::B, "pass-floor"}});
  then(gate);
  then({{Who::A, "write I still care"}, {Who::A, "pass-floor"}, {Who::B, "pass-floor"}});
  then(gate);
  then({{Who::A, "propose-gesture a walk together"}, {Who::B, "accept-gesture {first}"}});
  return s;
}

// A field of /proc/<pid>/status in KiB ("VmRSS:", "VmHWM:"), or -1.
long status_kib(const std::string& pid, const std::string& field) {
  std::ifstream in("/proc/" + pid + "/status");
  std::string key;
  while (in >> key) {
    if (key == field) {
      long kib = 0;
      in >> kib;
      return kib;
    }
    in.ignore(1 << 12, '\n');
  }
  return -1;
}

// Open descriptors of a process ("self" or a pid).
long open_fds(const std::string& pid) {
  long n = 0;
  if (DIR* dir = ::opendir(("/proc/" + pid + "/fd").c_str())) {
    while (::readdir(dir)) ++n;
    ::closedir(dir);
  }
  return n - 3;  // ".", ".." and the directory's own descriptor.
}

struct Row {
  int session = 0;
  double seconds = 0;
  long peak_kib[3] = {};  // VmHWM of A, B, coach at the end of the session.
  long host_fds = 0;      // The host's open descriptors at the end of the session.
  long runner_kib = 0;
  long runner_fds = 0;
};

long median(std::vector<long> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int session_count() {
  const char* env = std::getenv("ATTUNE_SOAK_SESSIONS");
  const int n = env ? std::atoi(env) : 5;
  return std::clamp(n, 1, 10000);
}

TEST(Soak, CompleteSessionsBackToBackWithFlatMemory) {
  const int sessions = session_count();
  const auto script = session_script();
  const Who everyone[] = {Who::A, Who::B, Who::Coach};
  std::vector<Row> rows;
  const auto soak_start = std::chrono::steady_clock::now();
  std::printf("soak: %d sessions, %zu commands each\n", sessions, script.size());
  std::printf("%8s %8s %12s %12s %12s %8s %12s %6s\n", "session", "seconds", "A peak KiB", "B peak KiB",
              "coach KiB", "A fds", "runner KiB", "fds");
  for (int n = 1; n <= sessions; ++n) {
    Row row;
    row.session = n;
    const auto start = std::chrono::steady_clock::now();
    {
      PeerCluster cluster(ATTUNE_BINARY);
      ASSERT_NO_FATAL_FAILURE(cluster.start()) << "session " << n;
      for (const auto& step : script) {
        std::string command = step.command;
        if (const auto at = command.find("{first}"); at != std::string::npos) {
          command = command.substr(0, at) + std::to_string(cluster.state()["gestures"].at(0).value("id", 0u));
        }
        cluster.act(step.who, command);
        ASSERT_FALSE(::testing::Test::HasFailure()) << "session " << n << " stopped at '" << command << "'";
      }
      const auto state = cluster.converge();
      ASSERT_EQ(state["phase"], "PHASE_COMPLETE") << "session " << n;
      for (int i = 0; i < 3; ++i) {
        row.peak_kib[i] = status_kib(std::to_string(cluster.peer(everyone[i]).pid()), "VmHWM:");
      }
      row.host_fds = open_fds(std::to_string(cluster.peer(Who::A).pid()));
      // Every peer quits cleanly ("quit" on stdin, exit code 0).
      for (auto who : everyone) cluster.peer(who).send("quit");
      for (auto who : everyone) {
        const auto code = cluster.peer(who).wait_exit(PeerCluster::kWait);
        ASSERT_TRUE(code) << who_name(who) << " did not quit in session " << n;
        EXPECT_EQ(*code, 0) << who_name(who) << " in session " << n << "\n" << cluster.peer(who).tail();
      }
    }
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    row.runner_kib = status_kib("self", "VmRSS:");
    row.runner_fds = open_fds("self");
    std::printf("%8d %8.2f %12ld %12ld %12ld %8ld %12ld %6ld\n", row.session, row.seconds, row.peak_kib[0],
                row.peak_kib[1], row.peak_kib[2], row.host_fds, row.runner_kib, row.runner_fds);
    std::fflush(stdout);
    rows.push_back(row);
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - soak_start).count();

  // First vs last: medians over a tenth of the run at each end (at least one
  // session), so one noisy session cannot decide it.
  const std::size_t k = std::max<std::size_t>(1, rows.size() / 10);
  auto ends = [&](auto field) {
    std::vector<long> first, last;
    for (std::size_t i = 0; i < k; ++i) first.push_back(field(rows[i]));
    for (std::size_t i = rows.size() - k; i < rows.size(); ++i) last.push_back(field(rows[i]));
    return std::pair{median(first), median(last)};
  };
  std::printf("soak: %d sessions complete in %.1f s (%.2f s per session); first vs last (medians of %zu):\n",
              sessions, total, total / sessions, k);
  const char* names[] = {"A peak", "B peak", "coach peak"};
  for (int i = 0; i < 3; ++i) {
    const auto [first, last] = ends([i](const Row& r) { return r.peak_kib[i]; });
    std::printf("  %-11s %8ld KiB -> %8ld KiB  ratio %.3f\n", names[i], first, last,
                static_cast<double>(last) / static_cast<double>(std::max(first, 1L)));
    // A fresh process per session: its peak must not depend on how many
    // sessions ran before (10% + 1 MiB of slack for allocator noise).
    EXPECT_LE(last, first + first / 10 + 1024) << names[i] << " grew with the session number";
  }
  const auto [rss_first, rss_last] = ends([](const Row& r) { return r.runner_kib; });
  const auto [fds_first, fds_last] = ends([](const Row& r) { return r.runner_fds; });
  const auto [host_fds_first, host_fds_last] = ends([](const Row& r) { return r.host_fds; });
  std::printf("  %-11s %8ld KiB -> %8ld KiB  ratio %.3f\n", "runner", rss_first, rss_last,
              static_cast<double>(rss_last) / static_cast<double>(std::max(rss_first, 1L)));
  std::printf("  %-11s %8ld     -> %8ld\n", "runner fds", fds_first, fds_last);
  std::printf("  %-11s %8ld     -> %8ld\n", "A fds", host_fds_first, host_fds_last);
  // Every host serves the same three peers, so it holds the same descriptors,
  // give or take its invitations' postbox: once the partners have paired it
  // opens (its socket, its loop's two descriptors, invitations.db), sooner
  // or later in the session depending on timing. No more than that.
  constexpr long kPostboxFds = 4;
  EXPECT_LE(host_fds_last, host_fds_first + kPostboxFds) << "the host holds more descriptors in later sessions";
  // The runner keeps nothing per session: no descriptor may leak, and its
  // memory may only wobble (10% + 2 MiB).
  EXPECT_LE(fds_last, fds_first) << "the runner leaks descriptors per session";
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_LE(rss_last, rss_first + rss_first / 10 + 2048)
      << "the runner's memory grew with the session number";
#else
  // AddressSanitizer holds freed memory in quarantine (up to 256 MiB), so the
  // runner's RSS climbs without a leak; LeakSanitizer checks leaks at exit.
  std::printf("  (runner memory not bounded under AddressSanitizer: freed blocks sit in quarantine)\n");
#endif
  RecordProperty("sessions", sessions);
  RecordProperty("seconds", static_cast<int>(total));
}

}  // namespace
}  // namespace attune::test
