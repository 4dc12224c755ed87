// Quick repair: the rules of the second kind of session. apply.cpp routes
// every intent here first (quick_dispatch); what isn't a quick-repair matter
// goes back to the nine-step rules, which also run the shared parts: naming
// it, the check-in gates, pauses, the gesture and the endings.
//
// The flow: NAME_IT -> GAUGE (the first check-in) -> ACKNOWLEDGE (the
// repairer acknowledges, the other answers "I feel seen" or "not quite",
// which loops) -> OWN_PART (the repairer) -> OTHER_PART (the other, or a
// skip) -> check-in gate -> RECONNECT -> COMPLETE.
#include <string>

#include "attune/engine/internal.hpp"
#include "attune/text.hpp"

namespace attune::detail {

namespace {

v1::Role repairer(const State& s) { return s.settings().repairer(); }

Outcome on_write(Change& c, const std::string& raw) {
  if (auto r = need_floor(c)) return r;
  if (auto r = check_step_text(raw)) return r;
  const std::string text = sanitize_share_text(raw);  // As on_write_text keeps it.
  v1::QuickRepair& q = *c.s.mutable_quick();
  switch (c.s.step()) {
    case v1::STEP_ACKNOWLEDGE:
      if (q.acknowledged())
        return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Your partner is answering you now.");
      q.set_acknowledgment_text(text);
      return kOk;
    case v1::STEP_OWN_PART:
      q.set_own_text(text);
      return kOk;
    default:
      q.set_other_text(text);
      return kOk;
  }
}

// "I've said it": the repairer finished acknowledging or owning, or the
// other finished naming their part.
Outcome on_done(Change& c) {
  if (auto r = need_floor(c)) return r;
  v1::QuickRepair& q = *c.s.mutable_quick();
  switch (c.s.step()) {
    case v1::STEP_ACKNOWLEDGE:
      if (q.acknowledged()) {
        return refuse(R::REFUSAL_CODE_WRONG_STEP,
                      "Let your partner know whether they got it: \"I feel seen\" or \"not quite\".");
      }
      q.set_acknowledged(true);
      refresh_floor(c.s);
      return kOk;
    case v1::STEP_OWN_PART:
      q.set_own_done(true);
      enter_step(c, v1::STEP_OTHER_PART);
      return kOk;
    default:
      q.set_other_done(true);
      open_gate(c, v1::STEP_RECONNECT);
      return kOk;
  }
}

Outcome on_seen_answer(Change& c, bool seen) {
  if (c.s.step() != v1::STEP_ACKNOWLEDGE) return refuse(R::REFUSAL_CODE_WRONG_STEP);
  v1::QuickRepair& q = *c.s.mutable_quick();
  if (c.role == repairer(c.s)) {
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "Your partner is the one who says whether they feel seen.");
  }
  if (!q.acknowledged())
    return refuse(R::REFUSAL_CODE_NOT_READY, "Give your partner a moment to finish what they're saying.");
  if (seen) {
    q.set_seen(true);
    enter_step(c, v1::STEP_OWN_PART);
    return kOk;
  }
  q.set_acknowledged(false);
  q.set_not_quite(q.not_quite() + 1);
  refresh_floor(c.s);
  return kOk;
}

Outcome on_skip(Change& c) {
  if (auto r = need_partner_active(c)) return r;
  if (c.s.step() != v1::STEP_OTHER_PART) {
    return refuse(R::REFUSAL_CODE_WRONG_STEP, "There's nothing to skip right now.");
  }
  if (auto r = need_floor(c)) return r;
  c.s.mutable_quick()->set_other_skipped(true);
  c.s.mutable_quick()->clear_other_text();
  open_gate(c, v1::STEP_RECONNECT);
  return kOk;
}

// "This needs the whole conversation": from here on the nine steps run. Name
// it and the first check-in were already done, so the next is step 3, behind
// a check-in; what was said stays in `quick`.
Outcome on_whole_conversation(Change& c) {
  if (!is_partner(c.role)) return refuse(R::REFUSAL_CODE_PARTNERS_ONLY);
  State& s = c.s;
  if (s.settings().kind() != v1::REPAIR_KIND_QUICK) {
    return refuse(R::REFUSAL_CODE_WRONG_STEP, "You're already having the whole conversation.");
  }
  if (s.quick().escalated()) {
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You're already on your way to the whole conversation.");
  }
  switch (s.phase()) {
    case v1::PHASE_ACTIVE:
    case v1::PHASE_CHECK_IN:
      break;
    case v1::PHASE_LOBBY:
      return refuse(R::REFUSAL_CODE_LOBBY_ONLY, "In the lobby, just choose the whole conversation instead.");
    case v1::PHASE_PAUSED:
    case v1::PHASE_LONG_BREAK:
      return refuse(R::REFUSAL_CODE_PAUSED);
    default:  // Over (as need_active answers): nothing comes after it.
      return refuse(R::REFUSAL_CODE_SESSION_OVER);
  }
  s.mutable_quick()->set_escalated(true);
  // Still naming it: the nine steps carry on from here by themselves.
  if (s.phase() == v1::PHASE_ACTIVE && s.step() == v1::STEP_NAME_IT) return kOk;
  open_gate(c, v1::STEP_BENEFIT);
  return kOk;
}

}  // namespace

