// The state's shared moves: entering a step, who holds the floor, check-in
// gates, pauses, endings and the lobby's roster. Every intent's rules are
// built from these (see internal.hpp for the map of the engine's files).
#include <algorithm>

#include "attune/engine/internal.hpp"

namespace attune::detail {

void set_done(State& s, v1::Role role, bool value) {
  if (role == v1::ROLE_PARTNER_A) s.set_done_a(value);
  if (role == v1::ROLE_PARTNER_B) s.set_done_b(value);
}

void set_accepted_by(v1::Participant& device, v1::Role role, bool value) {
  if (role == v1::ROLE_PARTNER_A) device.set_accepted_by_a(value);
  if (role == v1::ROLE_PARTNER_B) device.set_accepted_by_b(value);
}

void set_accepted_by(v1::Gesture& gesture, v1::Role role, bool value) {
  if (role == v1::ROLE_PARTNER_A) gesture.set_accepted_by_a(value);
  if (role == v1::ROLE_PARTNER_B) gesture.set_accepted_by_b(value);
}

void record_check_in(v1::Gate& gate, v1::Role role, bool above) {
  if (role == v1::ROLE_PARTNER_A) {
    gate.set_checked_in_a(true);
    gate.set_above_a(above);
  }
  if (role == v1::ROLE_PARTNER_B) {
    gate.set_checked_in_b(true);
    gate.set_above_b(above);
  }
}

v1::Participant* find_mut(State& s, std::string_view id) {
  for (auto& p : *s.mutable_participants()) {
    if (p.id() == id) return &p;
  }
  return nullptr;
}

bool all_admitted_connected(const State& s) {
  return std::all_of(s.participants().begin(), s.participants().end(),
                     [](const v1::Participant& p) { return !p.admitted() || p.connected(); });
}

bool is_over(v1::Phase phase) { return phase == v1::PHASE_COMPLETE || phase == v1::PHASE_ENDED; }

// Admission: a partner needs the other partner's yes (the host partner is in
// by creating the session); a coach needs both partners' yes.
void recompute_admission(State& s) {
  for (auto& p : *s.mutable_participants()) {
    switch (p.role()) {
      case v1::ROLE_PARTNER_A:
      case v1::ROLE_PARTNER_B:
        p.set_admitted(p.host() || accepted_by(p, other_partner(p.role())));
        break;
      case v1::ROLE_COACH:
        p.set_admitted(p.accepted_by_a() && p.accepted_by_b());
        break;
      case v1::ROLE_UNSPECIFIED:
      case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
      case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_:
        p.set_admitted(false);
        break;
    }
  }
}

v1::Round* current_round_mut(State& s) {
  return s.rounds().empty() ? nullptr : s.mutable_rounds(s.rounds_size() - 1);
}

namespace {

v1::Role first_speaker(const State& s) { return s.who_first().decided(); }

// Who holds the floor, read off the step's progress: the speaker shares; the
// listener reflects until done, then the speaker answers; in steps 7 and 8
// the first partner whose turn is not done. Nobody in the other steps.
v1::Role floor_in_step(const State& s) {
  switch (s.step()) {
    case v1::STEP_SHARE:
      return current_round(s)->speaker();
    case v1::STEP_REFLECT:
      return reflect_floor(*current_round(s));
    case v1::STEP_OWN_PATTERN:
    case v1::STEP_REASSURE: {
      const auto& turns = s.step() == v1::STEP_OWN_PATTERN ? s.own_turns() : s.reassure_turns();
      for (const auto& t : turns) {
        if (!t.done()) return t.partner();
      }
      return v1::ROLE_UNSPECIFIED;
    }
    case v1::STEP_ACKNOWLEDGE:
    case v1::STEP_OWN_PART:
    case v1::STEP_OTHER_PART:
      return quick_floor(s);
    case v1::STEP_UNSPECIFIED:
    case v1::STEP_LOBBY:
    case v1::STEP_NAME_IT:
    case v1::STEP_GAUGE:
    case v1::STEP_BENEFIT:
    case v1::STEP_WHO_FIRST:
    case v1::STEP_RECONNECT:
    case v1::STEP_COMPLETE:
    case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return v1::ROLE_UNSPECIFIED;
}

// What a new step starts with: a round in Share (the next speaker once the
// last one was heard), fresh turns in steps 7 and 8.
void reset_step_progress(State& s) {
  if (s.step() == v1::STEP_SHARE) {
    const v1::Round* last = current_round(s);
    if (last == nullptr) {
      s.add_rounds()->set_speaker(first_speaker(s));
    } else if (last->heard()) {
      s.add_rounds()->set_speaker(other_partner(last->speaker()));
    }
    return;
  }
  if (auto* turns = turns_of(s)) {
    turns->Clear();
    turns->Add()->set_partner(first_speaker(s));
    turns->Add()->set_partner(other_partner(first_speaker(s)));
  }
}

}  // namespace

google::protobuf::RepeatedPtrField<v1::Turn>* turns_of(State& s) {
  if (s.step() == v1::STEP_OWN_PATTERN) return s.mutable_own_turns();
  if (s.step() == v1::STEP_REASSURE) return s.mutable_reassure_turns();
  return nullptr;
}

void refresh_floor(State& s) {
  s.set_floor(s.phase() == v1::PHASE_ACTIVE ? floor_in_step(s) : v1::ROLE_UNSPECIFIED);
}

// Enters a step: resets what each step tracks and sets who holds the floor.
void enter_step(Change& c, v1::Step step) {
  State& s = c.s;
  s.set_step(step);
  s.set_phase(step == v1::STEP_COMPLETE ? v1::PHASE_COMPLETE : v1::PHASE_ACTIVE);
  s.set_step_started_ms(c.now);
  s.set_done_a(false);
  s.set_done_b(false);
  reset_step_progress(s);
  refresh_floor(s);
}

v1::Gate fresh_gate(v1::Step target, bool resume) {
  v1::Gate g;
  g.set_target_step(target);
  g.set_resume(resume);
  return g;
}

// Every transition after step 2 waits on a check-in from both partners.
void open_gate(Change& c, v1::Step target) {
  c.s.set_phase(v1::PHASE_CHECK_IN);
  refresh_floor(c.s);
  *c.s.mutable_gate() = fresh_gate(target, false);
}

// The gate that follows a pause: the interrupted transition if one was
// waiting, otherwise a return to the step in progress.
v1::Gate gate_after_pause(const State& s, bool keep_check_ins) {
  if (s.phase() == v1::PHASE_CHECK_IN) {
    if (keep_check_ins) return s.gate();
    return fresh_gate(s.gate().target_step(), s.gate().resume());
  }
  return fresh_gate(s.step(), true);
}

void start_pause(Change& c, v1::PauseReason reason, bool long_break_hint, v1::Gate after) {
  State& s = c.s;
  v1::Pause p;
  p.set_reason(reason);
  p.set_started_ms(c.now);
  const int64_t min_ms =
      reason == v1::PAUSE_REASON_CONNECTION ? 0 : int64_t{s.settings().min_pause_seconds()} * 1000;
  p.set_min_until_ms(c.now + min_ms);
  p.set_long_break_suggested(long_break_hint);
  after.set_above_a(false);
  after.set_above_b(false);
  after.set_long_break_hint(false);
  *p.mutable_after() = std::move(after);
  *s.mutable_pause() = std::move(p);
  s.clear_gate();
  s.set_phase(v1::PHASE_PAUSED);
  s.set_pauses_taken(s.pauses_taken() + 1);
  if (min_ms > 0) c.effects.push_back(Effect{Effect::Kind::StartTimer, s.pause().min_until_ms(), {}});
}

// Leaves a pause into its check-in, or keeps waiting while a device is away.
void end_pause(Change& c) {
  State& s = c.s;
  if (!all_admitted_connected(s)) {
    s.mutable_pause()->set_reason(v1::PAUSE_REASON_CONNECTION);
    return;
  }
  v1::Gate after = s.pause().after();
  s.clear_pause();
  s.set_phase(v1::PHASE_CHECK_IN);
  *s.mutable_gate() = std::move(after);
}

void end_session(Change& c, v1::Phase phase) {
  State& s = c.s;
  s.set_phase(phase);
  refresh_floor(s);
  s.set_ended_ms(c.now);
  s.clear_gate();
  s.clear_pause();
  c.effects.push_back(Effect{
      phase == v1::PHASE_COMPLETE ? Effect::Kind::SessionComplete : Effect::Kind::SessionEnded, 0, {}});
}

void try_start(Change& c) {
  State& s = c.s;
  if (s.phase() != v1::PHASE_LOBBY) return;
  const auto* a = find_role(s, v1::ROLE_PARTNER_A);
  const auto* b = find_role(s, v1::ROLE_PARTNER_B);
  if (a == nullptr || b == nullptr || !a->ready() || !b->ready()) return;
  for (const auto& p : s.participants()) {
    if (!p.admitted() || !p.connected()) return;
  }
  s.set_started_ms(c.now);
  enter_step(c, v1::STEP_NAME_IT);
}

void remove_participant(Change& c, const std::string& id) {
  auto* parts = c.s.mutable_participants();
  const auto it =
      std::find_if(parts->begin(), parts->end(), [&](const v1::Participant& p) { return p.id() == id; });
  if (it == parts->end()) return;
  const v1::Role gone = it->role();
  parts->erase(it);
  for (auto& p : *parts) set_accepted_by(p, gone, false);  // Nothing for a coach.
  c.effects.push_back(Effect{Effect::Kind::Removed, 0, id});
  recompute_admission(c.s);
}

}  // namespace attune::detail
