// LAN discovery for the window app: a browser that keeps the "Sessions
// nearby" list, and an announcer while this window hosts. Runs on its own
// small io thread; the UI reads a copy of the list.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/session_requests.hpp"
#include "multicast_channel.hpp"

namespace attune::app {

class DiscoveryService {
 public:
  // `channel`: the group and interfaces; tests keep it on loopback.
  explicit DiscoveryService(discovery::ChannelOptions channel = {});
  ~DiscoveryService();
  DiscoveryService(const DiscoveryService&) = delete;
  DiscoveryService& operator=(const DiscoveryService&) = delete;

  // Sessions heard on the network, oldest first.
  std::vector<NearbySession> nearby() const;
  // Starts announcing a hosted session (replacing any earlier one) with
  // `open_seats` free. Beacons carry no names (proto/discovery.md); returns
  // the session's tag, which the host's screen shows so people can tell it
  // from a neighbour's.
  std::string announce(uint16_t port, uint32_t open_seats);
  // The hosted session changed: a new seat count goes out at once; nullopt
  // (seats full, or the session began) stops the beacons until a seat frees.
  void update_seats(std::optional<uint32_t> open_seats);
  void stop_announcing();
  // The tag of the session being announced now; "" when none is.
  std::string tag() const;
  // Plain words when discovery couldn't start (e.g. no multicast here).
  std::string problem() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace attune::app