Outcome check_kind(const v1::Settings& settings) {
  switch (settings.kind()) {
    case v1::REPAIR_KIND_UNSPECIFIED:
    case v1::REPAIR_KIND_FULL:
      if (settings.repairer() != v1::ROLE_UNSPECIFIED) {
        return refuse(R::REFUSAL_CODE_BAD_INPUT,
                      "Choosing who repairs is only for a quick repair. The whole conversation is for both.");
      }
      return kOk;
    case v1::REPAIR_KIND_QUICK:
      if (!is_partner(settings.repairer())) {
        return refuse(R::REFUSAL_CODE_BAD_INPUT, "For a quick repair, choose which of you is reaching out.");
      }
      return kOk;
    default:
      return refuse(R::REFUSAL_CODE_BAD_INPUT, "Please choose a quick repair or the whole conversation.");
  }
}

bool is_quick(const State& s) {
  return s.settings().kind() == v1::REPAIR_KIND_QUICK && !s.quick().escalated();
}

bool is_quick_step(v1::Step step) {
  return step == v1::STEP_ACKNOWLEDGE || step == v1::STEP_OWN_PART || step == v1::STEP_OTHER_PART;
}

v1::Role quick_floor(const State& s) {
  switch (s.step()) {
    case v1::STEP_ACKNOWLEDGE:
      return s.quick().acknowledged() ? other_partner(repairer(s)) : repairer(s);
    case v1::STEP_OWN_PART:
      return repairer(s);
    case v1::STEP_OTHER_PART:
      return other_partner(repairer(s));
    default:
      return v1::ROLE_UNSPECIFIED;
  }
}

v1::Step after_first_check_in(const State& s) { return is_quick(s) ? v1::STEP_ACKNOWLEDGE : v1::STEP_BENEFIT; }

std::optional<Outcome> quick_dispatch(Change& c, const Intent& intent) {
  using K = Intent::KindCase;
  switch (intent.kind_case()) {
    case K::kWholeConversation:
      return on_whole_conversation(c);
    case K::kSkipPart:
      return on_skip(c);
    default:
      break;
  }
  if (!is_quick(c.s) || !is_quick_step(c.s.step())) return std::nullopt;
  switch (intent.kind_case()) {
    case K::kWriteText:
      if (auto r = need_partner_active(c)) return r;
      return on_write(c, intent.write_text().text());
    case K::kPassFloor:
      if (auto r = need_partner_active(c)) return r;
      return on_done(c);
    case K::kAnswerHeard:
    case K::kAnswerNotQuite:
      if (auto r = need_partner_active(c)) return r;
      return on_seen_answer(c, intent.kind_case() == K::kAnswerHeard);
    case K::kFinishReflection:
      if (auto r = need_partner_active(c)) return r;
      return refuse(R::REFUSAL_CODE_WRONG_STEP, "There's no reflecting in a quick repair.");
    default:
      return std::nullopt;
  }
}

}  // namespace attune::detail
