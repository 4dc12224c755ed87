// Deeper listening in step 6, in this order and none skipped: the listener
// mirrors, then asks "Is there more?"; the speaker adds (and is mirrored
// again) until they have nothing to add; the listener validates
// (FinishValidation), then empathises, and FinishReflection hands the floor
// back for "yes, that's it" or "not quite" (steps.cpp).
//
// Writing stays optional in every part; passing through each part is not.
#include <string>

#include "attune/engine/internal.hpp"
#include "attune/text.hpp"

namespace attune::detail {

namespace {

v1::Round& round_of(Change& c) { return *c.s.mutable_rounds(c.s.rounds_size() - 1); }

Outcome need_reflect(const Change& c) {
  if (auto r = need_partner_active(c)) return r;
  if (c.s.step() != v1::STEP_REFLECT || c.s.rounds().empty()) return refuse(R::REFUSAL_CODE_WRONG_STEP);
  return kOk;
}

Outcome on_ask_more(Change& c) {
  if (auto r = need_reflect(c)) return r;
  v1::Round& round = round_of(c);
  if (c.role == round.speaker())
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "Your partner asks this. You'll get to say.");
  if (round.reflected()) return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Your partner is answering you now.");
  switch (round.listening()) {
    case v1::LISTEN_STAGE_UNSPECIFIED:
      break;
    case v1::LISTEN_STAGE_VALIDATE:
    case v1::LISTEN_STAGE_EMPATHISE:
      return refuse(R::REFUSAL_CODE_ALREADY_DONE,
                    "Your partner has said that's all. Now say why it makes sense, and how it might feel.");
    default:
      return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've asked. Your partner is taking their time.");
  }
  round.set_listening(v1::LISTEN_STAGE_MORE);
  refresh_floor(c.s);
  return kOk;
}

Outcome on_answer_more(Change& c, bool more) {
  if (auto r = need_reflect(c)) return r;
  v1::Round& round = round_of(c);
  if (c.role != round.speaker())
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "Your partner is the one who says whether there's more.");
  if (round.listening() != v1::LISTEN_STAGE_MORE)
    return refuse(R::REFUSAL_CODE_NOT_READY, "Your partner hasn't asked yet. Give them a moment.");
  round.set_listening(more ? v1::LISTEN_STAGE_ADDING : v1::LISTEN_STAGE_VALIDATE);
  refresh_floor(c.s);
  return kOk;
}

Outcome on_write_listening(Change& c, const v1::WriteListening& w) {
  if (auto r = need_reflect(c)) return r;
  v1::Round& round = round_of(c);
  if (c.role == round.speaker())
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "Your partner is reflecting now. Your answer comes next.");
  if (round.reflected()) return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Your partner is answering you now.");
  const auto stage = round.listening();
  if (stage != v1::LISTEN_STAGE_VALIDATE && stage != v1::LISTEN_STAGE_EMPATHISE)
    return refuse(R::REFUSAL_CODE_NOT_READY, "First ask whether there's more, and listen to the answer.");
  // Empathy stays as it is (empty, or from before a "not quite") until its turn.
  if (auto r = check_step_text(w.validation())) return r;
  if (auto r = check_step_text(w.empathy())) return r;
  // Kept cleaned, as every text a partner writes (control and bidi
  // characters go; the words and line breaks stay).
  std::string empathy = sanitize_share_text(w.empathy());
  if (stage == v1::LISTEN_STAGE_VALIDATE && empathy != round.empathy_text())
    return refuse(R::REFUSAL_CODE_NOT_READY, "First say why it makes sense to you. How it might feel comes next.");
  round.set_validation_text(sanitize_share_text(w.validation()));
  round.set_empathy_text(std::move(empathy));
  return kOk;
}

Outcome on_finish_validation(Change& c) {
  if (auto r = need_reflect(c)) return r;
  v1::Round& round = round_of(c);
  if (c.role == round.speaker())
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "Your partner is reflecting now. Your answer comes next.");
  if (round.reflected()) return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Your partner is answering you now.");
  switch (round.listening()) {
    case v1::LISTEN_STAGE_VALIDATE:
      round.set_listening(v1::LISTEN_STAGE_EMPATHISE);
      return kOk;
    case v1::LISTEN_STAGE_EMPATHISE:
      return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've said why it makes sense. Now imagine how it might feel.");
    case v1::LISTEN_STAGE_MORE:
    case v1::LISTEN_STAGE_ADDING:
      return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "Your partner is still telling you more. Listen first.");
    default:
      return refuse(R::REFUSAL_CODE_NOT_READY, "First ask whether there's more, and listen to the answer.");
  }
}

