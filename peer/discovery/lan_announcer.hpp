// Announces one hosted session on the LAN from its own small io thread, for
// a front door that has no io loop of its own to spare (the headless peer).
// Beacons carry only the port and the free seats (proto/discovery.md); a
// session that is full or under way is not announced.
#pragma once

#include <asio/io_context.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "multicast_channel.hpp"

namespace attune::discovery {

// Runs `io` on a new thread until it runs out of work. A handler that
// throws (a failing socket) is reported to `on_error` and the loop goes on,
// so discovery trouble never takes the program down.
std::thread run_io_thread(asio::io_context& io, std::function<void(const std::exception&)> on_error);

class LanAnnouncer {
 public:
  // `channel`: the group and interfaces; tests keep it on loopback.
  explicit LanAnnouncer(ChannelOptions channel = {});
  // Says goodbye on the network (within about 100 ms) and stops.
  ~LanAnnouncer();
  LanAnnouncer(const LanAnnouncer&) = delete;
  LanAnnouncer& operator=(const LanAnnouncer&) = delete;

  // Starts announcing `port` with `open_seats` free; returns the session's
  // tag (new each time, so it never follows a device).
  std::string announce(uint16_t port, uint32_t open_seats);
  // A new seat count goes out at once; nullopt (full, or the session began)
  // stops the beacons until a seat frees again (someone leaves the lobby),
  // when the session is announced again under a new id: that tag is
  // returned then, and "" otherwise.
  std::string update_seats(std::optional<uint32_t> open_seats);
  // Stops announcing (with a goodbye); announce() may start again.
  void stop();
  // Plain words when announcing could not start (e.g. no multicast here).
  std::string problem() const;

 struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace attune::discovery
