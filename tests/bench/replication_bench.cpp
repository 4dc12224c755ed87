// Replication latency: from partner B's intent to "applied on all three
// replicas" (host A, partner B, coach), each a real Node with its own io
// thread, SQLite storage on and TCP over loopback. Printed next to a bare
// Asio TCP ping-pong measured in the same run, and their ratio; then the
// same figure between three real `attune --headless` processes
// (process_replication.hpp), and the CPU each change costs.
//
// Usage: replication_bench [--intents N] [--processes M]
//   (defaults 10000 and 100; --processes 0 leaves the processes out;
//   the processes go at 10 intents a second, the host's limit per device)
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <asio.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_stats.hpp"
#include "hop_baseline.hpp"
#include "node.hpp"
#include "peer_process.hpp"
#include "process_replication.hpp"
#include "random_id.hpp"
#include "store/store.hpp"
#include "thread_cpu.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using attune::test::TempDir;

struct Percentiles {
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

Percentiles percentiles(std::vector<double> samples) {
  const auto in_order = attune::bench::sorted(std::move(samples));
  return {attune::bench::quantile(in_order, 0.50), attune::bench::quantile(in_order, 0.99), in_order.back()};
}

// Bare baseline: a 4-byte length plus payload echoed over loopback TCP by an
// Asio server thread, the same frame shape and size as a replicated change.
Percentiles bare_ping_pong(int rounds, std::size_t payload_bytes) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = acceptor.local_endpoint().port();
  std::thread server([&] {
    asio::ip::tcp::socket socket = acceptor.accept();
    socket.set_option(asio::ip::tcp::no_delay(true));
    std::vector<char> buffer(4 + payload_bytes);
    asio::error_code ec;
    for (;;) {
      asio::read(socket, asio::buffer(buffer), ec);
      if (ec) return;
      asio::write(socket, asio::buffer(buffer), ec);
      if (ec) return;
    }
  });
  asio::ip::tcp::socket client(io);
  client.connect({asio::ip::make_address("127.0.0.1"), port});
  client.set_option(asio::ip::tcp::no_delay(true));
  std::vector<char> out(4 + payload_bytes, 'x');
  std::vector<char> in(out.size());
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(rounds));
  for (int i = 0; i < rounds + 200; ++i) {
    const auto t0 = Clock::now();
    asio::write(client, asio::buffer(out));
    asio::read(client, asio::buffer(in));
    const auto dt = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    if (i >= 200) samples.push_back(dt);  // The first rounds warm caches up.
  }
  client.close();
  server.join();
  return percentiles(samples);
}

// Waits for every replica to reach a sequence number, and remembers when
// each one applied it (stamped on the replica's own io thread, so waking the
// benchmark thread afterwards is not counted).
class Replicas {
 public:
  void saw(int replica, uint64_t seq) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    thread_ids_[replica] = attune::bench::this_thread_id();
    if (seq > seen_[replica]) applied_at_[replica] = now;
    seen_[replica] = std::max(seen_[replica], seq);
    // Wake the benchmark thread only when it can go on, so it does not
    // compete for the CPU with the replicas it is measuring.
    if (std::all_of(seen_.begin(), seen_.end(), [&](uint64_t s) { return s >= target_; }))
      changed_.notify_all();
  }
  // When the last of the three applied the newest change.
  Clock::time_point last_applied() {
    std::lock_guard lock(mutex_);
    return *std::max_element(applied_at_.begin(), applied_at_.end());
  }
  std::array<Clock::time_point, 3> applied_at() {
    std::lock_guard lock(mutex_);
    return applied_at_;
  }
  // The io thread each replica's changes arrive on.
  std::array<pid_t, 3> thread_ids() {
    std::lock_guard lock(mutex_);
    return thread_ids_;
  }
  bool wait_all(uint64_t seq, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    target_ = seq;
    return changed_.wait_for(lock, timeout, [&] {
      return std::all_of(seen_.begin(), seen_.end(), [&](uint64_t s) { return s >= seq; });
    });
  }
  uint64_t min_seen() {
    std::lock_guard lock(mutex_);
    return *std::min_element(seen_.begin(), seen_.end());
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::array<uint64_t, 3> seen_{};
  std::array<Clock::time_point, 3> applied_at_{};
  std::array<pid_t, 3> thread_ids_{};
  uint64_t target_ = 0;
};

