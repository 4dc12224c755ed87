// Announces a hosted session on the LAN: a burst of beacons at start, then a
// steady beat, an immediate answer to every browser's query, and a goodbye
// when hosting stops. Runs on the caller's io_context.
#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "attune/discovery/announce_schedule.hpp"
#include "multicast_channel.hpp"

namespace attune::discovery {

struct AnnounceConfig {
  // Beacons reach everyone nearby, so the app leaves both empty; only the
  // attune-discovery test tool sets them when asked. Cut to 64 bytes on a
  // character boundary.
  std::string session_name;
  std::string host_name;
  uint16_t port = 0;  // The session's TCP port.
  uint32_t open_seats = 1;
  uint64_t instance_id = 0;  // 0 draws a random one; the app draws it first to show its tag.

  std::chrono::milliseconds interval{4000};
  ChannelOptions channel;
  uint32_t protocol_version = kDiscoveryVersion;  // Tests play other releases with this.
};

class Announcer {
 public:
  Announcer(asio::io_context& io, AnnounceConfig config);
  ~Announcer();
  Announcer(const Announcer&) = delete;
  Announcer& operator=(const Announcer&) = delete;

  void start();
  // Sends the goodbye (twice, 50 ms apart) and closes; `done` runs after.
  void stop(std::function<void()> done = {});
  // Seats changed: browsers learn at once.
  void set_open_seats(uint32_t seats);

  uint64_t instance_id() const { return beacon_.instance_id(); }
  const MulticastChannel& channel() const { return channel_; }
  uint64_t beacons_sent() const { return beacons_sent_; }
  uint64_t queries_answered() const { return queries_answered_; }

 private:
  void arm_next();
  void send_beacon();
  void on_packet(const Received& r);

  asio::io_context& io_;
  AnnounceConfig config_;
  uint64_t id_;
  v1::Beacon beacon_;
  AnnounceSchedule schedule_;
  MulticastChannel channel_;
  asio::steady_timer timer_;
  asio::steady_timer answer_timer_;
  asio::steady_timer goodbye_timer_;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point last_answer_{};
  size_t sent_index_ = 0;
  bool answer_pending_ = false;
  bool running_ = false;
  uint64_t beacons_sent_ = 0;
  uint64_t queries_answered_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// A random non-zero 64-bit id (instance and browser ids).
uint64_t random_instance_id();

}  // namespace attune::discovery
