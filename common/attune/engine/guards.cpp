// The checks many intents share: who may ask, in which phase and step, whose
// turn it is, and what text may hold.
#include <algorithm>

#include "attune/engine/internal.hpp"
#include "attune/text.hpp"

namespace attune::detail {

Outcome need_partner(const Change& c) {
  if (is_partner(c.role)) return kOk;
  return refuse(R::REFUSAL_CODE_PARTNERS_ONLY);
}

Outcome need_lobby(const Change& c) {
  if (c.s.phase() == v1::PHASE_LOBBY) return kOk;
  return refuse(R::REFUSAL_CODE_LOBBY_ONLY);
}

// A step action needs the session running and not waiting on a gate or pause.
Outcome need_active(const Change& c) {
  switch (c.s.phase()) {
    case v1::PHASE_ACTIVE:
      return kOk;
    case v1::PHASE_LOBBY:
      return refuse(R::REFUSAL_CODE_WRONG_STEP, "Let's finish in the lobby first.");
    case v1::PHASE_CHECK_IN:
      return refuse(R::REFUSAL_CODE_WAITING_FOR_CHECK_IN);
    case v1::PHASE_PAUSED:
    case v1::PHASE_LONG_BREAK:
      return refuse(R::REFUSAL_CODE_PAUSED);
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return refuse(R::REFUSAL_CODE_SESSION_OVER);
}

Outcome need_partner_active(const Change& c) {
  if (auto r = need_partner(c)) return r;
  return need_active(c);
}

Outcome need_step(const Change& c, std::initializer_list<v1::Step> steps) {
  if (std::find(steps.begin(), steps.end(), c.s.step()) != steps.end()) return kOk;
  return refuse(R::REFUSAL_CODE_WRONG_STEP);
}

Outcome need_floor(const Change& c) {
  if (c.s.floor() == c.role) return kOk;
  if (c.s.step() == v1::STEP_SHARE) return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN);
  if (c.s.step() == v1::STEP_REFLECT) {
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN,
                  c.s.floor() == v1::ROLE_UNSPECIFIED
                      ? "Nobody holds the floor right now."
                      : "Your partner has the floor right now. Your turn comes next.");
  }
  return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "It's your partner's turn right now. Yours comes next.");
}

Outcome check_text(std::string_view text, std::size_t max_bytes, bool allow_empty) {
  if (!is_valid_utf8(text))
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "That text has characters we can't read.");
  if (text.size() > max_bytes)
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "That's longer than Attune can keep. Could you shorten it?");
  // Judged on the text as it would be kept: one of only control or bidi
  // characters would show nothing at all.
  if (!allow_empty && trim(sanitize_share_text(text)).empty())
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "Please write a few words first.");
  return kOk;
}

Outcome check_step_text(std::string_view text) { return check_text(text, kMaxTextBytes, true); }

}  // namespace attune::detail
