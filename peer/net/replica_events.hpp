// What a replica (host or client) tells the node about. All calls happen on
// the io thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "attune/crypto/coach_seal.hpp"
#include "attune/engine.hpp"
#include "attune/pairing/pairing_policy.hpp"
#include "attune/v1/wire.pb.h"
#include "node_api.hpp"

namespace attune::net {

// Why a node cannot go on; the headless front door turns these into exit codes.
enum class Fatal {
  VersionMismatch,  // The other side speaks an incompatible protocol.
  Removed,          // The host let this device go (declined, or it left).
  Pairing,          // The secure handshake failed in a way retrying can't fix (wrong code, changed key).
  JoinRefused,      // The host refused this device's join (e.g. its name), so it has no seat.
};

struct ReplicaEvents {
  // The session as this device may see it, after change `seq`, caused by
  // intent `cause` (empty for the host shell's own changes or a snapshot).
  std::function<void(const State& view, uint64_t seq, const std::string& cause)> state;
  std::function<void(const std::string& intent_id, const v1::Refusal& refusal)> refused;
  std::function<void(const std::string& intent_id, uint64_t seq)> acked;
  // A joining device kept the intent in its durable outbox; it will reach
  // the host even if this process is killed now.
  std::function<void(const std::string& intent_id)> queued;
  // A joining device: an intent made while the link was down reached the
  // host after the session had paused or gone to a check-in, so it was not
  // applied yet; the device keeps it and sends it again once the session is
  // active (proto/README.md, "Liveness and reconnecting"). `message` is for
  // the person at this device.
  std::function<void(const std::string& intent_id, const std::string& message)> held;
  std::function<void(LinkState link, const std::string& detail)> link;
  // Joiner: the host answered at `address` ("host:port", of those it was
  // given), before the handshake on that link; each time a dial succeeds.
  std::function<void(const std::string& address)> reached;
  std::function<void(const v1::CoachLevel& level)> coach_level;
  // Partner that joined: where it stands with a coach key the host named
  // (its check number, compared or not), each time that changes.
  std::function<void(const crypto::CoachCheck& check, const std::string& name)> coach_check;
  // Another device misbehaved or failed; its link was closed.
  std::function<void(const std::string& message)> problem;
  std::function<void(Fatal fatal, const std::string& message)> fatal;
  // Joiner: the host closed the link on purpose and said why (its close
  // frame); `reconnecting` tells whether this device comes back by itself.
  std::function<void(const v1::Close& goodbye, bool reconnecting)> closed;
  // Host: the pairing code opened, was replaced after wrong guesses, expired,
  // or closed because the seats are full (proto/HANDSHAKE.md, section 7).
  std::function<void(const pairing::PolicyEvent& event)> pairing;
  // This device's disk stopped taking writes (said once): the session goes
  // on in memory. `message` is for the person at this device, as is.
  std::function<void(const std::string& message)> storage;
};

}  // namespace attune::net
