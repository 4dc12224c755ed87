// The quick repair's screens in words: what each partner is asked and what
// they wait for, from the snapshot alone (see view_model.hpp).
#include "app/view_model.hpp"

namespace attune::app {

namespace {

using v1::Role;

void show(StepView& v, const std::string& label, const std::string& text) {
  if (text.empty() || !v.shared_text.empty()) return;
  v.shared_text_label = label;
  v.shared_text = text;
}

void acknowledge(const NodeView& snap, StepView& v, bool repairing, const std::string& repairer,
                 const std::string& other) {
  const State& s = snap.state;
  const v1::QuickRepair& q = s.quick();
  const bool active = s.phase() == v1::PHASE_ACTIVE;
  if (repairing) {
    v.guidance = q.not_quite() > 0 && !q.acknowledged()
                     ? other + " doesn't feel quite seen yet. Ask what you missed, listen, and try again."
                     : "Say what you see happened for " + other +
                           ", like \"I see that I hurt you when...\" Stay with their side, not your reasons.";
    v.stems = {"I see that I hurt you when ...", "I imagine you felt ...", "That must have been ..."};
    v.show_vocabulary = v.check_hints = v.check_defences = true;
    v.write_label = "Write it down too (optional)";
    v.pass_label = "I've said it";
    if (q.acknowledged()) {
      v.waiting_for = "Waiting for " + other + " to say whether they feel seen.";
    } else {
      v.asked_of_me = "Tell " + other + " what you see, out loud. Then let them answer.";
      v.actions.write = v.actions.pass_floor = active;
    }
    return;
  }
  v.guidance = q.acknowledged() ? repairer + " has said what they see. Take a moment: does it match how it was for you?"
                                : repairer + " is reaching out to you. Just listen, and notice whether you feel seen.";
  if (q.acknowledged() && is_partner(snap.my_role)) {
    v.asked_of_me = "Do you feel seen?";
    v.answer_yes_label = "I feel seen";
    v.answer_no_label = "Not quite";
    v.actions.answer = active;
  } else {
    v.waiting_for = "Listening to " + repairer + ".";
  }
  show(v, "What " + repairer + " wrote", q.acknowledgment_text());
}

void own_part(const NodeView& snap, StepView& v, bool repairing, const std::string& repairer,
              const std::string& other) {
  const State& s = snap.state;
  const bool active = s.phase() == v1::PHASE_ACTIVE;
  v.stems = {"My part in this was ...", "I did ..., and I'm sorry.", "Next time I'd like to ..."};
  v.write_label = "Write it down too (optional)";
  v.pass_label = "That's my part";
  if (repairing) {
    v.guidance = "Name your part in what happened, plainly. " + other + " doesn't need to own theirs first.";
    v.asked_of_me = "Your turn: name your part out loud.";
    v.check_hints = v.check_defences = true;
    v.actions.write = v.actions.pass_floor = active;
    return;
  }
  v.guidance = repairer + " is naming their part. Just listen.";
  v.waiting_for = "Listening to " + repairer + ".";
  show(v, "What " + repairer + " wrote", s.quick().own_text());
}

void other_part(const NodeView& snap, StepView& v, bool repairing, const std::string& repairer,
                const std::string& other) {
  const State& s = snap.state;
  const bool active = s.phase() == v1::PHASE_ACTIVE;
  if (repairing) {
    v.guidance = "Give " + other + " some room. Whatever they choose is fine.";
    v.waiting_for = other + " may name their side too, or let it be.";
    show(v, "What you wrote", s.quick().own_text());
    return;
  }
  v.guidance = "If you'd like, name your own part too. It's an offer, never a must.";
  show(v, "What " + repairer + " wrote", s.quick().own_text());
  if (!is_partner(snap.my_role)) return;
  v.stems = {"My part in this was ...", "When I ..., I tend to ..."};
  v.write_label = "Write it down too (optional)";
  v.pass_label = "That's my part";
  v.skip_label = "Not this time";
  v.check_hints = v.check_defences = true;
  v.asked_of_me = "Would you like to name your part? You can also let it be.";
  v.actions.write = v.actions.pass_floor = v.actions.skip_part = active;
}

}  // namespace

bool quick_running(const State& s) {
  return s.settings().kind() == v1::REPAIR_KIND_QUICK && !s.quick().escalated();
}

int step_count(const State& s) { return quick_running(s) ? 5 : 9; }

int step_number_in(const State& s) {
  if (!quick_running(s)) return step_number(s.step());
  switch (s.step()) {
    case v1::STEP_NAME_IT:
    case v1::STEP_GAUGE:
      return 1;
    case v1::STEP_ACKNOWLEDGE:
      return 2;
    case v1::STEP_OWN_PART:
      return 3;
    case v1::STEP_OTHER_PART:
      return 4;
    case v1::STEP_RECONNECT:
    case v1::STEP_COMPLETE:
      return 5;
    default:
      return 0;
  }
}

RepairKindRecord kind_record(const State& s) {
  if (s.settings().kind() != v1::REPAIR_KIND_QUICK) return RepairKindRecord::Full;
  return s.quick().escalated() ? RepairKindRecord::QuickThenFull : RepairKindRecord::Quick;
}

std::string kind_words(RepairKindRecord kind) {
  switch (kind) {
    case RepairKindRecord::Quick:
      return "Quick repair";
    case RepairKindRecord::QuickThenFull:
      return "Quick, then the whole conversation";
    case RepairKindRecord::Full:
      break;
  }
  return "Whole conversation";
}

int steps_total(RepairKindRecord kind) { return kind == RepairKindRecord::Quick ? 5 : 9; }

std::string kind_line(const State& s, Role me) {
  if (s.settings().kind() != v1::REPAIR_KIND_QUICK)
    return "Nine steps, about half an hour, so you can both be fully heard.";
  const Role repairer = s.settings().repairer();
  const std::string who = repairer == me ? "You're" : name_for(s, repairer) + " is";
  return "A few minutes, for a small moment. " + who + " reaching out.";
}

void fill_quick_step(const NodeView& snap, StepView& v) {
  const State& s = snap.state;
  const Role repairer_role = s.settings().repairer();
  const bool repairing = snap.my_role == repairer_role;
  const std::string repairer = repairing ? "You" : name_for(s, repairer_role);
  const std::string other = name_for(s, other_partner(repairer_role));
  switch (s.step()) {
    case v1::STEP_ACKNOWLEDGE:
      acknowledge(snap, v, repairing, repairer, other);
      break;
    case v1::STEP_OWN_PART:
      own_part(snap, v, repairing, repairer, other);
      break;
    case v1::STEP_OTHER_PART:
      other_part(snap, v, repairing, repairer, other);
      break;
    default:
      break;
  }
}

void quick_coach_text(const State& s, std::string& label, std::string& text) {
  if (!quick_running(s)) return;
  const v1::QuickRepair& q = s.quick();
  const std::string repairer = name_for(s, s.settings().repairer());
  const std::string other = name_for(s, other_partner(s.settings().repairer()));
  const auto set = [&](const std::string& who, const std::string& words) {
    if (words.empty()) return;
    label = "Written by " + who;
    text = words;
  };
  if (s.step() == v1::STEP_ACKNOWLEDGE) set(repairer, q.acknowledgment_text());
  if (s.step() == v1::STEP_OWN_PART) set(repairer, q.own_text());
  if (s.step() == v1::STEP_OTHER_PART) set(other, q.other_text());
}

std::string quick_banner(const State& s, bool mine, const std::string& holder, const std::string& other) {
  if (s.step() != v1::STEP_ACKNOWLEDGE) return "";
  if (!s.quick().acknowledged())
    return mine ? "You're reaching out. " + other + " is listening." : holder + " is reaching out to you.";
  return mine ? "Your turn to say whether you feel seen." : holder + " is telling you whether they feel seen.";
}

}  // namespace attune::app
