// The nine steps' own intents: confirming (steps 1 and 3), the check-in
// gates, who goes first (4), sharing and reflecting (5 and 6), turns (7 and
// 8) and the gestures of step 9. Quick repair and deeper listening route
// here for what they share (quick_repair.cpp, listening.cpp).
#include <algorithm>

#include "attune/engine/internal.hpp"
#include "attune/text.hpp"

namespace attune::detail {

Outcome on_confirm(Change& c) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_NAME_IT, v1::STEP_BENEFIT})) return r;
  if (done(c.s, c.role)) return refuse(R::REFUSAL_CODE_ALREADY_DONE);
  set_done(c.s, c.role, true);
  if (!c.s.done_a() || !c.s.done_b()) return kOk;
  if (c.s.step() == v1::STEP_NAME_IT) {
    // Step 2 is itself the first check-in.
    enter_step(c, v1::STEP_GAUGE);
    open_gate(c, after_first_check_in(c.s));
  } else {
    open_gate(c, v1::STEP_WHO_FIRST);
  }
  return kOk;
}

Outcome on_check_in(Change& c, const v1::CheckIn& ci) {
  if (auto r = need_partner(c)) return r;
  State& s = c.s;
  switch (s.phase()) {
    case v1::PHASE_CHECK_IN:
      break;
    case v1::PHASE_PAUSED:
      return refuse(R::REFUSAL_CODE_PAUSE_NOT_OVER);
    case v1::PHASE_LONG_BREAK:
      return refuse(R::REFUSAL_CODE_PAUSED);
    case v1::PHASE_LOBBY:
    case v1::PHASE_ACTIVE:
      return refuse(R::REFUSAL_CODE_WRONG_STEP, "There's no check-in right now.");
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      return refuse(R::REFUSAL_CODE_SESSION_OVER);
  }
  v1::Gate& g = *s.mutable_gate();
  record_check_in(g, c.role, ci.above_threshold());
  g.set_long_break_hint(g.long_break_hint() || ci.long_break_hint());
  if (!g.checked_in_a() || !g.checked_in_b()) return kOk;

  // Both are in: the gate decides, and the per-partner bits are forgotten.
  if (g.above_a() || g.above_b()) {
    start_pause(c, v1::PAUSE_REASON_GATE, g.long_break_hint(), fresh_gate(g.target_step(), g.resume()));
    return kOk;
  }
  const v1::Step target = g.target_step();
  const bool resume = g.resume();
  s.clear_gate();
  if (resume) {
    s.set_phase(v1::PHASE_ACTIVE);
    // The floor returns to whoever held it when the step was interrupted.
    refresh_floor(s);
  } else {
    enter_step(c, target);
  }
  return kOk;
}

namespace {

// A deterministic coin for the random draw: every replica gets the same side.
v1::Role draw(const State& s, int64_t now) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](uint8_t b) {
    h ^= b;
    h *= 1099511628211ULL;
  };
  for (char ch : s.session_id()) mix(static_cast<uint8_t>(ch));
  for (int i = 0; i < 8; ++i) mix(static_cast<uint8_t>(static_cast<uint64_t>(now) >> (8 * i)));
  h ^= h >> 29;
  return (h & 1U) != 0 ? v1::ROLE_PARTNER_A : v1::ROLE_PARTNER_B;
}

Outcome decide_first(Change& c, v1::Role first) {
  c.s.mutable_who_first()->set_decided(first);
  open_gate(c, v1::STEP_SHARE);
  return kOk;
}

}  // namespace

Outcome on_propose_first(Change& c, v1::FirstChoice choice) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_WHO_FIRST})) return r;
  State& s = c.s;
  if (choice == v1::FIRST_CHOICE_ASK_COACH) {
    if (!has_admitted_coach(s))
      return refuse(R::REFUSAL_CODE_BAD_INPUT, "There's no coach in this session to ask.");
    if (s.coach_asked()) return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've both asked the coach already.");
  }
  auto* wf = s.mutable_who_first();
  if (wf->proposal() == choice && wf->proposed_by() == c.role) {
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've suggested that already. Waiting for your partner.");
  }
  wf->set_proposal(choice);
  wf->set_proposed_by(c.role);
  return kOk;
}

Outcome on_accept_first(Change& c) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_WHO_FIRST})) return r;
  State& s = c.s;
  const auto& wf = s.who_first();
  if (wf.proposal() == v1::FIRST_CHOICE_UNSPECIFIED) return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT);
  if (wf.proposed_by() == c.role) {
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT,
                  "This was your suggestion; your partner gets to say yes to it.");
  }
  switch (wf.proposal()) {
    case v1::FIRST_CHOICE_OFFER:
      return decide_first(c, wf.proposed_by());
    case v1::FIRST_CHOICE_DRAW:
      return decide_first(c, draw(s, c.now));
    case v1::FIRST_CHOICE_ASK_COACH:
      s.set_coach_asked(true);
      s.mutable_who_first()->set_proposal(v1::FIRST_CHOICE_UNSPECIFIED);
      s.mutable_who_first()->set_proposed_by(v1::ROLE_UNSPECIFIED);
      return kOk;
    case v1::FIRST_CHOICE_UNSPECIFIED:
    case v1::FirstChoice_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::FirstChoice_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT);
}

Outcome on_assign_first(Change& c, v1::Role partner) {
  if (c.role != v1::ROLE_COACH) return refuse(R::REFUSAL_CODE_COACH_ONLY);
  if (auto r = need_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_WHO_FIRST})) return r;
  if (!c.s.coach_asked())
    return refuse(R::REFUSAL_CODE_NOT_READY,
                  "The partners haven't asked you to choose. They may still decide together.");
  if (!is_partner(partner)) return refuse(R::REFUSAL_CODE_BAD_INPUT, "Please pick one of the two partners.");
  return decide_first(c, partner);
}

