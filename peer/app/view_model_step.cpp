// A step's screen in words: guidance, what I'm asked and what I wait for,
// the buttons I may press, and the check-in gate (see view_model.hpp).
#include <algorithm>

#include "app/view_model_internal.hpp"

namespace attune::app {

using v1::Phase;
using v1::Role;
using v1::Step;

namespace {

// Turn-taking steps (7 and 8): has this partner finished their turn?
bool turn_done(const google::protobuf::RepeatedPtrField<v1::Turn>& turns, Role r) {
  return std::any_of(turns.begin(), turns.end(),
                     [r](const v1::Turn& t) { return t.partner() == r && t.done(); });
}

}  // namespace

// Who starts, and how that was decided, in words for this device.
std::string who_starts_line(const State& s, Role me) {
  const auto& wf = s.who_first();
  const Role first = wf.decided();
  if (first == v1::ROLE_UNSPECIFIED || s.rounds_size() > 1) return "";
  const bool mine = first == me;
  const std::string who = mine ? "you" : name_for(s, first);
  if (s.coach_asked()) return name_for(s, v1::ROLE_COACH) + " chose " + who + " to start.";
  if (wf.proposal() == v1::FIRST_CHOICE_DRAW) return "Chance picked " + who + " to start.";
  if (wf.proposal() == v1::FIRST_CHOICE_OFFER)
    return (mine ? std::string("You") : name_for(s, first)) + " offered to go first.";
  return "";
}

namespace {

// Who I am at this step: what each step's words are built from.
struct Seat {
  const State& s;
  Role me;
  Role other;  // The other partner (none for a coach).
  bool partner;
  std::string other_name;
  bool active;  // The step runs (not waiting at its gate).
};

// Steps 1 and 3: each partner confirms; then waits for the other.
void ask_to_confirm(const Seat& at, StepView& v, const std::string& asked, const std::string& waiting) {
  if (!at.partner || !at.active) return;
  if (!done(at.s, at.me)) {
    v.asked_of_me = asked;
    v.actions.confirm = true;
  } else {
    v.waiting_for = waiting;
  }
}

// Step 1: name it together.
void name_it(const Seat& at, StepView& v) {
  v.guidance =
      "Before anything else, name what is happening: this is a feelings conversation, not a practical "
      "one. "
      "Saying it out loud helps you both slow down.";
  v.confirm_label = "Yes, this is a feelings conversation";
  ask_to_confirm(at, v, "Say it together, then confirm here.",
                 "Waiting for " + at.other_name + " to confirm.");
}

// Step 3: the generous reading.
void benefit(const Seat& at, StepView& v) {
  v.guidance = "Try the generous reading: " + at.other_name +
               " was doing their best, even if it missed you. You don't have to agree with what happened.";
  v.confirm_label = "I can offer that";
  ask_to_confirm(at, v, "Confirm when you can hold that, even loosely.",
                 "Waiting for " + at.other_name + ".");
}

// Step 4: decide together who speaks first, by offer, by chance or by the coach.
void who_first(const Seat& at, StepView& v) {
  const State& s = at.s;
  v.guidance =
      "You will both be heard, one at a time. Whoever starts, the other's turn comes right after, in "
      "full.";
  const auto& wf = s.who_first();
  const bool coach_there = has_admitted_coach(s);
  if (at.partner && at.active) {
    if (s.coach_asked()) {
      v.waiting_for = "Waiting for " + name_for(s, v1::ROLE_COACH) + " to choose who starts.";
    } else if (wf.proposal() == v1::FIRST_CHOICE_UNSPECIFIED) {
      v.asked_of_me = "Decide together who speaks first.";
      v.actions.offer_first = v.actions.request_draw = true;
      v.actions.ask_coach = coach_there;
    } else if (wf.proposed_by() == at.me) {
      v.waiting_for = "Waiting for " + at.other_name + " to agree.";
    } else {
      switch (wf.proposal()) {
        case v1::FIRST_CHOICE_OFFER:
          v.proposal = at.other_name + " offered to go first.";
          break;
        case v1::FIRST_CHOICE_DRAW:
          v.proposal = at.other_name + " would like to let chance decide.";
          break;
        case v1::FIRST_CHOICE_ASK_COACH:
          v.proposal = at.other_name + " would like " + name_for(s, v1::ROLE_COACH) + " to choose.";
          break;
        case v1::FIRST_CHOICE_UNSPECIFIED:
        case v1::FirstChoice_INT_MIN_SENTINEL_DO_NOT_USE_:
        case v1::FirstChoice_INT_MAX_SENTINEL_DO_NOT_USE_:
          break;
      }
      v.asked_of_me = "Is that all right with you?";
      v.actions.accept_first = true;
      v.actions.offer_first = wf.proposal() != v1::FIRST_CHOICE_OFFER;
      v.actions.request_draw = wf.proposal() != v1::FIRST_CHOICE_DRAW;
      v.actions.ask_coach = coach_there && wf.proposal() != v1::FIRST_CHOICE_ASK_COACH;
    }
  }
}

// Step 5: the speaker shares; the other listens.
void share(const Seat& at, StepView& v) {
  const State& s = at.s;
  const v1::Round* round = current_round(s);
  const bool clarifying = round && round->clarifications() > 0;
  v.stems = {"I felt ... when ...", "What I needed was ...", "The story I told myself was ...",
             "What matters to me here is ..."};
  v.show_vocabulary = v.check_hints = true;
  v.write_label = "Write it down too (optional)";
  v.pass_label = "I'm done sharing";
  // The round's speaker, not the floor: at the check-in after sharing
  // nobody holds the floor, and the speaker is still the speaker.
  const Role speaker = round ? round->speaker() : s.floor();
  v.decided = who_starts_line(s, at.me);
  if (speaker == at.me) {
    v.guidance =
        clarifying ? "Say a little more about the part that didn't land yet. Stay with your own experience."
                   : "Speak from your own experience: what happened for you, what you felt, what you needed. "
                     "Take your time.";
    if (s.floor() == at.me) {
      v.asked_of_me = "Share out loud. When you've said what matters, pass the floor.";
      v.actions.write = v.actions.pass_floor = at.active;
    } else {
      v.guidance = "You've shared. Take a breath; next, " + at.other_name + " reflects back what they heard.";
    }
    // After a "not quite" the first share stays in view while they add to
    // it: once, in the box they add in, labelled as what they shared before.
    if (clarifying && v.actions.write && round && !round->share_text().empty())
      v.write_label = "What you shared before, to add to (optional)";
    if (round && !round->share_text().empty() && !v.actions.write) {
      v.shared_text_label = clarifying ? "What you shared before" : "What you wrote";
      v.shared_text = round->share_text();
    }
  } else if (at.partner) {
    v.guidance = clarifying
                     ? at.other_name +
                           " said your reflection didn't quite capture it yet, so you're back at Share for "
                           "a moment. Listen for the part that's missing."
                 : s.floor() == speaker
                     ? "Just listen for now. Soon you'll reflect back what you heard. There's nothing to "
                       "fix or answer yet."
                     : at.other_name + " has shared. Take a breath; next, you reflect back what you heard.";
    if (s.floor() == speaker) v.waiting_for = "Listening to " + at.other_name + ".";
    if (round && !round->share_text().empty()) {
      v.shared_text_label = "What " + at.other_name + " wrote";
      v.shared_text = round->share_text();
    }
  }
}

// Steps 7 and 8's guidance for the moment: my turn (or the start), the
// other's turn while I listen, or both turns taken.
std::string turn_guidance(const Seat& at, bool own, bool both_done) {
  if (both_done)
    return own ? "You've both named your part. Take a breath with what you heard."
               : "You've both said it. Take a moment to let it in.";
  if (at.partner && at.s.floor() == at.other)
    return own ? "Listen while " + at.other_name + " names their part. There's nothing to answer or correct."
               : "Listen to what " + at.other_name + " wants you to hear. Let it in; there's nothing to answer.";
  return own ? "Name your part in how this went, for example: \"when I feel cornered, I go quiet.\" "
               "Only your part. You take turns: one of you speaks while the other listens."
             : "Tell " + at.other_name +
                   " what they most need to hear from you, as long as it's true. \"I still care. "
                   "I'm not going anywhere.\"";
}

// Steps 7 and 8: each takes a turn while the other listens.
void take_turns(const Seat& at, StepView& v) {
  const State& s = at.s;
  const bool own = s.step() == v1::STEP_OWN_PATTERN;
  const auto& turns = own ? s.own_turns() : s.reassure_turns();
  v.guidance = turn_guidance(at, own, turn_done(turns, at.me) && turn_done(turns, at.other));
  v.stems = own ? std::vector<std::string>{"When I feel ..., I tend to ...", "My part in this was ...",
                                           "What I'd like to do differently is ..."}
                : std::vector<std::string>{"What I want you to know is ...", "I'm still here, and ...",
                                           "I love that you ..."};
  v.check_hints = own;
  v.check_defences = true;
  v.write_label = "Write it down too (optional)";
  v.pass_label = own ? "That's my part" : "I've said it";
  if (s.floor() == at.me) {
    v.asked_of_me = own ? "Your turn: name your part out loud." : "Your turn: say it out loud.";
    v.actions.write = v.actions.pass_floor = at.active;
  } else if (at.partner) {
    v.waiting_for = "Listening to " + name_for(s, s.floor()) + "." +
                    (turn_done(turns, at.me) ? "" : " Your turn comes next.");
  }
  // What the other wrote, from the moment they pass the turn on (and while
  // they still hold it), not only at the check-in after.
  if (at.partner)
    for (const auto& t : turns)
      if (t.partner() == at.other && !t.text().empty()) {
        v.shared_text_label = "What " + at.other_name + " wrote";
        v.shared_text = t.text();
      }
}

// Step 9: gestures offered and accepted.
void reconnect(const Seat& at, StepView& v) {
  const State& s = at.s;
  v.guidance =
      "Offer a small way back toward each other: a hug, a long look, a walk, some quiet together, a call "
      "later. When you both accept one, you're done.";
  v.gesture_ideas = {"A long hug",        "Sit close for a minute",  "A walk together",
                     "Make tea together", "Quiet time side by side", "A call later tonight"};
  if (at.partner && at.active) {
    v.actions.propose_gesture = true;
    bool any_open_from_other = false, any_open_of_mine = false;
    for (const auto& g : s.gestures()) {
      any_open_from_other |= g.proposed_by() == at.other && !accepted_by(g, at.me);
      any_open_of_mine |= g.proposed_by() == at.me && !accepted_by(g, at.other);
    }
    v.asked_of_me = any_open_from_other ? "Accept a gesture that feels right, or offer another."
                    : any_open_of_mine  ? "Waiting for " + at.other_name + "'s answer. You can offer another too."
                                        : "Offer a gesture, or wait for one from " + at.other_name + ".";
  }
  for (const auto& g : s.gestures()) {
    GestureItem item;
    item.id = g.id();
    item.text = g.text();
    item.mine = g.proposed_by() == at.me;
    item.from = item.mine ? "You" : name_for(s, g.proposed_by());
    item.i_accepted = at.partner && accepted_by(g, at.me);
    item.they_accepted = at.partner ? accepted_by(g, at.other) : false;
    item.status = item.mine ? "Your idea." : "From " + item.from + ".";
    if (item.i_accepted && item.they_accepted)
      item.status += " You both said yes.";
    else if (item.i_accepted)
      item.status += item.mine ? " Waiting for " + at.other_name + "'s answer." : " You said yes.";
    v.gestures.push_back(std::move(item));
  }
}

}  // namespace

std::string agreed_gesture(const State& s) {
  for (const auto& g : s.gestures())
    if (g.accepted_by_a() && g.accepted_by_b()) return g.text();
  return {};
}

namespace {

// At a gate the step's own buttons rest; only the check-in is asked.
void rest_at_gate(const NodeView& snap, StepView& v) {
  const bool pause_allowed = v.actions.call_pause;
  v.actions = StepActions{};
  v.actions.call_pause = pause_allowed;
  const GateView g = gate_view(snap);
  v.actions.check_in = g.i_take_part && !g.i_checked_in;
  v.asked_of_me = v.actions.check_in ? "Check in: how activated are you right now?" : "";
  v.waiting_for = v.actions.check_in ? "" : g.status;
}

}  // namespace

StepView step_view(const NodeView& snap) {
  StepView v;
  const State& s = snap.state;
  const Role me = snap.my_role;
  const Role other = other_partner(me);
  const Seat at{s, me, other, is_partner(me), name_for(s, other), s.phase() == v1::PHASE_ACTIVE};

  v.number = step_number_in(s);
  v.total = step_count(s);
  v.title = title_of(s.step());
  v.floor = floor_view(snap);
  v.actions.call_pause = in_steps(s.phase());

  switch (s.step()) {
    case v1::STEP_NAME_IT:
      name_it(at, v);
      break;
    case v1::STEP_GAUGE:
      v.guidance =
          std::string("Notice your body for a moment: breath, shoulders, jaw, heartbeat. Pick the number that "
                      "fits right now.") +
          (coach_who_sees_my_numbers(snap) ? "" : " It stays on this device.");
      break;
    case v1::STEP_BENEFIT:
      benefit(at, v);
      break;
    case v1::STEP_WHO_FIRST:
      who_first(at, v);
      break;
    case v1::STEP_SHARE:
      share(at, v);
      break;
    case v1::STEP_REFLECT:
      fill_reflect_step(snap, v);
      v.decided = who_starts_line(s, me);
      break;
    case v1::STEP_OWN_PATTERN:
    case v1::STEP_REASSURE:
      take_turns(at, v);
      break;
    case v1::STEP_RECONNECT:
      reconnect(at, v);
      break;
    case v1::STEP_ACKNOWLEDGE:
    case v1::STEP_OWN_PART:
    case v1::STEP_OTHER_PART:
      fill_quick_step(snap, v);
      break;
    case v1::STEP_COMPLETE:
    case v1::STEP_LOBBY:
    case v1::STEP_UNSPECIFIED:
    case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }

  if (s.phase() == v1::PHASE_CHECK_IN) rest_at_gate(snap, v);
  // Either partner may turn a quick repair into the whole conversation.
  v.actions.whole_conversation = at.partner && quick_running(s) && in_steps(s.phase());
  return v;
}

GateView gate_view(const NodeView& snap) {
  GateView g;
  const State& s = snap.state;
  if (s.phase() != v1::PHASE_CHECK_IN) return g;
  g.open = true;
  const Role me = snap.my_role;
  g.i_take_part = is_partner(me);
  const v1::Gate& gate = s.gate();
  if (g.i_take_part) {
    g.i_checked_in = checked_in(gate, me);
    g.other_checked_in = checked_in(gate, other_partner(me));
  }
  if (s.step() == v1::STEP_GAUGE) {
    g.title = "How activated are you right now?";
  } else if (gate.resume()) {
    g.title = "Check in before you pick up again";
  } else {
    g.title = "Check in before \"" + title_of(gate.target_step()) + "\"";
  }
  const v1::Participant* coach = coach_who_sees_my_numbers(snap);
  g.prompt = coach ? "0 is calm and clear, 10 is overwhelmed. Your number goes to " + coach->display_name() +
                         ", as you both chose; " + name_for(s, other_partner(me)) +
                         " only sees that you've checked in."
                   : "0 is calm and clear, 10 is overwhelmed. Only you see your number; the others only see "
                     "that you've checked in.";
  const int in = (gate.checked_in_a() ? 1 : 0) + (gate.checked_in_b() ? 1 : 0);
  if (!g.i_take_part) {
    g.status = in == 0   ? "Waiting for both check-ins."
               : in == 1 ? "One of two checked in."
                         : "Both checked in.";
  } else if (!g.i_checked_in) {
    g.status = g.other_checked_in ? name_for(s, other_partner(me)) + " has checked in."
                                  : "Neither of you has checked in yet.";
  } else {
    g.status = g.other_checked_in ? "Both checked in."
                                  : "Checked in. Waiting for " + name_for(s, other_partner(me)) + ".";
  }
  return g;
}

std::optional<std::string> gate_outcome(v1::Phase before, v1::Step step_before, const State& now) {
  if (before != v1::PHASE_CHECK_IN || now.phase() != v1::PHASE_ACTIVE) return std::nullopt;
  if (now.step() == step_before) return "You're both ready to pick up again.";
  return "You're both ready. On to \"" + title_of(now.step()) + "\".";
}

std::string timeline_span_words(int64_t span_ms, std::size_t check_ins) {
  if (check_ins == 1) return "1 check-in";
  const int64_t minutes = std::max<int64_t>(1, (span_ms + 30'000) / 60'000);
  return "Over " + std::to_string(minutes) + " min, " + std::to_string(check_ins) + " check-ins";
}

std::string level_words(int level) {
  if (level <= 1) return "Calm and clear";
  if (level <= 3) return "A little stirred";
  if (level <= 5) return "Stirred up";
  if (level <= 7) return "Running hot";
  if (level <= 9) return "Very activated";
  return "Overwhelmed";
}

}  // namespace attune::app
