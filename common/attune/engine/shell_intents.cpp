// The shell's own intents: a device's link came or went, and a timer fired.
// Only the host's shell sends these (Actor::shell()); no participant can.
#include "attune/engine/internal.hpp"

namespace attune::detail {

Outcome on_presence(Change& c, const v1::SetPresence& sp) {
  State& s = c.s;
  v1::Participant* p = find_mut(s, sp.participant_id());
  if (p == nullptr) return refuse(R::REFUSAL_CODE_BAD_INPUT, "That device isn't in the session.");
  if (p->connected() == sp.connected()) return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Nothing changed.");
  p->set_connected(sp.connected());
  if (!p->admitted()) return kOk;
  if (!sp.connected()) {
    if (s.phase() == v1::PHASE_ACTIVE || s.phase() == v1::PHASE_CHECK_IN) {
      start_pause(c, v1::PAUSE_REASON_CONNECTION, false, gate_after_pause(s, true));
    }
    return kOk;
  }
  if (s.phase() == v1::PHASE_PAUSED && s.pause().reason() == v1::PAUSE_REASON_CONNECTION &&
      c.now >= s.pause().min_until_ms()) {
    end_pause(c);
  }
  try_start(c);
  return kOk;
}

Outcome on_timer(Change& c) {
  State& s = c.s;
  if (s.phase() != v1::PHASE_PAUSED || c.now < s.pause().min_until_ms()) {
    return refuse(R::REFUSAL_CODE_PAUSE_NOT_OVER, "No timer is due.");
  }
  if (!all_admitted_connected(s) && s.pause().reason() == v1::PAUSE_REASON_CONNECTION) {
    return refuse(R::REFUSAL_CODE_SOMEONE_AWAY);
  }
  end_pause(c);
  return kOk;
}

}  // namespace attune::detail
