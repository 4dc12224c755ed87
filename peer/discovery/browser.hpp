// The join list: listens for beacons, asks hosts to answer at once when it
// opens (a query burst), drops hosts on goodbye or after missed beacons, and
// explains an empty list. Runs on the caller's io_context; callbacks run there
// too. The GUI reads hosts() / diagnose() from a copy posted to it.
#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "attune/discovery/announce_schedule.hpp"
#include "attune/discovery/diagnosis.hpp"
#include "attune/discovery/discovery_table.hpp"
#include "multicast_channel.hpp"

namespace attune::discovery {

struct BrowseEvents {
  std::function<void(const HostEntry&)> added;
  std::function<void(const HostEntry&)> updated;
  std::function<void(const Removed&)> removed;
};

class Browser {
 public:
  Browser(asio::io_context& io, ChannelOptions channel, BrowseEvents events);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  void start();
  void stop();
  // Ask every host to answer now (e.g. the user pressed "look again").
  void query_now();

  // Current list, oldest first.
  std::vector<HostEntry> hosts() const;
  // What was checked and what to try; `direct` are recent-host/invite probes.
  Diagnosis diagnose(std::vector<DirectCheck> direct = {}) const;
  DiagnosisInput diagnosis_input(std::vector<DirectCheck> direct = {}) const;
  const MulticastChannel& channel() const { return channel_; }
  uint64_t browser_id() const { return id_; }

 private:
  Millis now() const;
  void on_packet(const Received& r);
  void arm_query();
  void arm_expiry();

  asio::io_context& io_;
  BrowseEvents events_;
  uint64_t id_;
  MulticastChannel channel_;
  AnnounceSchedule queries_ = AnnounceSchedule::queries();
  DiscoveryTable table_;
  asio::steady_timer query_timer_;
  asio::steady_timer expiry_timer_;
  std::chrono::steady_clock::time_point started_{};
  size_t query_index_ = 0;
  bool running_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace attune::discovery
