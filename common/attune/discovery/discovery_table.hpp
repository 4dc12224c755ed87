// The join list: hosts heard on the LAN, keyed by their random instance id.
//
// Pure: every call takes `now` (milliseconds on the caller's monotonic
// clock). A host stays listed until its Goodbye or until it misses about
// three beacons. After a Goodbye the instance id is remembered for a while,
// so a beacon still in flight cannot bring a closed host back.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attune/discovery/host_address.hpp"
#include "attune/v1/discovery.pb.h"

namespace attune::discovery {

namespace v1 = ::attune::v1;
using Millis = std::chrono::milliseconds;

// Where a beacon was heard from.
struct Sighting {
  std::string address;    // Sender's address as text (v6 link-local with %scope).
  std::string interface;  // Local interface it arrived on ("" if unknown).
  friend bool operator==(const Sighting&, const Sighting&) = default;
};

struct HostEntry {
  uint64_t instance_id = 0;
  v1::Beacon beacon;
  std::vector<Sighting> sightings;  // Distinct, newest last, at most kMaxSightings.
  Millis first_seen{0};
  Millis last_seen{0};
  Millis expires_at{0};
};

enum class ObserveResult {
  Added,      // New host: show it.
  Updated,    // Known host whose details changed (name, seats, port).
  Refreshed,  // Known host, same details: nothing to show.
  Ignored,    // Withdrawn instance or table full.
};

enum class RemoveReason {
  Goodbye,  // The host said it is closing.
  Expired,  // No beacon for about three intervals.
};

struct Removed {
  HostEntry entry;
  RemoveReason reason;
};

class DiscoveryTable {
 public:
  static constexpr size_t kMaxHosts = 256;
  static constexpr size_t kMaxSightings = 8;
  static constexpr int kMissedBeacons = 3;
  static constexpr Millis kTombstone{30000};

  // The beacon must already be valid (decode_packet checked it).
  ObserveResult observe(const v1::Beacon& beacon, const Sighting& from, Millis now);
  // Removes the host at once; nullopt if it was not listed.
  std::optional<Removed> goodbye(uint64_t instance_id, Millis now);
  // Removes every host whose time is up at `now`.
  std::vector<Removed> expire(Millis now);
  // When the next host would expire (to arm a timer), if any.
  std::optional<Millis> next_expiry() const;

  const std::map<uint64_t, HostEntry>& entries() const { return hosts_; }
  size_t size() const { return hosts_.size(); }
  uint64_t ignored() const { return ignored_; }

  // When a host heard at `now` with this interval is dropped.
  static Millis expiry_for(uint32_t interval_ms, Millis now);

 private:
  void drop_old_tombstones(Millis now);

  std::map<uint64_t, HostEntry> hosts_;
  std::map<uint64_t, Millis> withdrawn_until_;
  uint64_t ignored_ = 0;
};

// Where to connect to join a listed host: every address it was heard from,
// with its session port, IPv4 first (link-local IPv6 keeps its %scope).
std::vector<HostAddress> join_targets(const HostEntry& entry);

}  // namespace attune::discovery
