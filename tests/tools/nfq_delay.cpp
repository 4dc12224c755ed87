// nfq_delay: a test tool that makes a link slow. iptables sends packets to an
// NFQUEUE; this program holds each one for a fixed delay and then lets it go,
// in order. (tc netem is not available on these machines.) Loss is added
// separately with iptables' statistic match.
//
//   ip netns exec NS iptables -A OUTPUT -o eth0 -j NFQUEUE --queue-num 7 --queue-bypass
//   ip netns exec NS nfq_delay --queue 7 --delay-ms 80 --time-limit-s 60
//
// Bounded: holds at most --max-held packets (more are let through at once and
// counted) and stops by itself after --time-limit-s, releasing what it holds.
// With --queue-bypass the rule lets packets through once it has stopped.
// glibc's socket headers must come before the kernel's (linux/in.h clash).
// clang-format off
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
// clang-format on

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <deque>

namespace {

using Clock = std::chrono::steady_clock;

struct Held {
  uint32_t id;
  Clock::time_point due;
};

struct State {
  std::chrono::milliseconds delay{0};
  size_t max_held = 4096;
  std::deque<Held> held;  // FIFO: one fixed delay keeps it sorted by due time.
  uint64_t seen = 0;
  uint64_t passed_at_once = 0;
  size_t most_held = 0;
};

volatile std::sig_atomic_t g_stop = 0;

int on_packet(nfq_q_handle* qh, nfgenmsg*, nfq_data* nfa, void* data) {
  auto* st = static_cast<State*>(data);
  const nfqnl_msg_packet_hdr* ph = nfq_get_msg_packet_hdr(nfa);
  if (ph == nullptr) return 0;
  const uint32_t id = ntohl(ph->packet_id);
  ++st->seen;
  if (st->held.size() >= st->max_held) {
    ++st->passed_at_once;
    return nfq_set_verdict(qh, id, NF_ACCEPT, 0, nullptr);
  }
  st->held.push_back(Held{id, Clock::now() + st->delay});
  st->most_held = std::max(st->most_held, st->held.size());
  return 0;
}

void release_due(nfq_q_handle* qh, State& st, Clock::time_point now) {
  while (!st.held.empty() && st.held.front().due <= now) {
    nfq_set_verdict(qh, st.held.front().id, NF_ACCEPT, 0, nullptr);
    st.held.pop_front();
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Hold queued packets for a fixed delay (test tool for slow links)."};
  uint16_t queue = 0;
  unsigned delay_ms = 0;
  unsigned time_limit_s = 120;
  State st;
  app.add_option("--queue", queue, "NFQUEUE number")->required();
  app.add_option("--delay-ms", delay_ms, "How long to hold each packet")
      ->required()
      ->check(CLI::Range(0, 10000));
  app.add_option("--time-limit-s", time_limit_s, "Stop by itself after this long")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--max-held", st.max_held, "Most packets held at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);
  st.delay = std::chrono::milliseconds(delay_ms);

  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });

  nfq_handle* h = nfq_open();
  if (h == nullptr) {
    std::fprintf(stderr, "nfq_delay: cannot open netfilter queue (needs root/CAP_NET_ADMIN)\n");
    return 1;
  }
  nfq_q_handle* qh = nfq_create_queue(h, queue, &on_packet, &st);
  if (qh == nullptr) {
    std::fprintf(stderr, "nfq_delay: cannot bind queue %u (another program on it?)\n", queue);
    nfq_close(h);
    return 1;
  }
  nfq_set_mode(qh, NFQNL_COPY_META, 0);  // Verdicts only: no payload copies.
  nfq_set_queue_maxlen(qh, static_cast<uint32_t>(st.max_held * 2));
  // If the kernel queue fills anyway, let packets through rather than drop.
  nfq_set_queue_flags(qh, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN);
  const int fd = nfq_fd(h);
  std::printf("{\"event\":\"ready\",\"queue\":%u,\"delay_ms\":%u}\n", queue, delay_ms);
  std::fflush(stdout);

  const auto stop_at = Clock::now() + std::chrono::seconds(time_limit_s);
  alignas(8) char buf[65536];
  while (g_stop == 0) {
    const auto now = Clock::now();
    if (now >= stop_at) break;
    release_due(qh, st, now);
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(stop_at - now);
    if (!st.held.empty()) {
      wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(st.held.front().due - now) +
                                std::chrono::milliseconds(1));
    }
    wait = std::min(wait, std::chrono::milliseconds(200));  // Notice signals promptly.
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(wait.count())) > 0 && (p.revents & POLLIN) != 0) {
      // Drain what is ready without blocking.
      for (;;) {
        const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
          nfq_handle_packet(h, buf, static_cast<int>(n));
          continue;
        }
        if (n < 0 && errno == ENOBUFS) continue;  // Kernel dropped a message; keep going.
        break;
      }
    }
  }
  // Let everything still held go before leaving.
  release_due(qh, st, Clock::time_point::max());
  std::printf("{\"event\":\"stopped\",\"packets\":%llu,\"passed_at_once\":%llu,\"most_held\":%zu}\n",
              static_cast<unsigned long long>(st.seen), static_cast<unsigned long long>(st.passed_at_once),
              st.most_held);
  nfq_destroy_queue(qh);
  nfq_close(h);
  return 0;
}
