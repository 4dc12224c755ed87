// The repair-session engine: a pure reducer over the shared session state.
//
// apply(state, intent, actor, now) returns the new state or a typed refusal,
// plus effects for the shell to run. It reads no clock, socket or file: time
// comes in as `now`, and timers come back in as TimerFired intents. The same
// inputs always give the same result, so any device can replay a change log.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attune/v1/session.pb.h"

namespace attune {

// attune::v1 (the generated schema) is already reachable as v1 here; an
// alias of the same name would be ill-formed (clang rejects it).

using State = v1::SessionState;
using Intent = v1::Intent;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

inline int64_t to_ms(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_ms(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// Who sends an intent: a participant's device (by id), or the host's own
// shell (presence changes and timers), which no participant can impersonate.
struct Actor {
  std::string id;
  bool system = false;

  static Actor participant(std::string participant_id) { return Actor{std::move(participant_id), false}; }
  static Actor shell() { return Actor{{}, true}; }
};

// Something the shell must do after a change was accepted.
struct Effect {
  enum class Kind {
    StartTimer,       // Deliver TimerFired{due_ms} once `now` >= due_ms.
    SessionComplete,  // The pair finished together.
    SessionEnded,     // Someone stopped the session; show a neutral message.
    Removed,          // participant_id was declined or left; close its link.
  };
  Kind kind;
  int64_t due_ms = 0;
  std::string participant_id;

  friend bool operator==(const Effect&, const Effect&) = default;
};

struct Result {
  State state;                         // The new state (unchanged on refusal).
  std::optional<v1::Refusal> refusal;  // Set when the intent was refused.
  std::vector<Effect> effects;

  bool accepted() const { return !refusal.has_value(); }
};

// Limits on user text, enforced by the engine (refused as bad input).
inline constexpr std::size_t kMaxTextBytes = 8 * 1024;
inline constexpr std::size_t kMaxNameBytes = 64;
inline constexpr std::size_t kMaxSessionNameBytes = 64;
inline constexpr std::size_t kMaxGestureBytes = 512;
inline constexpr int kMaxCoaches = 2;
inline constexpr int kMaxGestures = 16;
inline constexpr int64_t kMaxLongBreakMs = 24LL * 60 * 60 * 1000;
inline constexpr uint32_t kMaxExtendSeconds = 30 * 60;

v1::Settings default_settings();

// Validates settings; returns a refusal a UI can show if they don't make sense.
std::optional<v1::Refusal> check_settings(const v1::Settings& settings);

// A fresh session in the lobby with its host as the first participant.
// `settings` must already pass check_settings(); shells check before calling.
// The host device must be a partner or a coach.
State new_session(std::string session_id, std::string session_name, const v1::Settings& settings,
                  std::string host_id, std::string host_name, v1::Role host_role, TimePoint now);

Result apply(const State& state, const Intent& intent, const Actor& actor, TimePoint now);

// The copy of the state a given device may see: devices not yet admitted see
// only the lobby roster and settings; nobody but the host sees the gate's
// per-partner "above" bits.
State view_for(const State& state, std::string_view participant_id);

// Turns a private 0..10 rating into the two bits that leave the device.
// Returns nullopt for a rating outside 0..10.
std::optional<v1::CheckIn> make_check_in(int level, const v1::Settings& settings);

// Look-ups used by shells and views (engine/roles.cpp).
const v1::Participant* find_participant(const State& state, std::string_view id);
const v1::Participant* find_role(const State& state, v1::Role role);
v1::Role other_partner(v1::Role role);
bool is_partner(v1::Role role);
// The round in progress (the last one), or null before step 5.
const v1::Round* current_round(const State& state);
// A coach both partners have let in.
bool has_admitted_coach(const State& state);

// The per-partner halves of the state, read by role. A role that is not a
// partner (a coach, or none) has done, checked in and accepted nothing.
bool done(const State& state, v1::Role role);                    // Steps 1 and 3.
bool checked_in(const v1::Gate& gate, v1::Role role);            // At a check-in gate.
bool accepted_by(const v1::Participant& device, v1::Role role);  // Let in by this partner.
bool accepted_by(const v1::Gesture& gesture, v1::Role role);     // Said yes to it.

// What a partner is asked to do right now (for "what I'm waiting for").
bool awaits_from(const State& state, v1::Role role);

}  // namespace attune