// The listener's own floor: the mirror is written before "Is there more?",
// and the reflection is finished only once they have validated and empathised.
std::optional<Outcome> listener_moment(Change& c, const Intent& intent) {
  using K = Intent::KindCase;
  const v1::Round& round = round_of(c);
  if (c.role == round.speaker() || round.reflected() || !is_partner(c.role)) return std::nullopt;
  const auto stage = round.listening();
  if (intent.kind_case() == K::kWriteText && stage != v1::LISTEN_STAGE_UNSPECIFIED) {
    if (auto r = need_partner_active(c)) return r;
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've mirrored it. Use the boxes for this part instead.");
  }
  if (intent.kind_case() != K::kFinishReflection || stage == v1::LISTEN_STAGE_EMPATHISE) return std::nullopt;
  if (auto r = need_partner_active(c)) return r;
  return refuse(R::REFUSAL_CODE_NOT_READY,
                stage == v1::LISTEN_STAGE_VALIDATE
                    ? "First say why it makes sense to you, then imagine how it might feel."
                    : "First ask whether there's more. Your partner may want to add something.");
}

// While the speaker decides or adds, the floor is theirs.
std::optional<Outcome> speaker_moment(Change& c, const Intent& intent) {
  using K = Intent::KindCase;
  v1::Round& round = round_of(c);
  if (intent.kind_case() == K::kFinishReflection) {
    if (auto r = need_partner_active(c)) return r;
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, c.role == round.speaker()
                                                     ? "Take your time. Say whether there's more first."
                                                     : "Your partner is still telling you more. Listen first.");
  }
  if (intent.kind_case() == K::kWriteText && round.listening() == v1::LISTEN_STAGE_MORE &&
      c.role == round.speaker()) {
    // Not yet: the mirror is the listener's, and "more" comes after saying so.
    if (auto r = need_partner_active(c)) return r;
    return refuse(R::REFUSAL_CODE_NOT_READY, "First say whether there's more, then you can add it.");
  }
  if (round.listening() != v1::LISTEN_STAGE_ADDING) return std::nullopt;
  if (intent.kind_case() == K::kWriteText) {
    if (auto r = need_partner_active(c)) return r;
    if (auto r = need_floor(c)) return r;
    if (auto r = check_step_text(intent.write_text().text())) return r;
    round.set_more_text(sanitize_share_text(intent.write_text().text()));
    return kOk;
  }
  if (intent.kind_case() == K::kPassFloor) {
    if (auto r = need_partner_active(c)) return r;
    if (auto r = need_floor(c)) return r;
    round.set_listening(v1::LISTEN_STAGE_UNSPECIFIED);  // Back to the listener to mirror it.
    round.set_more_added(round.more_added() + 1);
    refresh_floor(c.s);
    return kOk;
  }
  return std::nullopt;
}

}  // namespace

v1::Role reflect_floor(const v1::Round& round) {
  const bool speaker_turn = round.reflected() || round.listening() == v1::LISTEN_STAGE_MORE ||
                            round.listening() == v1::LISTEN_STAGE_ADDING;
  return speaker_turn ? round.speaker() : other_partner(round.speaker());
}

std::optional<Outcome> listening_dispatch(Change& c, const Intent& intent) {
  using K = Intent::KindCase;
  switch (intent.kind_case()) {
    case K::kAskMore:
      return on_ask_more(c);
    case K::kAnswerMore:
      return on_answer_more(c, intent.answer_more().more());
    case K::kWriteListening:
      return on_write_listening(c, intent.write_listening());
    case K::kFinishValidation:
      return on_finish_validation(c);
    default:
      break;
  }
  if (c.s.step() != v1::STEP_REFLECT || c.s.rounds().empty()) return std::nullopt;
  const auto stage = c.s.rounds(c.s.rounds_size() - 1).listening();
  if (stage != v1::LISTEN_STAGE_MORE && stage != v1::LISTEN_STAGE_ADDING) return listener_moment(c, intent);
  return speaker_moment(c, intent);
}

}  // namespace attune::detail
