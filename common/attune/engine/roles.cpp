// The public look-ups and the per-partner accessors: the state keeps two
// halves of some fields (done_a/done_b, accepted_by_a/accepted_by_b, ...);
// these read the half of a role, so no caller picks between them.
#include <algorithm>

#include "attune/engine/internal.hpp"

namespace attune {

const v1::Participant* find_participant(const State& state, std::string_view id) {
  for (const auto& p : state.participants()) {
    if (p.id() == id) return &p;
  }
  return nullptr;
}

const v1::Participant* find_role(const State& state, v1::Role role) {
  for (const auto& p : state.participants()) {
    if (p.role() == role) return &p;
  }
  return nullptr;
}

v1::Role other_partner(v1::Role role) {
  if (role == v1::ROLE_PARTNER_A) return v1::ROLE_PARTNER_B;
  if (role == v1::ROLE_PARTNER_B) return v1::ROLE_PARTNER_A;
  return v1::ROLE_UNSPECIFIED;
}

bool is_partner(v1::Role role) { return role == v1::ROLE_PARTNER_A || role == v1::ROLE_PARTNER_B; }

const v1::Round* current_round(const State& state) {
  return state.rounds().empty() ? nullptr : &state.rounds(state.rounds_size() - 1);
}

bool has_admitted_coach(const State& state) {
  return std::any_of(state.participants().begin(), state.participants().end(),
                     [](const v1::Participant& p) { return p.role() == v1::ROLE_COACH && p.admitted(); });
}

namespace {
// The half of a per-partner pair that belongs to `role`; false for others.
bool half(v1::Role role, bool a, bool b) {
  if (role == v1::ROLE_PARTNER_A) return a;
  if (role == v1::ROLE_PARTNER_B) return b;
  return false;
}
}  // namespace

bool done(const State& state, v1::Role role) { return half(role, state.done_a(), state.done_b()); }
bool checked_in(const v1::Gate& gate, v1::Role role) {
  return half(role, gate.checked_in_a(), gate.checked_in_b());
}
bool accepted_by(const v1::Participant& device, v1::Role role) {
  return half(role, device.accepted_by_a(), device.accepted_by_b());
}
bool accepted_by(const v1::Gesture& gesture, v1::Role role) {
  return half(role, gesture.accepted_by_a(), gesture.accepted_by_b());
}

bool awaits_from(const State& s, v1::Role role) {
  if (!is_partner(role)) return false;
  switch (s.phase()) {
    case v1::PHASE_LOBBY: {
      const auto* p = find_role(s, role);
      return p != nullptr && !p->ready();
    }
    case v1::PHASE_CHECK_IN:
      return !checked_in(s.gate(), role);
    case v1::PHASE_ACTIVE:
      switch (s.step()) {
        case v1::STEP_NAME_IT:
        case v1::STEP_BENEFIT:
          return !done(s, role);
        case v1::STEP_WHO_FIRST:
          return s.who_first().proposal() == v1::FIRST_CHOICE_UNSPECIFIED
                     ? !s.coach_asked()
                     : s.who_first().proposed_by() != role;
        case v1::STEP_SHARE:
        case v1::STEP_REFLECT:
        case v1::STEP_OWN_PATTERN:
        case v1::STEP_REASSURE:
        case v1::STEP_ACKNOWLEDGE:
        case v1::STEP_OWN_PART:
        case v1::STEP_OTHER_PART:
          return s.floor() == role;
        case v1::STEP_RECONNECT:
          return true;
        case v1::STEP_UNSPECIFIED:
        case v1::STEP_LOBBY:
        case v1::STEP_GAUGE:
        case v1::STEP_COMPLETE:
        case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
        case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
          return false;
      }
      return false;
    case v1::PHASE_PAUSED:
    case v1::PHASE_LONG_BREAK:
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      return false;
  }
  return false;
}

}  // namespace attune
