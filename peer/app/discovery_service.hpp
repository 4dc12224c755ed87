// LAN discovery for the window app: a browser that keeps the "Sessions
// nearby" list, and an announcer while this window hosts. Runs on its own
// small io thread; the UI reads a copy of the list.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/session_requests.hpp"

namespace attune::app {

class DiscoveryService {
 public:
  DiscoveryService();
  ~DiscoveryService();
  DiscoveryService(const DiscoveryService&) = delete;
  DiscoveryService& operator=(const DiscoveryService&) = delete;

  // Sessions heard on the network, oldest first.
  std::vector<NearbySession> nearby() const;
  // Starts announcing a hosted session (replacing any earlier one).
  void announce(const std::string& session_name, const std::string& host_name, uint16_t port);
  void stop_announcing();
  // Plain words when discovery couldn't start (e.g. no multicast here).
  std::string problem() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace attune::app
