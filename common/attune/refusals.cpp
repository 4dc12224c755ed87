#include "attune/refusals.hpp"

#include <string>

namespace attune {

std::string_view refusal_text(v1::RefusalCode code) {
  switch (code) {
    case v1::REFUSAL_CODE_NOT_IN_SESSION:
      return "This device isn't part of the session yet.";
    case v1::REFUSAL_CODE_NOT_ADMITTED:
      return "You'll be in as soon as you're let in.";
    case v1::REFUSAL_CODE_SEAT_TAKEN:
      return "That seat is already taken.";
    case v1::REFUSAL_CODE_ALREADY_JOINED:
      return "This device has already joined.";
    case v1::REFUSAL_CODE_BAD_INPUT:
      return "Attune couldn't make sense of that.";
    case v1::REFUSAL_CODE_WRONG_STEP:
      return "That isn't part of this step.";
    case v1::REFUSAL_CODE_NOT_YOUR_TURN:
      return "It's your partner's turn to speak. You'll have the floor next.";
    case v1::REFUSAL_CODE_PARTNERS_ONLY:
      return "That's for the two partners to do. As the coach, you can pause, extend a pause, or choose who "
             "goes "
             "first when asked.";
    case v1::REFUSAL_CODE_COACH_ONLY:
      return "Only the coach can do that.";
    case v1::REFUSAL_CODE_LOBBY_ONLY:
      return "That can only be changed in the lobby, before you begin.";
    case v1::REFUSAL_CODE_NOT_READY:
      return "That isn't ready yet.";
    case v1::REFUSAL_CODE_WAITING_FOR_CHECK_IN:
      return "First, a quick check-in from both of you.";
    case v1::REFUSAL_CODE_PAUSED:
      return "You're on a pause right now. Take your time.";
    case v1::REFUSAL_CODE_PAUSE_NOT_OVER:
      return "The pause isn't over yet. The check-in comes right after it.";
    case v1::REFUSAL_CODE_NOT_PAUSED:
      return "There's no pause running.";
    case v1::REFUSAL_CODE_SESSION_OVER:
      return "This session has ended.";
    case v1::REFUSAL_CODE_NOTHING_TO_ACCEPT:
      return "There's nothing to say yes to yet.";
    case v1::REFUSAL_CODE_SYSTEM_ONLY:
      return "That can only come from this device's own connection handling.";
    case v1::REFUSAL_CODE_ALREADY_DONE:
      return "You've done this part already. Waiting for your partner.";
    case v1::REFUSAL_CODE_SOMEONE_AWAY:
      return "Someone is still reconnecting. Hang on a moment.";
    case v1::REFUSAL_CODE_TOO_FAST:
      return "That came a little too fast. Please wait a moment and try again.";
    case v1::REFUSAL_CODE_UNSPECIFIED:
    case v1::RefusalCode_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::RefusalCode_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "That didn't work.";
}

v1::Refusal refuse(v1::RefusalCode code, std::string_view message) {
  v1::Refusal r;
  r.set_code(code);
  r.set_message(std::string(message.empty() ? refusal_text(code) : message));
  return r;
}

bool refusal_is_transient(v1::RefusalCode code) {
  return code == v1::REFUSAL_CODE_PAUSED || code == v1::REFUSAL_CODE_WAITING_FOR_CHECK_IN;
}

}  // namespace attune
