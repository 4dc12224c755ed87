// What the host core (host_core.hpp) asks its shell to do. The core decides;
// the shell carries these out in order, with its sockets, store and timers.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "attune/crypto/device_identity.hpp"
#include "attune/engine.hpp"
#include "attune/pairing/pairing_policy.hpp"
#include "attune/v1/wire.pb.h"

namespace attune::host {

// The shell's name for one accepted link (also the pairing ConnectionId).
using LinkId = std::uint64_t;

// --- Store writes ---
struct BeginSession {  // A new session: forget any earlier one. Must succeed.
  std::string session_id;
  State state;
};
struct RecordChange {  // One accepted change, stored before anyone hears of it.
  std::uint64_t seq = 0;
  std::string intent_id;
  std::string actor;  // The participant id, or "shell".
  Intent intent;
  std::int64_t at_ms = 0;
  State state;
};
struct RecordRefusal {  // Remembered only once stored: a resend is judged afresh otherwise.
  std::string intent_id;
  v1::Refusal refusal;
};
struct RecordDeclined {  // Best effort: the device stays declined in memory regardless.
  std::string device_id;
};
struct SavePin {  // A device proved the code: pin its key (best effort).
  crypto::PeerIdentity peer;
  std::int64_t at_ms = 0;
};
// A write the core waits for: the shell stores it, then calls
// HostCore::stored(saved) and carries out what that returns as well.
using GatedWrite = std::variant<RecordChange, RecordRefusal>;

// --- Messages to one link ---
struct Send {
  LinkId link = 0;
  v1::Envelope envelope;
};
struct SendTogether {  // A change and its ack in one write, to the device that asked.
  LinkId link = 0;
  v1::Envelope first;
  v1::Envelope second;
};
struct SendAndClose {
  LinkId link = 0;
  v1::Envelope envelope;
  std::string reason;
};
struct Fail {  // An Error, then close: the device broke the protocol.
  LinkId link = 0;
  v1::ErrorCode code = v1::ERROR_CODE_UNSPECIFIED;
  std::string message;
};
struct Close {  // At once.
  LinkId link = 0;
  std::string reason;
};
struct Goodbye {  // The close frame, then close (proto/README.md, Closing).
  LinkId link = 0;
  // GOING_AWAY or SESSION_ENDED when the host stops; REPLACED for an older
  // link when the same device connected again.
  v1::CloseReason reason = v1::CLOSE_REASON_GOING_AWAY;
};

// --- For the host's own user ---
struct LocalState {
  State view;
  std::uint64_t seq = 0;
  std::string cause;
};
struct LocalRefused {
  std::string intent_id;
  v1::Refusal refusal;
};
struct LocalAcked {
  std::string intent_id;
  std::uint64_t seq = 0;
};
struct LocalCoachLevel {  // A rating sealed to the host's own key (the host is the coach): open it there.
  v1::SealedCoachLevel sealed;
};
struct Problem {  // Another device misbehaved, or the host cannot serve it.
  std::string message;
};
struct PairingEvent {
  pairing::PolicyEvent event;
};

// --- Timers ---
struct TimerKey {
  enum class Kind {
    Engine,    // The engine's StartTimer: TimerFired{due_ms}.
    Presence,  // A device's grace to come back before it counts as away.
    Pairing,   // The code's expiry and every handshake's hard deadline.
  };
  Kind kind = Kind::Engine;
  std::int64_t due_ms = 0;  // Engine.
  std::string device_id;    // Presence.

  friend bool operator==(const TimerKey&, const TimerKey&) = default;
};
// Arms `key` to fire after `after`. A Presence or Pairing key replaces the
// armed timer of the same key; Engine timers add up (each fires once).
struct ArmTimer {
  TimerKey key;
  std::chrono::nanoseconds after{0};
};
struct CancelTimer {
  TimerKey key;
};

struct Log {
  enum class Level { Debug, Info, Warn, Error };
  Level level = Level::Info;
  std::string text;
};

using Action = std::variant<BeginSession, RecordDeclined, SavePin, Send, SendTogether, SendAndClose, Fail, Close,
                            Goodbye, LocalState, LocalRefused, LocalAcked, LocalCoachLevel, Problem,
                            PairingEvent, ArmTimer, CancelTimer, Log>;

struct Actions {
  std::vector<Action> steps;  // In order.
  // Set when the core waits for a write: store it, call stored(saved),
  // and carry out `steps` followed by what stored() returns.
  std::optional<GatedWrite> gated;

  template <typename T>
  void add(T&& step) {
    steps.emplace_back(std::forward<T>(step));
  }
  void append(Actions&& more);
};

}  // namespace attune::host
