// A loopback stand-in in front of a host, for "Start now" tests: it counts
// the connections that reach it and passes their bytes both ways. A slow
// relay keeps its listen queue full for its first 1.5 s, so a connect to it
// takes over a second to be answered (as over a slow VPN). A black hole's
// queue stays full: a connect there is never answered.
#pragma once

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace attune::app::test {

class LoopbackRelay {
 public:
  enum class Kind { Quick, Slow, BlackHole };
  // Passes to 127.0.0.1:`host_port` (unused for a black hole); listens on
  // `bind`:`port` (0: any free port).
  LoopbackRelay(uint16_t host_port, Kind kind, const std::string& bind = "127.0.0.1", uint16_t port = 0);
  ~LoopbackRelay();
  uint16_t port() const { return port_; }
  std::string address() const { return bind_ + ":" + std::to_string(port_); }
  // Connections accepted and passed on (the queue's fillers not counted).
  int connections() const { return connections_.load(); }
  // Steady time from this relay's making to its first connection passed on.
  std::chrono::milliseconds first_connection_after() const {
    return std::chrono::milliseconds(first_ms_.load());
  }

 private:
  void accept_next();
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer delay_;
  uint16_t host_port_;
  std::string bind_;
  uint16_t port_ = 0;
  std::vector<asio::ip::tcp::socket> fillers_;
  std::set<uint16_t> filler_ports_;
  std::chrono::steady_clock::time_point made_ = std::chrono::steady_clock::now();
  std::atomic<int> connections_{0};
  std::atomic<long> first_ms_{-1};
  std::thread thread_;
};

}  // namespace attune::app::test
