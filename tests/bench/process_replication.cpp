#include "process_replication.hpp"

#include <chrono>
#include <thread>

#include "peer_cluster.hpp"

namespace attune::bench {

namespace {

using Clock = std::chrono::steady_clock;
using test::Json;
using test::PeerCluster;
using test::Who;

bool at_least(test::PeerProcess& p, uint64_t seq) {
  return p.wait_state([seq](const Json&, uint64_t s) { return s >= seq; }, PeerCluster::kWait).has_value();
}

}  // namespace

std::vector<double> process_replication(const std::string& attune_binary, int intents, std::string* error) {
  std::vector<double> samples;
  test::ClusterOptions options;
  // Heartbeats as the product sends them; silence long enough that a loaded
  // machine never pauses the session in the middle of the run.
  options.silence_ms = 30000;
  PeerCluster cluster(attune_binary, options);
  cluster.start();
  for (const auto& [who, command] : {std::pair{Who::A, "admit partner-b"}, std::pair{Who::A, "admit coach"},
                                     std::pair{Who::B, "admit coach"}}) {
    if (cluster.act(who, command) == 0) {
      *error = std::string("the session could not be set up (") + command + ")";
      return samples;
    }
  }
  auto& host = cluster.peer(Who::A);
  auto& b = cluster.peer(Who::B);
  auto& coach = cluster.peer(Who::Coach);
  const int warmup = 10;
  // The host lets a device send 10 intents a second once its burst is spent
  // (attune/host/device_limits.hpp): the processes go at a person's
  // quickest pace instead of back to back.
  const auto pace = std::chrono::milliseconds(105);
  auto next_at = Clock::now();
  samples.reserve(static_cast<std::size_t>(intents));
  bool share = false;
  for (int i = 0; i < intents + warmup; ++i) {
    const uint64_t next = host.latest_seq() + 1;
    share = !share;
    std::this_thread::sleep_until(next_at);
    next_at += pace;
    const auto t0 = Clock::now();
    b.send(share ? "share-with-coach on" : "share-with-coach off");
    // The last of the three to print it ends the sample (each wait returns
    // at once for a line already read).
    if (!at_least(b, next) || !at_least(coach, next) || !at_least(host, next)) {
      *error = "change " + std::to_string(next) + " did not reach every process in time\n" + b.tail(6) +
               coach.tail(3) + host.tail(3);
      return samples;
    }
    const double dt = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    if (i >= warmup) samples.push_back(dt);
  }
  return samples;
}

}  // namespace attune::bench
