#include "app/view_model.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace attune::app {

namespace {

using v1::Phase;
using v1::Role;
using v1::Step;

bool in_steps(Phase phase) { return phase == v1::PHASE_ACTIVE || phase == v1::PHASE_CHECK_IN; }

std::string role_words(Role r) {
  switch (r) {
    case v1::ROLE_PARTNER_A:
      return "Partner A";
    case v1::ROLE_PARTNER_B:
      return "Partner B";
    case v1::ROLE_COACH:
      return "Coach";
    case v1::ROLE_UNSPECIFIED:
    case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "Guest";
}

std::string title_of(Step step) {
  switch (step) {
    case v1::STEP_NAME_IT:
      return "Name it";
    case v1::STEP_GAUGE:
      return "Check in with yourself";
    case v1::STEP_BENEFIT:
      return "Benefit of the doubt";
    case v1::STEP_WHO_FIRST:
      return "Who goes first";
    case v1::STEP_SHARE:
      return "Share";
    case v1::STEP_REFLECT:
      return "Reflect";
    case v1::STEP_OWN_PATTERN:
      return "Own your part";
    case v1::STEP_REASSURE:
      return "Reassure";
    case v1::STEP_RECONNECT:
      return "Reconnect";
    case v1::STEP_COMPLETE:
      return "Together again";
    case v1::STEP_LOBBY:
      return "Getting ready";
    case v1::STEP_ACKNOWLEDGE:
      return "Acknowledge";
    case v1::STEP_OWN_PART:
      return "Own your part";
    case v1::STEP_OTHER_PART:
      return "Room for both sides";
    case v1::STEP_UNSPECIFIED:
    case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "";
}

// Turn-taking steps (7 and 8): has this partner finished their turn?
bool turn_done(const google::protobuf::RepeatedPtrField<v1::Turn>& turns, Role r) {
  return std::any_of(turns.begin(), turns.end(),
                     [r](const v1::Turn& t) { return t.partner() == r && t.done(); });
}

Role current_speaker(const State& s) {
  if (s.step() == v1::STEP_REFLECT) {
    const v1::Round* r = current_round(s);
    return r ? r->speaker() : v1::ROLE_UNSPECIFIED;
  }
  return s.floor();
}

}  // namespace

std::string name_for(const State& state, Role role) {
  const v1::Participant* p = find_role(state, role);
  if (p && !p->display_name().empty()) return p->display_name();
  if (role == v1::ROLE_COACH) return "the coach";
  return "your partner";
}

int step_number(Step step) {
  switch (step) {
    case v1::STEP_NAME_IT:
      return 1;
    case v1::STEP_GAUGE:
      return 2;
    case v1::STEP_BENEFIT:
      return 3;
    case v1::STEP_WHO_FIRST:
      return 4;
    case v1::STEP_SHARE:
      return 5;
    case v1::STEP_REFLECT:
      return 6;
    case v1::STEP_OWN_PATTERN:
      return 7;
    case v1::STEP_REASSURE:
      return 8;
    case v1::STEP_RECONNECT:
    case v1::STEP_COMPLETE:
      return 9;
    case v1::STEP_ACKNOWLEDGE:  // Quick repair: see step_number_in().
    case v1::STEP_OWN_PART:
    case v1::STEP_OTHER_PART:
    case v1::STEP_LOBBY:
    case v1::STEP_UNSPECIFIED:
    case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return 0;
}

std::string format_clock(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  char buf[32];
  const int64_t h = seconds / 3600, m = (seconds / 60) % 60, s = seconds % 60;
  if (h > 0)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(h), static_cast<long long>(m),
                  static_cast<long long>(s));
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(m), static_cast<long long>(s));
  return buf;
}

std::string format_duration(int64_t ms) {
  if (ms < 60'000) return "under a minute";
  const int64_t minutes = (ms + 30'000) / 60'000;
  if (minutes < 60) return std::to_string(minutes) + " min";
  const int64_t h = minutes / 60, m = minutes % 60;
  return std::to_string(h) + " h" + (m ? " " + std::to_string(m) + " min" : "");
}

std::string format_local_time(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M", &tm);
  return buf;
}

Screen screen_for(const Snapshot& snap) {
  const State& s = snap.state;
  if (s.session_id().empty()) return snap.link == LinkState::Connecting ? Screen::Waiting : Screen::Start;
  if (s.phase() == v1::PHASE_COMPLETE || s.phase() == v1::PHASE_ENDED) return Screen::Summary;
  const v1::Participant* me = find_participant(s, snap.my_id);
  if (!me || !me->admitted()) return Screen::Waiting;
  const bool coach = snap.my_role == v1::ROLE_COACH;
  switch (s.phase()) {
    case v1::PHASE_LOBBY:
      return Screen::Lobby;
    case v1::PHASE_ACTIVE:
    case v1::PHASE_CHECK_IN:
      return coach ? Screen::Coach : Screen::Step;
    case v1::PHASE_PAUSED:
      return coach ? Screen::Coach : Screen::Pause;
    case v1::PHASE_LONG_BREAK:
      return coach ? Screen::Coach : Screen::LongBreak;
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
      return Screen::Summary;
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return Screen::Start;
}

namespace {

// After a completed or stopped session, someone leaving is quiet news, not
// an alarm: the summary stays, and there is nothing to wait for.
std::optional<ConnectionView> after_the_end(const Snapshot& snap) {
  const State& s = snap.state;
  if (s.phase() != v1::PHASE_COMPLETE && s.phase() != v1::PHASE_ENDED) return std::nullopt;
  ConnectionView v;
  if (snap.link == LinkState::Hosting || snap.link == LinkState::Connected) {
    std::string away;
    for (const auto& p : s.participants())
      if (p.id() != snap.my_id && p.admitted() && !p.connected()) away = p.display_name();
    if (away.empty()) return std::nullopt;
    v.text = away + " has left";
    return v;
  }
  std::string host = "The host";
  for (const auto& p : s.participants())
    if (p.host() && p.id() != snap.my_id) host = p.display_name();
  v.text = host + " closed the session";
  return v;
}

}  // namespace

ConnectionView connection_view(const Snapshot& snap) {
  if (auto calm = after_the_end(snap)) return *calm;
  ConnectionView v;
  const State& s = snap.state;
  switch (snap.link) {
    case LinkState::Hosting:
      v.text = "Hosting";
      break;
    case LinkState::Connecting:
      v.tone = ConnectionView::Tone::Notice;
      v.text = "Connecting...";  // The waiting screen says the rest.
      break;
    case LinkState::Connected:
      v.text = "Connected";
      break;
    case LinkState::Reconnecting:
      v.tone = ConnectionView::Tone::Alert;
      v.text = "Reconnecting...";
      v.detail =
          "The connection dropped. Attune keeps trying, and the session waits for you. Nothing is lost.";
      break;
    case LinkState::Offline:
      v.text = s.session_id().empty() ? "Not in a session" : "Offline";
      if (!s.session_id().empty()) v.tone = ConnectionView::Tone::Alert;
      break;
  }
  if (snap.link == LinkState::Hosting || snap.link == LinkState::Connected) {
    std::vector<std::string> away;
    for (const auto& p : s.participants())
      if (p.id() != snap.my_id && p.admitted() && !p.connected()) away.push_back(p.display_name());
    if (!away.empty()) {
      v.tone = ConnectionView::Tone::Notice;
      std::string who = away.front();
      if (away.size() > 1) who += " and " + std::to_string(away.size() - 1) + " more";
      v.text = who + " offline";
      const bool paused = s.phase() == v1::PHASE_PAUSED && s.pause().reason() == v1::PAUSE_REASON_CONNECTION;
      v.paused_by_it = paused;
      v.detail = paused ? who + " lost the connection, so the session is paused until they're back."
                        : who + " lost the connection.";
    }
  }
  if (v.detail.empty() && !snap.link_detail.empty()) v.detail = snap.link_detail;
  return v;
}

FloorView floor_view(const Snapshot& snap) {
  FloorView f;
  const State& s = snap.state;
  const Role speaker = current_speaker(s);
  const bool floor_step = s.step() == v1::STEP_SHARE || s.step() == v1::STEP_REFLECT ||
                          s.step() == v1::STEP_OWN_PATTERN || s.step() == v1::STEP_REASSURE ||
                          s.step() == v1::STEP_ACKNOWLEDGE || s.step() == v1::STEP_OWN_PART ||
                          s.step() == v1::STEP_OTHER_PART;
  if (!floor_step || speaker == v1::ROLE_UNSPECIFIED || s.phase() != v1::PHASE_ACTIVE) return f;

  // In Reflect the listener holds the floor to mirror; the speaker listens to it.
  const Role holder = s.floor();
  f.speaker_name = name_for(s, holder);
  f.listener_name = name_for(s, other_partner(holder));
  if (snap.my_role == v1::ROLE_COACH) {
    f.mine = FloorRole::Watching;
    f.banner = f.speaker_name + " has the floor. " + f.listener_name + " is listening.";
    return f;
  }
  const bool mine = holder == snap.my_role;
  f.mine = mine ? FloorRole::Speaking : FloorRole::Listening;
  switch (s.step()) {
    case v1::STEP_REFLECT:
      // The listener holds the floor to reflect; the speaker holds it to say
      // whether there's more, to add it, and to say whether it landed.
      f.banner = listening_banner(*current_round(s), mine, f.speaker_name, f.listener_name);
      break;
    case v1::STEP_ACKNOWLEDGE:
      f.banner = quick_banner(s, mine, f.speaker_name, f.listener_name);
      break;
    case v1::STEP_SHARE:
    case v1::STEP_OWN_PATTERN:
    case v1::STEP_REASSURE:
    default:
      f.banner = mine ? "You have the floor. " + f.listener_name + " is listening."
                      : f.speaker_name + " has the floor. You're listening.";
      break;
  }
  return f;
}

namespace {

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

}  // namespace

StepView step_view(const Snapshot& snap) {
  StepView v;
  const State& s = snap.state;
  const Role me = snap.my_role;
  const Role other = other_partner(me);
  const bool partner = is_partner(me);
  const std::string other_name = name_for(s, other);
  const bool active = s.phase() == v1::PHASE_ACTIVE;

  v.number = step_number_in(s);
  v.total = step_count(s);
  v.title = title_of(s.step());
  v.floor = floor_view(snap);
  v.actions.call_pause = in_steps(s.phase());

  switch (s.step()) {
    case v1::STEP_NAME_IT:
      v.guidance =
          "Before anything else, name what is happening: this is a feelings conversation, not a practical "
          "one. "
          "Saying it out loud helps you both slow down.";
      v.confirm_label = "Yes, this is a feelings conversation";
      if (partner && active) {
        if (!done(s, me)) {
          v.asked_of_me = "Say it together, then confirm here.";
          v.actions.confirm = true;
        } else {
          v.waiting_for = "Waiting for " + other_name + " to confirm.";
        }
      }
      break;
    case v1::STEP_GAUGE:
      v.guidance =
          "Notice your body for a moment: breath, shoulders, jaw, heartbeat. Pick the number that fits right "
          "now. It stays on this device.";
      break;
    case v1::STEP_BENEFIT:
      v.guidance =
          "Try the generous reading: " + other_name +
          " was doing their best, even if it missed you. You don't have to agree with what happened.";
      v.confirm_label = "I can offer that";
      if (partner && active) {
        if (!done(s, me)) {
          v.asked_of_me = "Confirm when you can hold that, even loosely.";
          v.actions.confirm = true;
        } else {
          v.waiting_for = "Waiting for " + other_name + ".";
        }
      }
      break;
    case v1::STEP_WHO_FIRST: {
      v.guidance =
          "You will both be heard, one at a time. Whoever starts, the other's turn comes right after, in "
          "full.";
      const auto& wf = s.who_first();
      const bool coach_there = has_admitted_coach(s);
      if (partner && active) {
        if (s.coach_asked()) {
          v.waiting_for = "Waiting for " + name_for(s, v1::ROLE_COACH) + " to choose who starts.";
        } else if (wf.proposal() == v1::FIRST_CHOICE_UNSPECIFIED) {
          v.asked_of_me = "Decide together who speaks first.";
          v.actions.offer_first = v.actions.request_draw = true;
          v.actions.ask_coach = coach_there;
        } else if (wf.proposed_by() == me) {
          v.waiting_for = "Waiting for " + other_name + " to agree.";
        } else {
          switch (wf.proposal()) {
            case v1::FIRST_CHOICE_OFFER:
              v.proposal = other_name + " offered to go first.";
              break;
            case v1::FIRST_CHOICE_DRAW:
              v.proposal = other_name + " would like to let chance decide.";
              break;
            case v1::FIRST_CHOICE_ASK_COACH:
              v.proposal = other_name + " would like " + name_for(s, v1::ROLE_COACH) + " to choose.";
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
      break;
    }
    case v1::STEP_SHARE: {
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
      v.decided = who_starts_line(s, me);
      if (speaker == me) {
        v.guidance =
            clarifying
                ? "Say a little more about the part that didn't land yet. Stay with your own experience."
                : "Speak from your own experience: what happened for you, what you felt, what you needed. "
                  "Take your time.";
        if (s.floor() == me) {
          v.asked_of_me = "Share out loud. When you've said what matters, pass the floor.";
          v.actions.write = v.actions.pass_floor = active;
        } else {
          v.guidance = "You've shared. Take a breath; next, " + other_name + " reflects back what they heard.";
        }
        if (round && !round->share_text().empty() && !v.actions.write) {
          v.shared_text_label = "What you wrote";
          v.shared_text = round->share_text();
        }
      } else if (partner) {
        v.guidance =
            clarifying ? other_name +
                             " said your reflection didn't quite capture it yet, so you're back at Share for "
                             "a moment. Listen for the part that's missing."
                       : "Just listen for now. Soon you'll reflect back what you heard. There's nothing to "
                         "fix or answer yet.";
        if (s.floor() == speaker) v.waiting_for = "Listening to " + other_name + ".";
        if (round && !round->share_text().empty()) {
          v.shared_text_label = "What " + other_name + " wrote";
          v.shared_text = round->share_text();
        }
      }
      break;
    }
    case v1::STEP_REFLECT:
      fill_reflect_step(snap, v);
      v.decided = who_starts_line(s, me);
      break;
    case v1::STEP_OWN_PATTERN:
    case v1::STEP_REASSURE: {
      const bool own = s.step() == v1::STEP_OWN_PATTERN;
      const auto& turns = own ? s.own_turns() : s.reassure_turns();
      v.guidance =
          own ? "Name your part in how this went, for example: \"when I feel cornered, I go quiet.\" "
                "Only your part. You take turns: one of you speaks while the other listens."
              : "Tell " + other_name +
                    " what they most need to hear from you, as long as it's true. \"I still care. "
                    "I'm not going anywhere.\"";
      v.stems = own ? std::vector<std::string>{"When I feel ..., I tend to ...", "My part in this was ...",
                                               "What I'd like to do differently is ..."}
                    : std::vector<std::string>{"What I want you to know is ...", "I'm still here, and ...",
                                               "I love that you ..."};
      v.check_hints = own;
      v.check_defences = true;
      v.write_label = "Write it down too (optional)";
      v.pass_label = own ? "That's my part" : "I've said it";
      if (s.floor() == me) {
        v.asked_of_me = own ? "Your turn: name your part out loud." : "Your turn: say it out loud.";
        v.actions.write = v.actions.pass_floor = active;
      } else if (partner) {
        v.waiting_for = "Listening to " + name_for(s, s.floor()) + "." +
                        (turn_done(turns, me) ? "" : " Your turn comes next.");
        for (const auto& t : turns)
          if (t.partner() == other && !t.text().empty()) {
            v.shared_text_label = "What " + other_name + " wrote";
            v.shared_text = t.text();
          }
      }
      break;
    }
    case v1::STEP_RECONNECT: {
      v.guidance =
          "Offer a small way back toward each other: a hug, a long look, a walk, some quiet together, a call "
          "later. When you both accept one, you're done.";
      v.gesture_ideas = {"A long hug",        "Sit close for a minute",  "A walk together",
                         "Make tea together", "Quiet time side by side", "A call later tonight"};
      if (partner && active) {
        v.actions.propose_gesture = true;
        bool any_open_from_other = false;
        for (const auto& g : s.gestures())
          if (g.proposed_by() == other && !accepted_by(g, me)) any_open_from_other = true;
        v.asked_of_me = any_open_from_other ? "Accept a gesture that feels right, or offer another."
                                            : "Offer a gesture, or wait for one from " + other_name + ".";
      }
      for (const auto& g : s.gestures()) {
        GestureItem item;
        item.id = g.id();
        item.text = g.text();
        item.mine = g.proposed_by() == me;
        item.from = item.mine ? "You" : name_for(s, g.proposed_by());
        item.i_accepted = partner && accepted_by(g, me);
        item.they_accepted = partner ? accepted_by(g, other) : false;
        v.gestures.push_back(std::move(item));
      }
      break;
    }
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

  if (s.phase() == v1::PHASE_CHECK_IN) {
    // At a gate the step's own buttons rest; only the check-in is asked.
    const bool pause_allowed = v.actions.call_pause;
    v.actions = StepActions{};
    v.actions.call_pause = pause_allowed;
    const GateView g = gate_view(snap);
    v.actions.check_in = g.i_take_part && !g.i_checked_in;
    v.asked_of_me = v.actions.check_in ? "Check in: how activated are you right now?" : "";
    v.waiting_for = v.actions.check_in ? "" : g.status;
  }
  // Either partner may turn a quick repair into the whole conversation.
  v.actions.whole_conversation = partner && quick_running(s) && in_steps(s.phase());
  return v;
}

GateView gate_view(const Snapshot& snap) {
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
  g.prompt =
      "0 is calm and clear, 10 is overwhelmed. Only you see your number; the others only see that you've "
      "checked in.";
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

std::string level_words(int level) {
  if (level <= 1) return "Calm and clear";
  if (level <= 3) return "A little stirred";
  if (level <= 5) return "Stirred up";
  if (level <= 7) return "Running hot";
  if (level <= 9) return "Very activated";
  return "Overwhelmed";
}

PauseView pause_view(const Snapshot& snap, int64_t now_ms) {
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

LongBreakView long_break_view(const Snapshot& snap, int64_t now_ms) {
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
  v.can_return = is_partner(snap.my_role);
  return v;
}

namespace {

std::vector<ParticipantRow> people_rows(const Snapshot& snap, bool lobby) {
  const State& s = snap.state;
  const Role me = snap.my_role;
  std::vector<ParticipantRow> rows;
  for (const auto& p : s.participants()) {
    ParticipantRow r;
    r.id = p.id();
    r.name = p.display_name();
    r.role = role_words(p.role());
    r.me = p.id() == snap.my_id;
    r.connected = p.connected();
    r.admitted = p.admitted();
    r.ready = p.ready();
    if (!p.admitted()) {
      const bool i_accepted = is_partner(me) && accepted_by(p, me);
      r.can_accept = is_partner(me) && !i_accepted && !r.me;
      r.can_decline = r.can_accept || (is_partner(me) && !r.me);
      r.status = r.me         ? "Waiting to be let in"
                 : i_accepted ? "Waiting for " + name_for(s, other_partner(me)) + " to let them in"
                              : "Would like to join";
    } else if (!p.connected()) {
      r.status = "Offline";
    } else if (lobby && is_partner(p.role())) {
      r.status = p.ready() ? "Ready" : "Getting ready";
    } else {
      r.status = "Here";
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace

LobbyView lobby_view(const Snapshot& snap) {
  LobbyView v;
  const State& s = snap.state;
  const Role me = snap.my_role;
  const Role other = other_partner(me);
  const bool partner = is_partner(me);
  const v1::Participant* mine = find_participant(s, snap.my_id);
  const v1::Participant* other_p = find_role(s, other);

  v.title = s.session_name().empty() ? "Getting ready" : s.session_name();
  v.other_name = other_p ? other_p->display_name() : "Your partner";
  v.intro = partner
                ? "Take a breath. Check who is here, agree the settings, and start when you both feel ready."
                : "You're here as a coach. The partners agree the settings and start when they're ready.";
  v.people = people_rows(snap, true);
  v.has_coach = std::any_of(s.participants().begin(), s.participants().end(),
                            [](const v1::Participant& p) { return p.role() == v1::ROLE_COACH; });
  v.can_edit_settings = partner;
  v.i_am_ready = mine && mine->ready();
  v.can_toggle_ready = partner;
  v.can_share_with_coach = partner;
  v.sharing_with_coach = mine && mine->shares_with_coach();
  v.can_close = mine && mine->host();
  v.can_leave = mine && !mine->host();
  v.kind_line = kind_line(s, me);

  if (partner) {
    v.who_sees_what.push_back(
        v.sharing_with_coach ? "Your check-in numbers are shown to the coach, and to no one else, once you "
                               "both share them. Then the coach can tell whose number asked for a pause. "
                               "You can stop at any time."
                             : "Your check-in numbers stay on this device. Others only see that you've "
                               "checked in.");
    const std::string other_name = other_p ? other_p->display_name() : "Your partner";
    v.who_sees_what.push_back(
        other_name + " sees the steps, whether you've checked in, and anything you choose to write.");
    for (const auto& p : s.participants()) {
      if (p.role() != v1::ROLE_COACH) continue;
      std::string line =
          p.display_name() +
          " (coach) sees the steps, who has the floor, whether you've both checked in, and what "
          "you write";
      line += p.admitted() ? "." : ", once you both let them in.";
      v.who_sees_what.push_back(line);
    }
    v.who_sees_what.push_back(
        "If the check-ins say someone needs a pause, no one is named, and no screen shows whose number it "
        "was.");
    v.who_sees_what.push_back("Nothing is uploaded. Each device keeps its own history.");
  } else {
    v.who_sees_what = {
        "You'll see the steps, who has the floor, and whether each partner has checked in.",
        "You'll see the partners' numbers only if both choose to share them with you, so a pause never "
        "points to one of them.",
        "You can pause at any time, but you never speak for a partner.",
    };
  }

  const bool pending = std::any_of(s.participants().begin(), s.participants().end(),
                                   [](const v1::Participant& p) { return !p.admitted(); });
  if (!other_p) {
    v.start_status = partner ? "Waiting for your partner to join." : "Waiting for both partners.";
  } else if (pending) {
    v.start_status = "Let everyone in, or decline them, before you start.";
  } else if (partner && !v.i_am_ready) {
    v.start_status = "When the settings look right, say you're ready.";
  } else if (partner && !other_p->ready()) {
    v.start_status = "Waiting for " + other_p->display_name() + " to be ready.";
  } else if (!partner) {
    v.start_status = "Waiting for the partners to be ready.";
  } else {
    v.start_status = "Starting...";
  }
  return v;
}

std::string settings_change_line(const v1::Settings& before, const v1::Settings& now, const std::string& who) {
  std::vector<std::string> what;
  if (before.threshold() != now.threshold())
    what.push_back("the check-in line from " + std::to_string(before.threshold()) + " to " +
                   std::to_string(now.threshold()));
  auto minutes = [](uint32_t s) { return std::to_string(s / 60) + (s / 60 == 1 ? " minute" : " minutes"); };
  if (before.min_pause_seconds() != now.min_pause_seconds())
    what.push_back("the shortest pause from " + minutes(before.min_pause_seconds()) + " to " +
                   minutes(now.min_pause_seconds()));
  if (before.long_break_seconds() != now.long_break_seconds())
    what.push_back("the longer break from " + minutes(before.long_break_seconds()) + " to " +
                   minutes(now.long_break_seconds()));
  if (what.empty()) return "";
  std::string list = what.front();
  for (std::size_t i = 1; i < what.size(); ++i) list += (i + 1 == what.size() ? " and " : ", ") + what[i];
  return who + " changed " + list + ". Look it over, and say you're ready again when it feels right.";
}

CoachView coach_view(const Snapshot& snap, int64_t now_ms) {
  CoachView v;
  const State& s = snap.state;
  const int n = step_number_in(s);
  v.step_line = n > 0 ? "Step " + std::to_string(n) + " of " + std::to_string(step_count(s)) + ": " +
                            title_of(s.step())
                      : title_of(s.step());
  v.partner_a_name = name_for(s, v1::ROLE_PARTNER_A);
  v.partner_b_name = name_for(s, v1::ROLE_PARTNER_B);
  switch (s.phase()) {
    case v1::PHASE_ACTIVE: {
      const FloorView f = floor_view(snap);
      v.phase_line = f.banner.empty() ? "Both partners are working on this step." : f.banner;
      break;
    }
    case v1::PHASE_CHECK_IN:
      v.phase_line = "Check-in: " + gate_view(snap).status;
      break;
    case v1::PHASE_PAUSED:
      v.phase_line = s.pause().reason() == v1::PAUSE_REASON_CONNECTION
                         ? "Paused: waiting for a device to return."
                     : s.pause().reason() == v1::PAUSE_REASON_GATE ? "Paused: a check-in was above the line."
                                                                   : "Paused on request.";
      break;
    case v1::PHASE_LONG_BREAK:
      v.phase_line = "On a longer break until " + format_local_time(s.pause().long_break_return_ms()) + ".";
      break;
    case v1::PHASE_LOBBY:
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  if (s.phase() == v1::PHASE_PAUSED) {
    const int64_t left =
        s.pause().min_until_ms() > now_ms ? (s.pause().min_until_ms() - now_ms + 999) / 1000 : 0;
    v.timer_line = left > 0 ? "Pause: " + format_clock(left) + " to go" : "Pause: the minimum time is over";
  } else if (s.step_started_ms() > 0) {
    v.timer_line = "In this step for " + format_clock((now_ms - s.step_started_ms()) / 1000);
  }
  v.people = people_rows(snap, false);
  // What a coach may infer: that a check-in asked for a pause, never whose.
  // So numbers show only while both partners share them (then both chose
  // to let the coach see whose number it was); one shared low number next
  // to a pause would name the other partner.
  const v1::Participant* a = find_role(s, v1::ROLE_PARTNER_A);
  const v1::Participant* b = find_role(s, v1::ROLE_PARTNER_B);
  const bool both_share = a && b && a->shares_with_coach() && b->shares_with_coach();
  for (auto it = snap.coach_levels.rbegin(); both_share && it != snap.coach_levels.rend(); ++it)
    v.levels.push_back({name_for(s, it->first), it->second.level, it->second.at_ms});
  for (const v1::Participant* p : {a, b}) {
    if (!p) continue;
    if (!p->shares_with_coach())
      v.not_sharing.push_back(p->display_name());
    else if (!both_share)
      v.levels_note = p->display_name() +
                      " shares their numbers with you. They show here once both partners share, so a "
                      "pause never points to one of them.";
  }
  v.can_call_pause = in_steps(s.phase());
  v.can_extend_pause = s.phase() == v1::PHASE_PAUSED;
  v.asked_to_pick_first =
      s.step() == v1::STEP_WHO_FIRST && s.coach_asked() && s.who_first().decided() == v1::ROLE_UNSPECIFIED;
  quick_coach_text(s, v.shared_text_label, v.shared_text);
  const v1::Round* round = current_round(s);
  if (s.step() == v1::STEP_SHARE || s.step() == v1::STEP_REFLECT) v.decided = who_starts_line(s, snap.my_role);
  if (round && (s.step() == v1::STEP_SHARE || s.step() == v1::STEP_REFLECT)) {
    if (s.step() == v1::STEP_REFLECT && !round->reflection_text().empty()) {
      v.shared_text_label = "Reflection by " + name_for(s, other_partner(round->speaker()));
      v.shared_text = round->reflection_text();
    } else if (!round->share_text().empty()) {
      v.shared_text_label = "Written by " + name_for(s, round->speaker());
      v.shared_text = round->share_text();
    }
  }
  return v;
}

SummaryView summary_view(const Snapshot& snap, int64_t now_ms) {
  SummaryView v;
  const State& s = snap.state;
  v.completed = s.phase() == v1::PHASE_COMPLETE;
  if (v.completed) {
    v.title = "You found your way back";
    v.message = "That took care from both of you. This summary stays on this device only.";
    v.steps_reached = step_count(s);
  } else {
    v.title = "The session has ended";
    v.message = "Take good care of yourself. You can come back to this another time.";
    v.steps_reached = step_number_in(s);
  }
  v.steps_total = step_count(s);
  v.kind = kind_words(kind_record(s));
  const int64_t end = s.ended_ms() > 0 ? s.ended_ms() : now_ms;
  v.duration_ms = s.started_ms() > 0 ? std::max<int64_t>(0, end - s.started_ms()) : 0;
  v.duration = format_duration(v.duration_ms);
  v.pauses = s.pauses_taken();
  v.timeline = snap.my_check_ins;
  return v;
}

}  // namespace attune::app
