// Pauses and endings: calling and extending a pause, agreeing a long break
// and coming back from it, and the discreet exit.
#include <algorithm>

#include "attune/engine/internal.hpp"

namespace attune::detail {

Outcome on_call_pause(Change& c) {
  switch (c.s.phase()) {
    case v1::PHASE_ACTIVE:
    case v1::PHASE_CHECK_IN:
      start_pause(c, v1::PAUSE_REASON_CALLED, false, gate_after_pause(c.s, false));
      return kOk;
    case v1::PHASE_PAUSED:
    case v1::PHASE_LONG_BREAK:
      return refuse(R::REFUSAL_CODE_PAUSED, "You're already on a pause. Take all the time you need.");
    case v1::PHASE_LOBBY:
      return refuse(R::REFUSAL_CODE_WRONG_STEP,
                    "The session hasn't started yet, so there's nothing to pause.");
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return refuse(R::REFUSAL_CODE_SESSION_OVER);
}

Outcome on_extend_pause(Change& c, uint32_t seconds) {
  State& s = c.s;
  if (s.phase() != v1::PHASE_PAUSED) return refuse(R::REFUSAL_CODE_NOT_PAUSED);
  if (seconds == 0 || seconds > kMaxExtendSeconds) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "A pause can be extended by up to 30 minutes at a time.");
  }
  const int64_t until = std::max(s.pause().min_until_ms(), c.now) + int64_t{seconds} * 1000;
  s.mutable_pause()->set_min_until_ms(until);
  if (s.pause().reason() == v1::PAUSE_REASON_CONNECTION && all_admitted_connected(s)) {
    s.mutable_pause()->set_reason(v1::PAUSE_REASON_CALLED);
  }
  c.effects.push_back(Effect{Effect::Kind::StartTimer, until, {}});
  return kOk;
}

Outcome on_propose_long_break(Change& c, int64_t return_ms) {
  if (auto r = need_partner(c)) return r;
  State& s = c.s;
  if (s.phase() != v1::PHASE_PAUSED) {
    return refuse(R::REFUSAL_CODE_NOT_PAUSED, "A long break starts from a pause. Call a pause first.");
  }
  if (return_ms <= c.now + int64_t{s.settings().min_pause_seconds()} * 1000) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "A long break should last longer than a regular pause.");
  }
  if (return_ms > c.now + kMaxLongBreakMs) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "Please pick a time to come back within the next 24 hours.");
  }
  s.mutable_pause()->set_long_break_proposed_by(c.role);
  s.mutable_pause()->set_long_break_return_ms(return_ms);
  return kOk;
}

Outcome on_accept_long_break(Change& c) {
  if (auto r = need_partner(c)) return r;
  State& s = c.s;
  if (s.phase() != v1::PHASE_PAUSED || s.pause().long_break_proposed_by() == v1::ROLE_UNSPECIFIED) {
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT, "Nobody has suggested a long break.");
  }
  if (s.pause().long_break_proposed_by() == c.role) {
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT,
                  "This was your suggestion; your partner gets to say yes to it.");
  }
  s.mutable_pause()->set_back_a(false);
  s.mutable_pause()->set_back_b(false);
  s.set_phase(v1::PHASE_LONG_BREAK);
  return kOk;
}

// Each partner says "We're back" for themselves; the break ends when both
// have (the coach doesn't hold it up). The pause's minimum still holds: back
// early, the pause runs on to its end and then opens its check-in.
Outcome on_return_from_break(Change& c) {
  if (auto r = need_partner(c)) return r;
  State& s = c.s;
  if (s.phase() != v1::PHASE_LONG_BREAK)
    return refuse(R::REFUSAL_CODE_NOT_PAUSED, "You're not on a long break.");
  v1::Pause& p = *s.mutable_pause();
  const bool a = c.role == v1::ROLE_PARTNER_A;
  if (a ? p.back_a() : p.back_b())
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've said you're back; your partner will say so too.");
  a ? p.set_back_a(true) : p.set_back_b(true);
  if (!p.back_a() || !p.back_b()) return kOk;
  s.set_phase(v1::PHASE_PAUSED);
  p.clear_long_break_proposed_by();  // Back: the break is behind them.
  p.clear_long_break_return_ms();
  if (c.now < p.min_until_ms()) {
    c.effects.push_back(Effect{Effect::Kind::StartTimer, p.min_until_ms(), {}});
    return kOk;
  }
  end_pause(c);
  return kOk;
}

Outcome on_exit(Change& c) {
  if (is_over(c.s.phase())) return refuse(R::REFUSAL_CODE_SESSION_OVER);
  end_session(c, v1::PHASE_ENDED);
  return kOk;
}

}  // namespace attune::detail
