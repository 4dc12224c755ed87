// Step 6 in words: the mirror, "Is there more?", validation, then empathy,
// then the speaker's answer (see view_model.hpp). Which part is on comes
// from the engine's Round.listening, so every device shows the same one.
#include "app/view_model.hpp"

#include <algorithm>

namespace attune::app {

namespace {

// What the speaker has said in writing so far: the share and what they added.
std::string said_in_writing(const v1::Round& r) {
  if (r.more_text().empty()) return r.share_text();
  if (r.share_text().empty()) return r.more_text();
  return r.share_text() + "\n\n" + r.more_text();
}

// The listener's whole reflection in writing, for the speaker to read.
std::string reflection_in_writing(const v1::Round& r) {
  std::string out;
  for (const std::string* part : {&r.reflection_text(), &r.validation_text(), &r.empathy_text()}) {
    if (part->empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += *part;
  }
  return out;
}

void show(StepView& v, const std::string& label, const std::string& text) {
  if (text.empty()) return;
  v.shared_text_label = label;
  v.shared_text = text;
}

void speaker_side(const v1::Round& r, bool active, const std::string& other, StepView& v) {
  if (r.reflected()) {
    // The mirror, the "makes sense" and the "how it felt" are all done.
    v.guidance = other + " has mirrored what you said, said why it makes sense, and imagined how it felt. "
                 "Say honestly whether that captured it. \"Not quite\" is fine: you can add what's missing.";
    v.asked_of_me = "Did that capture it?";
    v.actions.answer = active;
    show(v, "What " + other + " wrote", reflection_in_writing(r));
  } else if (r.listening() == v1::LISTEN_STAGE_MORE) {
    v.guidance = other + " asked whether there's more. Take a moment. There's no rush.";
    v.asked_of_me = "Is there more you'd like " + other + " to hear?";
    v.actions.answer_more = active;
  } else if (r.listening() == v1::LISTEN_STAGE_ADDING) {
    v.guidance = "Say what's still missing. " + other + " will mirror it back.";
    v.asked_of_me = "Add what's missing, out loud. Then hand it back.";
    v.stems = {"What I haven't said yet is ...", "It also felt ...", "What mattered most was ..."};
    v.show_vocabulary = v.check_hints = true;
    v.write_label = "Write it down too (optional)";
    v.pass_label = "That's what I wanted to add";
    v.actions.write = v.actions.pass_floor = active;
  } else if (r.listening() == v1::LISTEN_STAGE_VALIDATE) {
    // The floor banner says what the listener is doing; these say what I
    // can do meanwhile, and what comes next.
    v.guidance = "You've said all you wanted to. Take it in: they can understand you without agreeing.";
    v.waiting_for = other + " has the floor. Next, they'll imagine how it felt for you.";
  } else if (r.listening() == v1::LISTEN_STAGE_EMPATHISE) {
    v.guidance = "Notice whether it fits how it was for you. It's a guess, so it needn't be exact.";
    v.waiting_for = other + " has the floor. When they're done, you'll say whether it landed.";
  } else {
    v.guidance = "Notice whether it feels understood. You'll have a chance to add to it.";
    v.waiting_for = other + " has the floor. Next, they'll ask whether there's more.";
  }
  if (v.shared_text.empty()) show(v, "What you wrote", said_in_writing(r));
}

void listener_side(const v1::Round& r, bool active, const std::string& other, bool heard_already, StepView& v) {
  show(v, "What " + other + " wrote", said_in_writing(r));
  if (r.reflected()) {
    v.guidance = (heard_already ? "You've been heard already; now it's " + other + "'s turn. "
                                : std::string("Your side comes later. ")) +
                 "For now, let " + other + " say whether it landed.";
    v.waiting_for = "Waiting for " + other + " to say whether it landed.";
    return;
  }
  switch (r.listening()) {
    case v1::LISTEN_STAGE_MORE:
      v.guidance = "You asked whether there's more. Give " + other + " all the time they need.";
      v.waiting_for = other + " is deciding whether there's more.";
      return;
    case v1::LISTEN_STAGE_ADDING:
      v.guidance = "Just listen. You'll mirror this part back too.";
      v.waiting_for = "Listening to " + other + ".";
      return;
    case v1::LISTEN_STAGE_VALIDATE:
      v.guidance = "Now say why it makes sense to you. You can understand without agreeing.";
      v.asked_of_me = "Say why it makes sense, out loud. Writing it is optional.";
      v.validation_prompt = "It makes sense to me that you ... because ...";
      v.check_defences = true;
      v.actions.write_listening = v.actions.finish_validation = active;
      return;
    case v1::LISTEN_STAGE_EMPATHISE:
      v.guidance = "Now imagine how it felt for " + other + ", and say it. A guess is fine; they'll tell you.";
      v.asked_of_me = "Say how it might have felt, out loud. Writing it is optional.";
      v.empathy_prompt = "I imagine you might feel ...";
      v.check_defences = true;
      v.actions.write_listening = v.actions.finish_reflection = active;
      return;
    default:
      break;
  }
  v.guidance = r.more_added() > 0 ? "Mirror back what " + other + " just added, in your own words."
                                  : "Mirror back what you heard, in your own words. No fixing, no answering.";
  v.guidance += heard_already ? " You've been heard already; now it's " + other + "'s turn."
                              : std::string(" Your side comes later.");
  v.asked_of_me = "Mirror it out loud, then ask: is there more?";
  v.stems = {"What I heard is ...", "You felt ... when ...", "Did I get that right?"};
  v.show_vocabulary = v.check_defences = true;
  v.write_label = "Write your reflection too (optional)";
  v.actions.write = v.actions.ask_more = active;
}

}  // namespace

std::string listening_banner(const v1::Round& r, bool mine, const std::string& holder, const std::string& other) {
  if (r.reflected())
    return mine ? "Your turn to say whether it landed. " + other + " is listening."
                : holder + " is telling you whether it landed. You're listening.";
  switch (r.listening()) {
    case v1::LISTEN_STAGE_MORE:
      return mine ? "Your turn: is there more? " + other + " is listening."
                  : holder + " is deciding whether there's more. You're listening.";
    case v1::LISTEN_STAGE_ADDING:
      return mine ? "You're adding what was missing. " + other + " is listening."
                  : holder + " is adding more. You're listening.";
    case v1::LISTEN_STAGE_VALIDATE:
      return mine ? "Your turn to say why it makes sense. " + other + " is listening."
                  : holder + " is saying why it makes sense. You're listening.";
    case v1::LISTEN_STAGE_EMPATHISE:
      return mine ? "Your turn to imagine how it felt. " + other + " is listening."
                  : holder + " is imagining how it felt for you. You're listening.";
    default:
      break;
  }
  return mine ? "Your turn to reflect. " + other + " is listening."
              : holder + " is reflecting what they heard. You're listening.";
}

void fill_reflect_step(const NodeView& snap, StepView& v) {
  const State& s = snap.state;
  if (s.rounds().empty()) return;
  const v1::Round& r = s.rounds(s.rounds_size() - 1);
  const bool active = s.phase() == v1::PHASE_ACTIVE;
  const v1::Role me = snap.my_role;
  if (me == r.speaker()) {
    speaker_side(r, active, name_for(s, other_partner(r.speaker())), v);
  } else if (is_partner(me)) {
    // In the second round the listener has had their turn to speak already.
    const bool heard_already = std::any_of(s.rounds().begin(), s.rounds().end() - 1,
                                           [me](const v1::Round& earlier) { return earlier.speaker() == me; });
    listener_side(r, active, name_for(s, r.speaker()), heard_already, v);
  }
}

}  // namespace attune::app
