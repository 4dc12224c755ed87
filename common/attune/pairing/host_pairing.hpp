// Everything the host needs to run handshakes on many connections at once,
// with the pairing policy applied: the transport calls on_connect, feeds each
// handshake message to on_message and sends back what it returns, and
// switches the connection to SecureChannel on success. Pure: connection ids
// and time come in as arguments.
//
// Wrong codes on one connection never touch another connection or a running
// session: each connection has its own handshake, and the only shared state
// is the policy (code, counters) and the pins.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attune/pairing/handshake.hpp"
#include "attune/pairing/pairing_policy.hpp"

namespace attune::pairing {

using ConnectionId = std::uint64_t;

// A connection that has not finished its whole handshake this long after it
// was accepted is closed, however busy it keeps itself (a hard deadline).
inline constexpr std::chrono::milliseconds kHandshakeTimeout = std::chrono::seconds(15);
// Handshakes in progress at once. When every slot is taken, a newcomer still
// gets one: the oldest handshake of the address holding the most gives way.
inline constexpr std::size_t kMaxPendingHandshakes = 64;
// One address's fair share of those slots: its own oldest gives way beyond it.
inline constexpr std::size_t kMaxPendingPerSource = 4;

class HostPairing {
 public:
  HostPairing(crypto::DeviceIdentity self, PairingPolicyConfig config, crypto::RandomFn random);

  PairingPolicy& policy() { return policy_; }
  const PinnedKeys& pinned() const { return pinned_; }
  // Pins loaded from disk at start-up.
  void set_pinned(PinnedKeys pinned) { pinned_ = std::move(pinned); }

  // A new connection from `source`: the IPv4 address, or for IPv6 the /64
  // prefix (one household or phone usually holds a whole /64, so counting
  // single IPv6 addresses would be no limit at all). Always lets it in now
  // (nullopt); its ClientHello decides: a code attempt from an address that
  // must wait is refused there (RATE_LIMITED), a pinned-key attempt never is.
  // (The optional return leaves room for a refusal at the door; none today.)
  std::optional<v1::HandshakeMessage> on_connect(ConnectionId id, std::string_view source, TimePoint now);

  // One handshake message from connection `id`. A success in code mode also
  // pins the new device here; the shell saves it (success->peer).
  HandshakeStep on_message(ConnectionId id, const v1::HandshakeMessage& message, TimePoint now);

  // The connection closed (by either side) before or after finishing.
  void on_disconnect(ConnectionId id);

  // Connections the shell must close: their handshake ran out of time, or
  // gave its slot to a newcomer (see kMaxPendingHandshakes). Call after
  // on_connect and whenever next_deadline() comes.
  std::vector<ConnectionId> take_timed_out(TimePoint now);
  // When to call take_timed_out or policy().tick next.
  std::optional<TimePoint> next_deadline() const;

  std::size_t pending() const { return pending_.size(); }

 private:
  // Makes room for one more handshake from `source`, within its fair share
  // and the total.
  void make_room(std::string_view source);
  void evict_oldest_of(std::string_view source);

  struct Pending {
    std::optional<HostHandshake> handshake;  // Made at ClientHello, once the mode is known.
    std::uint64_t generation;
    TimePoint deadline;
    std::string source;  // Its address, to give the attempt back once it proves itself.
    bool charged;        // A code attempt: it took one of its address's tries.
  };

  // At the first message: a code attempt takes one of its address's tries
  // (or is refused, returned); then the handshake starts.
  std::optional<HandshakeStep> begin(Pending& p, const v1::HandshakeMessage& message, TimePoint now);

  crypto::DeviceIdentity self_;
  crypto::RandomFn random_;
  PairingPolicy policy_;
  PinnedKeys pinned_;
  std::map<ConnectionId, Pending> pending_;
  std::vector<ConnectionId> evicted_;  // Gave way to a newcomer; the shell closes them.
};

}  // namespace attune::pairing
