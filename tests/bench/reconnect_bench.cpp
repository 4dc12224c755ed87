// Reconnect time: from a link coming back to the session being live again
// (partner B welcomed by the host once more), over many cuts through a
// loopback relay between B and the host, each a real Node with its own io
// thread and storage. Two kinds of cut:
//  - down:   the host's end refuses (connections closed and turned away, as
//            when the host restarts or its network is gone);
//  - silent: nothing flows and nothing closes (a dead Wi-Fi or VPN link)
//            until both ends notice the silence.
// Each cut lasts until B noticed, plus a random while (seeded), so the
// moment the link returns falls anywhere in B's retry schedule. Printed next
// to a baseline from the same run: a fresh start of B (connect, pinned-key
// handshake, Hello, Welcome) over the same relay.
//
// Usage: reconnect_bench [--cuts N] [--seed S] [--max-extra-ms M] [--silence-ms T]
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_stats.hpp"
#include "node.hpp"
#include "peer_process.hpp"
#include "stall_relay.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Options {
  int cuts = 20;
  unsigned seed = 18;
  int max_extra_ms = 4000;
  int silence_ms = 2000;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const int value = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--cuts") == 0) o.cuts = std::max(1, value);
    if (std::strcmp(argv[i], "--seed") == 0) o.seed = static_cast<unsigned>(value);
    if (std::strcmp(argv[i], "--max-extra-ms") == 0) o.max_extra_ms = std::max(0, value);
    if (std::strcmp(argv[i], "--silence-ms") == 0) o.silence_ms = std::max(500, value);
  }
  return o;
}

// B's link states as its node reported them, stamped on B's io thread.
class LinkLog {
 public:
  void saw(attune::LinkState state) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    seen_.push_back({state, now});
    changed_.notify_all();
  }
  std::size_t mark() {
    std::lock_guard lock(mutex_);
    return seen_.size();
  }
  // When `state` was first reported after `from`, waiting up to `timeout`.
  std::optional<Clock::time_point> wait(attune::LinkState state, std::size_t from, milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<Clock::time_point> at;
    changed_.wait_for(lock, timeout, [&] {
      for (std::size_t i = from; i < seen_.size(); ++i) {
        if (seen_[i].first == state) at = seen_[i].second;
      }
      return at.has_value();
    });
    return at;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<attune::LinkState, Clock::time_point>> seen_;
};

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

struct Figures {
  double p50 = 0, p95 = 0, max = 0;
};

Figures figures(std::vector<double> samples) {
  const auto in_order = attune::bench::sorted(std::move(samples));
  return {attune::bench::quantile(in_order, 0.50), attune::bench::quantile(in_order, 0.95), in_order.back()};
}

class Bench {
 public:
  explicit Bench(const Options& options) : options_(options), rng_(options.seed) {}

  bool start_host() {
    auto o = node_options(attune::NodeOptions::Mode::Host, "a", "Alex", attune::v1::ROLE_PARTNER_A);
    o.bind_address = "127.0.0.1";
    attune::net::ReplicaEvents events;
    events.pairing = [this](const attune::pairing::PolicyEvent& event) {
      if (event.code.empty()) return;
      std::lock_guard lock(code_mutex_);
      code_ = event.code;
      code_ready_.notify_all();
    };
    host_ = std::make_unique<attune::Node>(o, events);
    host_->start();
    relay_.set_target(host_->port());
    std::unique_lock lock(code_mutex_);
    return code_ready_.wait_for(lock, std::chrono::seconds(10), [&] { return !code_.empty(); });
  }

  // Starts B (pairing with the code the first time, the pinned key after)
  // and returns how long until the host welcomed it.
  std::optional<double> start_b() {
    if (b_) b_->stop();
    b_.reset();
    auto o = node_options(attune::NodeOptions::Mode::Join, "b", "Blake", attune::v1::ROLE_PARTNER_B);
    o.host = "127.0.0.1";
    o.port = relay_.port();
    o.code = code_;
    attune::net::ReplicaEvents events;
    events.link = [this](attune::LinkState state, const std::string&) { log_.saw(state); };
    b_ = std::make_unique<attune::Node>(o, events);
    const auto from = log_.mark();
    const auto t0 = Clock::now();
    b_->start();
    const auto live = log_.wait(attune::LinkState::Connected, from, std::chrono::seconds(20));
    if (!live) return std::nullopt;
    return ms_between(t0, *live);
  }

