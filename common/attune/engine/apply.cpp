// apply(): the one door into the engine. It routes each intent to the rules
// of its section (lobby, steps, pauses, the shell's own intents, quick
// repair, deeper listening) and counts the version of every accepted change.
// Also here: new sessions, settings and what each device may see.
#include <google/protobuf/unknown_field_set.h>

#include "attune/engine/internal.hpp"

namespace attune {

namespace detail {
namespace {

// A participant's intent, once the device is known to be in the session, to
// the rules of its section.
Outcome route(Change& c, const Intent& intent) {
  using K = Intent::KindCase;
  switch (intent.kind_case()) {
    case K::kAdmit:
      return on_admit(c, intent.admit().participant_id());
    case K::kDecline:
      return on_decline(c, intent.decline().participant_id());
    case K::kLeave:
      return on_leave(c);
    case K::kProposeSettings:
      return on_propose_settings(c, intent.propose_settings().settings());
    case K::kSetReady:
      return on_set_ready(c, intent.set_ready().ready());
    case K::kShareWithCoach:
      return on_share_with_coach(c, intent.share_with_coach().share());
    case K::kConfirm:
      return on_confirm(c);
    case K::kCheckIn:
      return on_check_in(c, intent.check_in());
    case K::kOfferFirst:
      return on_propose_first(c, v1::FIRST_CHOICE_OFFER);
    case K::kRequestDraw:
      return on_propose_first(c, v1::FIRST_CHOICE_DRAW);
    case K::kAskCoach:
      return on_propose_first(c, v1::FIRST_CHOICE_ASK_COACH);
    case K::kAcceptFirst:
      return on_accept_first(c);
    case K::kAssignFirst:
      return on_assign_first(c, intent.assign_first().partner());
    case K::kWriteText:
      return on_write_text(c, intent.write_text().text());
    case K::kPassFloor:
      return on_pass_floor(c);
    case K::kFinishReflection:
      return on_finish_reflection(c);
    case K::kAnswerHeard:
      return on_answer(c, true);
    case K::kAnswerNotQuite:
      return on_answer(c, false);
    case K::kProposeGesture:
      return on_propose_gesture(c, intent.propose_gesture().text());
    case K::kAcceptGesture:
      return on_accept_gesture(c, intent.accept_gesture().gesture_id());
    case K::kCallPause:
      return on_call_pause(c);
    case K::kExtendPause:
      return on_extend_pause(c, intent.extend_pause().seconds());
    case K::kProposeLongBreak:
      return on_propose_long_break(c, intent.propose_long_break().return_ms());
    case K::kAcceptLongBreak:
      return on_accept_long_break(c);
    case K::kReturnFromBreak:
      return on_return_from_break(c);
    case K::kExit:
      return on_exit(c);
    case K::kJoin:
    case K::kSkipPart:
    case K::kWholeConversation:
    case K::kAskMore:
    case K::kAnswerMore:
    case K::kWriteListening:
    case K::kFinishValidation:
    case K::kSetPresence:
    case K::kTimerFired:
    case K::KIND_NOT_SET:
      break;
  }
  return refuse(R::REFUSAL_CODE_BAD_INPUT, "Attune doesn't know that request.");
}

// Who may send what: the shell only presence and timers; a device not yet
// let in only what the lobby allows it.
Outcome dispatch(Change& c, const Intent& intent, const Actor& actor) {
  using K = Intent::KindCase;
  const K kind = intent.kind_case();
  const bool shell_intent = kind == K::kSetPresence || kind == K::kTimerFired;
  if (actor.system != shell_intent)
    return refuse(R::REFUSAL_CODE_SYSTEM_ONLY,
                  actor.system ? "The shell only reports presence and timers." : "");
  if (kind == K::kSetPresence) return on_presence(c, intent.set_presence());
  if (kind == K::kTimerFired) return on_timer(c);
  if (kind == K::kJoin) return on_join(c, actor.id, intent.join());
  if (kind == K::KIND_NOT_SET) {
    // A kind from a newer version lands in unknown fields: say so, not "empty".
    return refuse(
        R::REFUSAL_CODE_BAD_INPUT,
        intent.GetReflection()->GetUnknownFields(intent).empty()
            ? "That request was empty."
            : "That request is one this host's version of Attune doesn't know, so it wasn't applied. "
              "Updating both devices to the same version should help.");
  }

  c.me = find_mut(c.s, actor.id);
  if (c.me == nullptr) return refuse(R::REFUSAL_CODE_NOT_IN_SESSION);
  c.role = c.me->role();
  if (!c.me->admitted()) {
    const bool pending_ok =
        kind == K::kLeave || (is_partner(c.role) && (kind == K::kAdmit || kind == K::kDecline));
    if (!pending_ok) {
      return refuse(R::REFUSAL_CODE_NOT_ADMITTED, is_partner(c.role)
                                                      ? "You'll be in as soon as your partner lets you in."
                                                      : "You'll be in as soon as both partners let you in.");
    }
  }
  if (is_over(c.s.phase())) return refuse(R::REFUSAL_CODE_SESSION_OVER);
  if (auto quick = quick_dispatch(c, intent)) return *quick;
  if (auto deeper = listening_dispatch(c, intent)) return *deeper;
  return route(c, intent);
}

}  // namespace
}  // namespace detail

using detail::Change;
using detail::Outcome;
using R = v1::RefusalCode;

v1::Settings default_settings() {
  v1::Settings s;
  s.set_threshold(3);
  s.set_min_pause_seconds(120);
  s.set_long_break_seconds(1200);
  s.set_long_break_at_level(7);
  s.set_kind(v1::REPAIR_KIND_FULL);
  return s;
}

std::optional<v1::Refusal> check_settings(const v1::Settings& settings) {
  if (settings.threshold() < 1 || settings.threshold() > 9) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "The check-in threshold needs to be between 1 and 9.");
  }
  if (settings.min_pause_seconds() < 30 || settings.min_pause_seconds() > 3600) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "A pause should last between 30 seconds and an hour.");
  }
  if (settings.long_break_seconds() < 600 || settings.long_break_seconds() > 24 * 3600) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "A long break should last between 10 minutes and a day.");
  }
  if (settings.long_break_at_level() <= settings.threshold() || settings.long_break_at_level() > 10) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT,
                  "The long-break level needs to be above the threshold and at most 10.");
  }
  return detail::check_kind(settings);
}

