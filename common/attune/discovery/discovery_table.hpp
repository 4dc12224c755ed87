// The join list: hosts heard on the LAN, keyed by their random instance id.
//
// Pure: every call takes `now` (milliseconds on the caller's monotonic
// clock). A host stays listed until its Goodbye or until it misses about
// three beacons. After a Goodbye the instance id is remembered for a while,
// so a beacon still in flight cannot bring a closed host back.
//
// Nothing on the LAN is authenticated, so a neighbour's datagrams are held
// to what it can speak for (proto/discovery.md, "Timing"): a Goodbye counts
// only from an address the host was heard at, and only for that address;
// a full list makes room by dropping its stalest host, and one sender
// address holds at most kMaxHostsPerAddress hosts.
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
  std::string origin;               // The address of the first beacon: its quota counts it.
  Millis first_seen{0};
  Millis last_seen{0};
  Millis expires_at{0};
};

enum class ObserveResult {
  Added,      // New host: show it.
  Updated,    // Known host whose details changed (name, seats, port).
  Refreshed,  // Known host, same details: nothing to show.
  Ignored,    // Withdrawn instance (from that address), or no open seat.
};

enum class RemoveReason {
  Goodbye,  // The host said it is closing.
  Expired,  // No beacon for about three intervals.
  Evicted,  // The list was full (or its sender's share was), and it was heard from least recently.
};

struct Removed {
  HostEntry entry;
  RemoveReason reason;
};

struct GoodbyeResult {
  std::optional<Removed> removed;  // Its last address said goodbye: the host left the list.
  bool path_dropped = false;       // It stays, heard at other addresses, one fewer than before.
};

class DiscoveryTable {
 public:
  static constexpr size_t kMaxHosts = 256;
  static constexpr size_t kMaxHostsPerAddress = 16;
  static constexpr size_t kMaxSightings = 8;
  static constexpr size_t kMaxWithdrawn = 4 * kMaxHosts;
  static constexpr int kMissedBeacons = 3;
  static constexpr Millis kTombstone{30000};

  // The beacon must already be valid (decode_packet checked it). A host
  // dropped to make room for it is put in *evicted, when given.
  ObserveResult observe(const v1::Beacon& beacon, const Sighting& from, Millis now,
                        std::optional<Removed>* evicted = nullptr);
  // A Goodbye heard from `from`: drops the host's paths at that address, and
  // the host with its last one; from an address it wasn't heard at, nothing.
  GoodbyeResult goodbye(uint64_t instance_id, const Sighting& from, Millis now);
  // Removes every host whose time is up at `now`.
  std::vector<Removed> expire(Millis now);
  // When the next host would expire (to arm a timer), if any.
  std::optional<Millis> next_expiry() const;

  const std::map<uint64_t, HostEntry>& entries() const { return hosts_; }
  size_t size() const { return hosts_.size(); }
  uint64_t ignored() const { return ignored_; }
  // Goodbyes from an address the listed host was never heard at.
  uint64_t ignored_goodbyes() const { return ignored_goodbyes_; }
  uint64_t evicted() const { return evicted_; }

  // When a host heard at `now` with this interval is dropped.
  static Millis expiry_for(uint32_t interval_ms, Millis now);

 private:
  // An id withdrawn for 30 s: at every address (`addresses` empty), or at those only.
  struct Withdrawn {
    Millis until{0};
    std::vector<std::string> addresses;
  };
  void drop_old_tombstones(Millis now);
  bool withdrawn(uint64_t id, const std::string& address) const;
  void withdraw_at(uint64_t id, const std::string& address, Millis now);
  // Makes room for a new host from `address`; the one dropped, if any.
  std::optional<Removed> make_room(const std::string& address);

  std::map<uint64_t, HostEntry> hosts_;
  std::map<uint64_t, Withdrawn> withdrawn_;
  uint64_t ignored_ = 0;
  uint64_t ignored_goodbyes_ = 0;
  uint64_t evicted_ = 0;
};

// Where to connect to join a listed host: every address it was heard from,
// with its session port, IPv4 first (link-local IPv6 keeps its %scope).
std::vector<HostAddress> join_targets(const HostEntry& entry);

}  // namespace attune::discovery
