// The coach's screen in words: where the session is, who holds the floor,
// and the partners' numbers only while both share them.
#include "app/view_model_internal.hpp"
#include "attune/text.hpp"
#include "coach_check_words.hpp"

namespace attune::app {

using v1::Role;

namespace {

// Where each partner stands in this step, by name: who has done their part
// and who it waits for. Says nothing of any number.
std::string progress_line(const State& s) {
  const std::string a = name_for(s, v1::ROLE_PARTNER_A), b = name_for(s, v1::ROLE_PARTNER_B);
  const bool wait_a = awaits_from(s, v1::ROLE_PARTNER_A), wait_b = awaits_from(s, v1::ROLE_PARTNER_B);
  const bool gate = s.phase() == v1::PHASE_CHECK_IN;
  const bool both_act = s.phase() == v1::PHASE_ACTIVE &&
                        (s.step() == v1::STEP_NAME_IT || s.step() == v1::STEP_BENEFIT);
  if (!gate && !both_act) return "";
  const std::string done = gate ? " has checked in" : " is done";
  if (wait_a && wait_b) return "Waiting for " + a + " and " + b + (gate ? " to check in." : ".");
  if (wait_a) return b + done + "; waiting for " + a + ".";
  if (wait_b) return a + done + "; waiting for " + b + ".";
  return gate ? "Both have checked in." : "Both are done.";
}

// What the coach is asked to do now, as the screen's headline.
std::string coach_headline(const State& s, bool asked_to_pick_first) {
  if (asked_to_pick_first) return "Choose who starts";
  switch (s.phase()) {
    case v1::PHASE_CHECK_IN:
      return "Wait while they check in";
    case v1::PHASE_PAUSED:
      return s.pause().reason() == v1::PAUSE_REASON_CONNECTION ? "Wait for everyone to be back"
                                                               : "Breathe along with them";
    case v1::PHASE_LONG_BREAK:
      return "Rest until they return";
    default:
      return "Listen along";
  }
}

// A shared number's label: whose it is, the step it came at, and when.
std::string level_label(const State& s, Role who, const PrivateCheckIn& c) {
  const int n = step_number(c.step);
  const std::string step = n > 0 ? "Step " + std::to_string(n) + ": " + title_of(c.step) : title_of(c.step);
  return name_for(s, who) + " \u00b7 " + step + " \u00b7 " + format_local_time(c.at_ms);
}

// What the partners are doing now, in one line.
std::string phase_line(const NodeView& snap) {
  const State& s = snap.state;
  switch (s.phase()) {
    case v1::PHASE_ACTIVE: {
      const FloorView f = floor_view(snap);
      return f.banner.empty() ? "Both partners are working on this step." : f.banner;
    }
    case v1::PHASE_CHECK_IN:
      return "Check-in: " + gate_view(snap).status;
    case v1::PHASE_PAUSED:
      if (s.pause().reason() == v1::PAUSE_REASON_CONNECTION) return "Paused: waiting for a device to return.";
      return s.pause().reason() == v1::PAUSE_REASON_GATE ? "Paused: a check-in was above the line."
                                                         : "Paused on request.";
    case v1::PHASE_LONG_BREAK: {
      const std::string back = long_break_view(snap, 0).back_line;  // "Alex is back.", by name.
      return "On a longer break until " + format_local_time(s.pause().long_break_return_ms()) + "." +
             (back.empty() ? "" : " " + back);
    }
    case v1::PHASE_LOBBY:
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "";
}

}  // namespace

CoachView coach_view(const NodeView& snap, int64_t now_ms) {
  CoachView v;
  const State& s = snap.state;
  const int n = step_number_in(s);
  v.step_line = n > 0 ? "Step " + std::to_string(n) + " of " + std::to_string(step_count(s)) + ": " +
                            title_of(s.step())
                      : title_of(s.step());
  v.partner_a_name = name_for(s, v1::ROLE_PARTNER_A);
  v.partner_b_name = name_for(s, v1::ROLE_PARTNER_B);
  v.phase_line = phase_line(snap);
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
    v.levels.push_back({name_for(s, it->first), it->second.level, it->second.at_ms,
                        level_label(s, it->first, it->second)});
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
  v.headline = coach_headline(s, v.asked_to_pick_first);
  v.progress = progress_line(s);
  if (!v.progress.empty()) v.phase_line.clear();  // The progress says it, by name.
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

std::vector<CoachCheckRow> coach_check_rows(const NodeView& snap) {
  std::vector<CoachCheckRow> out;
  for (const auto& check : snap.coach_checks) {
    const auto* coach = find_participant(snap.state, check.coach_id);
    const std::string name = coach ? sanitize_display_text(coach->display_name()) : "";
    CoachCheckRow row;
    row.coach_id = check.coach_id;
    row.number = check.number;
    row.heading = (name.empty() ? std::string("The coach") : name) + "'s check number";
    row.words = coach_check_words(check, name);
    row.ask = coach_check_asks(check.trust);
    row.matched = crypto::sealable(check.trust);
    out.push_back(std::move(row));
  }
  return out;
}

std::string my_check_number_line(const NodeView& snap) {
  if (snap.my_role != v1::ROLE_COACH || snap.my_check_number.empty()) return "";
  return "Your check number: " + snap.my_check_number;
}

}  // namespace attune::app