  bool b_present_at_host() {
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline) {
      const auto* b = attune::find_role(host_->snapshot()->state, attune::v1::ROLE_PARTNER_B);
      if (b && b->connected()) return true;
      std::this_thread::sleep_for(milliseconds(5));
    }
    return false;
  }

  // One cut; returns the time from the link's return to B being live.
  std::optional<double> cut(bool silent) {
    const auto from = log_.mark();
    if (silent) {
      relay_.stall();
    } else {
      relay_.refuse();
    }
    // A cut B never noticed would measure nothing.
    const auto noticed = milliseconds(options_.silence_ms * 3 + 5000);
    if (!log_.wait(attune::LinkState::Reconnecting, from, noticed)) return std::nullopt;
    std::uniform_int_distribution<int> extra(0, options_.max_extra_ms);
    std::this_thread::sleep_for(milliseconds(extra(rng_)));  // The cut's own length, not a wait.
    const auto back = log_.mark();
    const auto t0 = Clock::now();
    relay_.resume();
    const auto live = log_.wait(attune::LinkState::Connected, back, std::chrono::seconds(60));
    if (!live || !b_present_at_host()) return std::nullopt;
    return ms_between(t0, *live);
  }

  void stop() {
    if (b_) b_->stop();
    if (host_) host_->stop();
  }

 private:
  attune::NodeOptions node_options(attune::NodeOptions::Mode mode, const char* folder, const char* name,
                                   attune::v1::Role role) const {
    attune::NodeOptions o;
    o.mode = mode;
    o.data_dir = dir_.path() / folder;
    o.display_name = name;
    o.role = role;
    o.timing = timing();
    return o;
  }

  attune::net::LinkTiming timing() const {
    attune::net::LinkTiming t;
    t.silence = milliseconds(options_.silence_ms);
    t.heartbeat = milliseconds(std::max(100, options_.silence_ms / 5));
    return t;
  }

  Options options_;
  std::mt19937 rng_;
  attune::test::TempDir dir_;
  attune::test::StallRelay relay_;
  LinkLog log_;
  std::mutex code_mutex_;
  std::condition_variable code_ready_;
  std::string code_;
  std::unique_ptr<attune::Node> host_;
  std::unique_ptr<attune::Node> b_;
};

void print(const char* what, const std::vector<double>& samples) {
  const auto f = figures(samples);
  std::printf("  %-34s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms   (n=%zu)\n", what, f.p50, f.p95, f.max,
              samples.size());
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  spdlog::set_level(spdlog::level::err);
  Bench bench(options);
  if (!bench.start_host()) {
    std::fprintf(stderr, "the host showed no pairing code\n");
    return 1;
  }
  if (!bench.start_b() || !bench.b_present_at_host()) {
    std::fprintf(stderr, "partner B did not join\n");
    return 1;
  }
  std::vector<double> fresh, down, silent;
  // Baseline first and last, so load that changes during the run shows.
  for (int i = 0; i < 5; ++i) {
    const auto ms = bench.start_b();
    if (!ms || !bench.b_present_at_host()) return std::fprintf(stderr, "B did not come back\n"), 1;
    fresh.push_back(*ms);
  }
  for (const bool kind_silent : {false, true}) {
    for (int i = 0; i < options.cuts; ++i) {
      const auto ms = bench.cut(kind_silent);
      if (!ms) return std::fprintf(stderr, "B was not live again after cut %d\n", i), 1;
      (kind_silent ? silent : down).push_back(*ms);
    }
  }
  for (int i = 0; i < 5; ++i) {
    const auto ms = bench.start_b();
    if (!ms || !bench.b_present_at_host()) return std::fprintf(stderr, "B did not come back\n"), 1;
    fresh.push_back(*ms);
  }
  bench.stop();

  std::printf("reconnect: link back -> partner B live again (welcomed), loopback relay, storage on\n");
  std::printf("  cuts per kind: %d; each lasts until B noticed plus 0-%d ms (seed %u); silence limit %d ms\n",
              options.cuts, options.max_extra_ms, options.seed, options.silence_ms);
  print("host down, link back:", down);
  print("silent link, link back:", silent);
  std::vector<double> all = down;
  all.insert(all.end(), silent.begin(), silent.end());
  print("all cuts:", all);
  print("baseline, fresh start of B:", fresh);
  const bool met = figures(down).p95 <= 1000 && figures(silent).p95 <= 1000;
  std::printf("  p95 within 1 s for each kind:      %s\n", met ? "yes" : "no");
  return 0;
}