Outcome on_write_text(Change& c, const std::string& raw) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_SHARE, v1::STEP_REFLECT, v1::STEP_OWN_PATTERN, v1::STEP_REASSURE})) {
    return refuse(R::REFUSAL_CODE_WRONG_STEP, "There's nothing to write down in this step.");
  }
  if (auto r = need_floor(c)) return r;
  if (auto r = check_text(raw, kMaxTextBytes, true)) return r;
  // NUL, ESC, BEL, CR and bidi overrides go; the words and line breaks stay.
  const std::string text = sanitize_share_text(raw);
  State& s = c.s;
  switch (s.step()) {
    case v1::STEP_SHARE:
      current_round_mut(s)->set_share_text(text);
      return kOk;
    case v1::STEP_REFLECT:
      if (current_round(s)->reflected()) {
        return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Your partner is answering your reflection now.");
      }
      current_round_mut(s)->set_reflection_text(text);
      return kOk;
    case v1::STEP_OWN_PATTERN:
    case v1::STEP_REASSURE:
      for (auto& t : *turns_of(s)) {
        if (t.partner() == c.role && !t.done()) t.set_text(text);
      }
      return kOk;
    case v1::STEP_ACKNOWLEDGE:
    case v1::STEP_OWN_PART:
    case v1::STEP_OTHER_PART:
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
  return refuse(R::REFUSAL_CODE_WRONG_STEP);
}

Outcome on_pass_floor(Change& c) {
  if (auto r = need_partner_active(c)) return r;
  State& s = c.s;
  if (s.step() == v1::STEP_REFLECT) {
    return refuse(R::REFUSAL_CODE_WRONG_STEP,
                  s.floor() == c.role
                      ? "When you've reflected back what you heard, let your partner know you're done."
                      : "Let your partner know whether they got it: \"yes, that's it\" or \"not quite\".");
  }
  if (auto r = need_step(c, {v1::STEP_SHARE, v1::STEP_OWN_PATTERN, v1::STEP_REASSURE})) return r;
  if (auto r = need_floor(c)) return r;
  if (s.step() == v1::STEP_SHARE) {
    // After a "not quite", the clarified share goes straight back to the listener.
    if (current_round(s)->clarifications() > 0) {
      enter_step(c, v1::STEP_REFLECT);
    } else {
      open_gate(c, v1::STEP_REFLECT);
    }
    return kOk;
  }
  auto* turns = turns_of(s);
  for (auto& t : *turns) {
    if (t.partner() == c.role) t.set_done(true);
  }
  refresh_floor(s);
  if (s.floor() == v1::ROLE_UNSPECIFIED) {
    open_gate(c, s.step() == v1::STEP_OWN_PATTERN ? v1::STEP_REASSURE : v1::STEP_RECONNECT);
  }
  return kOk;
}

Outcome on_finish_reflection(Change& c) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_REFLECT})) return r;
  v1::Round* round = current_round_mut(c.s);
  if (c.role == round->speaker()) {
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN,
                  "Your partner is reflecting what they heard. Your answer comes next.");
  }
  if (round->reflected())
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Your partner is answering your reflection now.");
  round->set_reflected(true);
  refresh_floor(c.s);  // The speaker answers next.
  return kOk;
}

Outcome on_answer(Change& c, bool heard) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_REFLECT})) return r;
  State& s = c.s;
  v1::Round* round = current_round_mut(s);
  if (c.role != round->speaker()) {
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "Your partner is the one who says whether they feel heard.");
  }
  if (!round->reflected())
    return refuse(R::REFUSAL_CODE_NOT_READY, "Give your partner a moment to finish reflecting.");
  if (heard) {
    round->set_heard(true);
    open_gate(c, s.rounds_size() < 2 ? v1::STEP_SHARE : v1::STEP_OWN_PATTERN);
    return kOk;
  }
  round->set_reflected(false);
  round->set_listening(v1::LISTEN_STAGE_UNSPECIFIED);  // The next reflection starts with the mirror.
  round->set_clarifications(round->clarifications() + 1);
  s.set_step(v1::STEP_SHARE);
  s.set_step_started_ms(c.now);
  refresh_floor(s);
  return kOk;
}

Outcome on_propose_gesture(Change& c, const std::string& text) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_RECONNECT})) return r;
  if (auto r = check_text(text, kMaxGestureBytes, false)) return r;
  State& s = c.s;
  if (s.gestures_size() >= kMaxGestures)
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "That's plenty of ideas. Pick one of the ones you have.");
  auto* g = s.add_gestures();
  g->set_id(s.next_gesture_id() + 1);
  s.set_next_gesture_id(g->id());
  g->set_proposed_by(c.role);
  g->set_text(std::string{trim(sanitize_share_text(text))});
  set_accepted_by(*g, c.role, true);
  return kOk;
}

Outcome on_accept_gesture(Change& c, uint32_t id) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_RECONNECT})) return r;
  State& s = c.s;
  auto it = std::find_if(s.mutable_gestures()->begin(), s.mutable_gestures()->end(),
                         [&](const v1::Gesture& g) { return g.id() == id; });
  if (it == s.mutable_gestures()->end())
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT, "That idea isn't on the list any more.");
  if (it->proposed_by() == c.role)
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT,
                  "This was your idea; your partner gets to say yes to it.");
  set_accepted_by(*it, c.role, true);
  if (it->accepted_by_a() && it->accepted_by_b()) {
    s.set_step(v1::STEP_COMPLETE);
    s.set_step_started_ms(c.now);
    end_session(c, v1::PHASE_COMPLETE);
  }
  return kOk;
}

}  // namespace attune::detail