State new_session(std::string session_id, std::string session_name, const v1::Settings& settings,
                  std::string host_id, std::string host_name, v1::Role host_role, TimePoint now) {
  State s;
  s.set_session_id(std::move(session_id));
  s.set_session_name(std::move(session_name));
  *s.mutable_settings() = settings;
  s.set_step(v1::STEP_LOBBY);
  s.set_phase(v1::PHASE_LOBBY);
  s.set_step_started_ms(to_ms(now));
  auto* host = s.add_participants();
  host->set_id(std::move(host_id));
  host->set_display_name(std::move(host_name));
  host->set_role(host_role);
  host->set_host(true);
  host->set_connected(true);
  detail::recompute_admission(s);
  return s;
}

Result apply(const State& state, const Intent& intent, const Actor& actor, TimePoint now) {
  Change c{state, to_ms(now), {}, nullptr, v1::ROLE_UNSPECIFIED};
  if (Outcome refusal = detail::dispatch(c, intent, actor)) {
    return Result{state, std::move(refusal), {}};
  }
  c.s.set_version(c.s.version() + 1);
  return Result{std::move(c.s), std::nullopt, std::move(c.effects)};
}

State view_for(const State& state, std::string_view participant_id) {
  State v = state;
  if (v.has_gate()) {
    // Who rated above the line stays private. The long-break hint is one too:
    // it is set by the first partner who rates that high, so seen before the
    // other has checked in it would say whose it is. It reaches everyone only
    // as the pause's long_break_suggested, once both are in.
    v.mutable_gate()->set_above_a(false);
    v.mutable_gate()->set_above_b(false);
    v.mutable_gate()->set_long_break_hint(false);
  }
  const v1::Participant* me = find_participant(state, participant_id);
  if (me == nullptr || !me->admitted()) {
    // The waiting room (and a device turned away) sees who is here and the
    // terms, nothing said in the session and nothing of how it goes: no
    // check-ins, pauses, floor or turns. A check-in, a pause or a long break
    // reads as the session under way.
    v.clear_rounds();
    v.clear_own_turns();
    v.clear_reassure_turns();
    v.clear_gestures();
    v.clear_quick();
    v.clear_done_a();
    v.clear_done_b();
    v.clear_gate();
    v.clear_pause();
    v.clear_floor();
    v.clear_who_first();
    v.clear_next_gesture_id();
    v.clear_pauses_taken();
    v.clear_coach_asked();
    if (v.phase() == v1::PHASE_CHECK_IN || v.phase() == v1::PHASE_PAUSED || v.phase() == v1::PHASE_LONG_BREAK)
      v.set_phase(v1::PHASE_ACTIVE);
  }
  return v;
}

std::optional<v1::CheckIn> make_check_in(int level, const v1::Settings& settings) {
  if (level < 0 || level > 10) return std::nullopt;
  v1::CheckIn ci;
  ci.set_above_threshold(level > static_cast<int>(settings.threshold()));
  ci.set_long_break_hint(level >= static_cast<int>(settings.long_break_at_level()));
  return ci;
}
}  // namespace attune
