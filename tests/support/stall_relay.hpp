// A loopback TCP relay for outage tests: forwards bytes between a joiner and
// the host, and can go silent for a while without closing anything, the way
// a dead Wi-Fi link or a VPN drop looks to both ends (no FIN, no RST, just
// nothing). Bytes sent during the outage wait in the kernel buffers and flow
// on afterwards; a side that gave up and closed its socket meanwhile sees
// its peer's end closed once the outage ends.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace attune::test {

class StallRelay {
 public:
  StallRelay();  // Listens on 127.0.0.1, ephemeral port.
  ~StallRelay();
  StallRelay(const StallRelay&) = delete;
  StallRelay& operator=(const StallRelay&) = delete;

  uint16_t port() const { return port_; }
  // Where accepted connections go; set before anyone connects.
  void set_target(uint16_t port) { target_port_ = port; }
  // Stops forwarding (and accepting) until resume(). Returns once the relay
  // thread has stopped, so nothing sent after this call gets through.
  void stall();
  // Like a host that is down or restarting: closes every relayed connection
  // and turns new ones away (accepted and closed at once) until resume().
  // Returns once the relay thread has done so.
  void refuse();
  void resume();
  // Each new upstream connection comes from its own loopback address
  // (127.0.0.2, .3, ...), so the host's per-address attempt limit does not
  // slow a test that restarts a peer many times a minute.
  void rotate_sources() { rotate_ = true; }
  // Connections accepted so far (a reconnect after the outage adds one).
  int accepted() const { return accepted_; }

 private:
  int connect_target();
  void run();
  void turn_away();

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<uint16_t> target_port_{0};
  std::atomic<bool> stalled_{false};
  std::atomic<bool> refusing_{false};
  std::atomic<bool> rotate_{false};
  std::mutex mutex_;
  std::condition_variable seen_;
  bool stall_seen_ = false;   // Guarded by mutex_: the relay thread is idle.
  bool refuse_seen_ = false;  // Guarded by mutex_: every relayed connection is closed.
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::vector<std::pair<int, int>> pairs_;  // Relay thread only.
  std::thread thread_;
};

}  // namespace attune::test
