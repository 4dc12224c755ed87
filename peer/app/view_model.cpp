// The view model's shared words, the screen to show, the link and the floor,
// and the summary (see view_model_internal.hpp for the other screens).
#include "app/view_model.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "app/view_model_internal.hpp"

namespace attune::app {

using v1::Phase;
using v1::Role;
using v1::Step;

bool in_steps(Phase phase) { return phase == v1::PHASE_ACTIVE || phase == v1::PHASE_CHECK_IN; }

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

namespace {

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

Screen screen_for(const NodeView& snap) {
  const State& s = snap.state;
  if (s.session_id().empty()) {
    // A joiner is welcomed a moment before the session's first state arrives:
    // until then it is still reaching the session, not back at the start.
    const bool reaching = snap.link == LinkState::Connecting || snap.link == LinkState::Connected ||
                          snap.link == LinkState::Reconnecting;
    return reaching ? Screen::Waiting : Screen::Start;
  }
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
std::optional<ConnectionView> after_the_end(const NodeView& snap) {
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

ConnectionView connection_view(const NodeView& snap) {
  if (auto calm = after_the_end(snap)) return *calm;
  ConnectionView v;
  const State& s = snap.state;
  switch (snap.link) {
    case LinkState::Hosting:
      v.text = "Connected";  // As on the other screens: which laptop holds the session is no one's concern.
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

FloorView floor_view(const NodeView& snap) {
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

SummaryView summary_view(const NodeView& snap, int64_t now_ms) {
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