attune::net::ReplicaEvents watch(Replicas& replicas, int index, attune::State* last_state = nullptr) {
  attune::net::ReplicaEvents events;
  events.state = [&replicas, index, last_state](const attune::State& view, uint64_t seq, const std::string&) {
    if (last_state) *last_state = view;
    replicas.saw(index, seq);
  };
  return events;
}

// CPU time of the whole process (every thread), in microseconds.
double cpu_us() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto us = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec); };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

// The same round as the replication loop's, without the app: thread hops
// only, then with sealing, then with sealing and the host's commit.
// And the host's commit alone, on this thread (a store of its own).
std::array<Percentiles, 4> hop_ladder(int rounds, std::size_t change_bytes, const attune::State& state,
                                      const std::filesystem::path& folder) {
  attune::store::Store store(folder / "hops");
  store.begin_host_session("ladder", state);
  const attune::bench::HopWork plain{}, sealed{.seal = true};
  const attune::bench::HopWork committed{.seal = true, .store = &store, .state = &state};
  attune::store::Store alone(folder / "alone");
  alone.begin_host_session("alone", state);
  attune::Intent intent;
  intent.mutable_share_with_coach()->set_share(true);
  std::vector<double> commits;
  for (int i = 1; i <= rounds; ++i) {
    const auto t0 = Clock::now();
    alone.record_change(static_cast<uint64_t>(i), "intent-" + std::to_string(i), "b", intent, 0, state);
    commits.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return {percentiles(attune::bench::hop_round_trips(rounds, change_bytes, plain)),
          percentiles(attune::bench::hop_round_trips(rounds, change_bytes, sealed)),
          percentiles(attune::bench::hop_round_trips(rounds, change_bytes, committed)), percentiles(commits)};
}

void print_ladder(const std::array<Percentiles, 4>& ladder, double bare_p50) {
  std::printf("  the same round without the app (this thread -> B's io thread -> host's -> B's and the coach's):\n");
  const char* what[] = {"thread hops only", "+ sealing", "+ sealing + commit", "the commit alone"};
  for (std::size_t i = 0; i < ladder.size(); ++i)
    std::printf("    %-20s p50 %7.1f us  p99 %7.1f us  (%.2f x bare)\n", what[i], ladder[i].p50_us, ladder[i].p99_us,
                ladder[i].p50_us / bare_p50);
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int intents = 10000;
  int process_intents = 100;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--intents") == 0) intents = std::max(10, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--processes") == 0) process_intents = std::max(0, std::atoi(argv[i + 1]));
  }
  spdlog::set_level(spdlog::level::err);

  // The baseline runs before and after the replication loop: on a shared
  // machine the load changes, and the two bracket the measurement.
  // 231 bytes: the size of a change frame in this session (printed below).
  const auto bare_before = bare_ping_pong(intents, 231);

  TempDir dir;
  Replicas replicas;
  attune::State last_state;  // The host's view of the newest change (read once it has stopped).
  attune::NodeOptions host_options;
  host_options.mode = attune::NodeOptions::Mode::Host;
  host_options.data_dir = dir.path() / "a";
  host_options.display_name = "Alex";
  host_options.role = attune::v1::ROLE_PARTNER_A;
  host_options.bind_address = "127.0.0.1";
  // Partner B sends its intents back to back; the per-device rate limit
  // (issue 12) would measure the limiter instead of the replication path.
  host_options.intent_limits.intent_burst = 1 << 30;
  host_options.intent_limits.intent_every = std::chrono::milliseconds(0);
  // The host opens a pairing code; the joiners type it, as people would.
  std::mutex code_mutex;
  std::condition_variable code_ready;
  std::string code;
  attune::net::ReplicaEvents host_events = watch(replicas, 0, &last_state);
  host_events.pairing = [&](const attune::pairing::PolicyEvent& event) {
    if (event.code.empty()) return;
    std::lock_guard lock(code_mutex);
    code = event.code;
    code_ready.notify_all();
  };
  attune::Node host(host_options, host_events);
  host.start();
  {
    std::unique_lock lock(code_mutex);
    if (!code_ready.wait_for(lock, std::chrono::seconds(10), [&] { return !code.empty(); })) {
      std::fprintf(stderr, "the host showed no pairing code\n");
      return 1;
    }
  }

  auto join_options = [&](const char* folder, const char* name, attune::v1::Role role) {
    attune::NodeOptions o;
    o.mode = attune::NodeOptions::Mode::Join;
    o.data_dir = dir.path() / folder;
    o.display_name = name;
    o.role = role;
    o.host = "127.0.0.1";
    o.port = host.port();
    o.code = code;
    return o;
  };
  attune::Node b(join_options("b", "Blake", attune::v1::ROLE_PARTNER_B), watch(replicas, 1));
  attune::Node coach(join_options("coach", "Casey", attune::v1::ROLE_COACH), watch(replicas, 2));
  b.start();
  coach.start();

  // Seat everyone: A and B admit each other's devices as the engine asks.
  const auto seated = [&](int count) {
    return wait_until([&] { return host.snapshot()->state.participants_size() == count; },
                      std::chrono::seconds(10));
  };
  if (!seated(3)) {
    std::fprintf(stderr, "the peers did not join\n");
    return 1;
  }
  const auto id_of = [&](attune::v1::Role role) {
    return attune::find_role(host.snapshot()->state, role)->id();
  };
  auto admit = [](const std::string& id) {
    attune::Intent i;
    i.mutable_admit()->set_participant_id(id);
    return i;
  };
  host.send(admit(id_of(attune::v1::ROLE_PARTNER_B)));
  host.send(admit(id_of(attune::v1::ROLE_COACH)));
  if (!wait_until([&] { return host.snapshot()->applied_seq >= 4; }, std::chrono::seconds(10))) return 1;
  b.send(admit(id_of(attune::v1::ROLE_COACH)));
  if (!wait_until(
          [&] { return attune::find_role(host.snapshot()->state, attune::v1::ROLE_COACH)->admitted(); },
          std::chrono::seconds(10))) {
    std::fprintf(stderr, "the coach was not admitted\n");
    return 1;
  }

  // Partner B toggles "share with coach": allowed any time, and every one
  // is a real accepted change the host stores and broadcasts.
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(intents));
  std::array<std::vector<double>, 3> each;  // When host A, partner B and the coach applied it.
  const int warmup = 200;
  bool share = false;
  const double cpu_before = cpu_us();
  // Threads: host A's, partner B's and the coach's io thread, then this one.
  std::array<pid_t, 4> tids{};
  std::array<attune::bench::ThreadCpu, 4> thread_before{};
  for (int i = 0; i < intents + warmup; ++i) {
    const uint64_t before = host.snapshot()->applied_seq;
    if (!replicas.wait_all(before, std::chrono::seconds(10))) {
      std::fprintf(stderr, "replicas fell behind at intent %d\n", i);
      return 1;
    }
    share = !share;
    attune::Intent intent;
    intent.mutable_share_with_coach()->set_share(share);
    const auto t0 = Clock::now();
    b.send(intent);
    if (!replicas.wait_all(before + 1, std::chrono::seconds(10))) {
      std::fprintf(stderr, "intent %d was not replicated in time\n", i);
      return 1;
    }
    const auto dt = std::chrono::duration<double, std::micro>(replicas.last_applied() - t0).count();
    if (i >= warmup) {
      samples.push_back(dt);
      const auto at = replicas.applied_at();
      for (std::size_t r = 0; r < 3; ++r)
        each[r].push_back(std::chrono::duration<double, std::micro>(at[r] - t0).count());
    }
    if (i == warmup - 1) {
      const auto ids = replicas.thread_ids();
      std::copy(ids.begin(), ids.end(), tids.begin());
      tids[3] = attune::bench::this_thread_id();
      for (std::size_t t = 0; t < tids.size(); ++t) thread_before[t] = attune::bench::read_thread_cpu(tids[t]);
    }
  }
  std::array<attune::bench::ThreadCpu, 4> thread_cost{};
  for (std::size_t t = 0; t < tids.size(); ++t)
    thread_cost[t] = attune::bench::per_unit(thread_before[t], attune::bench::read_thread_cpu(tids[t]), intents);
  const auto replication = percentiles(samples);
  const double cpu_per_change = (cpu_us() - cpu_before) / (intents + warmup);
  coach.stop();
  b.stop();
  host.stop();
  const std::size_t state_bytes = last_state.ByteSizeLong();

  // A change frame carries the whole redacted state; ping-pong the same size.
  const auto bare_after = bare_ping_pong(intents, state_bytes + 16);
  const auto ladder = hop_ladder(intents, state_bytes + 16, last_state, dir.path() / "ladder");
  const double bare_p50 = (bare_before.p50_us + bare_after.p50_us) / 2;

  std::string process_error;
  Percentiles processes;
  if (process_intents > 0) {
    auto process_samples = attune::bench::process_replication(ATTUNE_BINARY, process_intents, &process_error);
    if (process_error.empty()) processes = percentiles(std::move(process_samples));
  }

  std::printf("replication latency, partner intent -> applied on all 3 replicas (storage on, loopback)\n");
  std::printf("  intents measured:       %d (after %d warm-up)\n", intents, warmup);
  std::printf("  state size per change:  %zu bytes\n", state_bytes);
  std::printf("  replication p50:        %8.1f us\n", replication.p50_us);
  std::printf("  replication p99:        %8.1f us\n", replication.p99_us);
  std::printf("  replication max:        %8.1f us\n", replication.max_us);
  std::printf("  bare asio ping-pong p50: %7.1f us before, %7.1f us after (same-size frame, same run)\n",
              bare_before.p50_us, bare_after.p50_us);
  std::printf("  bare asio ping-pong p99: %7.1f us before, %7.1f us after\n", bare_before.p99_us,
              bare_after.p99_us);
  std::printf("  ratio p50 / bare p50:   %8.2f   (target <= 2; bare = mean of before and after)\n",
              replication.p50_us / bare_p50);
  std::printf("  p99 under 1 ms:         %s\n", replication.p99_us < 1000 ? "yes" : "no");
  print_ladder(ladder, bare_p50);
  std::printf("  CPU per change:         %8.1f us   (all three nodes and this thread together)\n",
              cpu_per_change);
  const char* names[] = {"host A", "partner B", "coach", "bench"};
  for (std::size_t r = 0; r < 3; ++r)
    std::printf("  applied on %-10s p50 %7.1f us\n", names[r], percentiles(each[r]).p50_us);
  std::printf("  per change, per thread:  CPU us   waiting us   sleeps   preempted\n");
  for (std::size_t t = 0; t < tids.size(); ++t)
    std::printf("    %-10s %14.1f %12.1f %8.2f %11.2f\n", names[t], thread_cost[t].cpu_us, thread_cost[t].waited_us,
                thread_cost[t].switches, thread_cost[t].preempted);
  if (process_intents == 0) return 0;
  if (!process_error.empty()) {
    std::fprintf(stderr, "three processes: %s\n", process_error.c_str());
    return 1;
  }
  std::printf("three attune --headless processes (B's stdin -> a state line on all 3 stdouts, loopback,\n"
              "  one intent every 105 ms: the host's limit per device)\n");
  std::printf("  intents measured:       %d\n", process_intents);
  std::printf("  processes p50:          %8.1f us   (in process %.1f us, bare %.1f us)\n", processes.p50_us,
              replication.p50_us, bare_p50);
  std::printf("  processes p99:          %8.1f us   (in process %.1f us)\n", processes.p99_us,
              replication.p99_us);
  std::printf("  processes max:          %8.1f us\n", processes.max_us);
  std::printf("  ratio p50 / bare p50:   %8.2f\n", processes.p50_us / bare_p50);
  return 0;
}
