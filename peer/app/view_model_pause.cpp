// The pause and the longer break in words: no one is named, no number shown.
#include "app/view_model_internal.hpp"

namespace attune::app {

using v1::Role;

PauseView pause_view(const NodeView& snap, int64_t now_ms) {
  PauseView v;
  const State& s = snap.state;
  const v1::Pause& p = s.pause();
  const Role me = snap.my_role;
  const bool partner = is_partner(me);
  const std::string other_name = name_for(s, other_partner(me));

  v.seconds_left = p.min_until_ms() > now_ms ? (p.min_until_ms() - now_ms + 999) / 1000 : 0;
  v.countdown = v.seconds_left > 0 ? format_clock(v.seconds_left) : "";
  switch (p.reason()) {
    case v1::PAUSE_REASON_GATE:
      v.title = "Taking a moment";
      v.message = "One of you needs a moment. That's what pauses are for. Breathe along with the circle.";
      break;
    case v1::PAUSE_REASON_CALLED:
      v.title = "Taking a moment";
      v.message = "Someone asked for a pause. Pausing is always okay. Breathe along with the circle.";
      break;
    case v1::PAUSE_REASON_CONNECTION: {
      std::string away;
      for (const auto& q : s.participants())
        if (q.admitted() && !q.connected()) away = q.display_name();
      v.title = "Waiting for everyone";
      v.message = (away.empty() ? std::string("A device") : away) +
                  " lost the connection. The session is paused and will pick up exactly where you were.";
      break;
    }
    case v1::PAUSE_REASON_UNSPECIFIED:
    case v1::PauseReason_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::PauseReason_INT_MAX_SENTINEL_DO_NOT_USE_:
      v.title = "Taking a moment";
      v.message = "Breathe along with the circle.";
      break;
  }
  if (p.back_a() && p.back_b() && p.reason() != v1::PAUSE_REASON_CONNECTION)
    v.message = "You're both back. Breathe together a little longer; the pause keeps its minimum time.";
  if (p.reason() == v1::PAUSE_REASON_CONNECTION)
    v.after = "Once everyone is back, you'll both check in again.";
  else
    v.after = v.seconds_left > 0 ? "When the timer ends, you'll both check in again."
                                 : "The check-in opens in a moment.";

  v.long_break_suggested = p.long_break_suggested();
  v.can_extend = s.phase() == v1::PHASE_PAUSED;
  v.can_exit = partner;
  if (partner) {
    const Role by = p.long_break_proposed_by();
    const std::string at = p.long_break_return_ms() ? format_local_time(p.long_break_return_ms()) : "";
    if (by == v1::ROLE_UNSPECIFIED) {
      v.can_propose_long_break = true;
    } else if (by == me) {
      v.can_propose_long_break = true;  // May change the time.
      v.long_break_proposal =
          "You suggested a longer break, back at " + at + ". Waiting for " + other_name + ".";
    } else {
      v.can_accept_long_break = true;
      v.can_propose_long_break = true;
      v.long_break_proposal = other_name + " suggests a longer break, back at " + at + ".";
    }
  }
  return v;
}

LongBreakView long_break_view(const NodeView& snap, int64_t now_ms) {
  LongBreakView v;
  const v1::Pause& p = snap.state.pause();
  v.title = "On a longer break";
  v.return_at = p.long_break_return_ms() ? format_local_time(p.long_break_return_ms()) : "";
  v.seconds_left = p.long_break_return_ms() > now_ms ? (p.long_break_return_ms() - now_ms + 999) / 1000 : 0;
  // In memory only, closing this device's Attune would end the session.
  v.message =
      snap.storage_notice.empty()
          ? "You can close Attune now. The session waits right here and picks up where you stopped. Be "
            "gentle with yourselves in the meantime."
          : "Please keep Attune open on this computer: it can't save right now, so closing it would end "
            "the session. Be gentle with yourselves in the meantime.";
  // Who has said "We're back", by name: each partner says it for themselves.
  const Role me = snap.my_role;
  const auto back = [&p](Role r) { return r == v1::ROLE_PARTNER_A ? p.back_a() : p.back_b(); };
  const bool me_back = is_partner(me) && back(me);
  if (is_partner(me)) {
    const Role other = other_partner(me);
    if (me_back)
      v.back_line = "You're back. Waiting for " + name_for(snap.state, other) + " to say they're back too.";
    else if (back(other))
      v.back_line = name_for(snap.state, other) + " is back. Say so when you are.";
  } else {
    for (const Role r : {v1::ROLE_PARTNER_A, v1::ROLE_PARTNER_B})
      if (back(r)) v.back_line = name_for(snap.state, r) + " is back.";
    if (p.back_a() && p.back_b()) v.back_line.clear();
  }
  v.can_return = is_partner(me) && !me_back;
  return v;
}

}  // namespace attune::app
