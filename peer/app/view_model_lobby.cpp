// The lobby in words: who is here, who sees what, and what still has to
// happen before the session starts.
#include <algorithm>

#include "app/view_model_internal.hpp"

namespace attune::app {

using v1::Role;

namespace {

std::string role_words(Role r) {
  switch (r) {
    case v1::ROLE_PARTNER_A:
    case v1::ROLE_PARTNER_B:
      return "Partner";
    case v1::ROLE_COACH:
      return "Coach";
    case v1::ROLE_UNSPECIFIED:
    case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "Guest";
}

// "Start now": the partner's seat from before comes in by itself, so there
// is nobody to let in by hand, and the start waits for them by name.
void start_now_partner(const PartnerSession& partner, LobbyView& v) {
  if (partner.device_id.empty()) return;
  v.start_now = true;
  const std::string name = partner.name.empty() ? std::string("your partner") : partner.name;
  bool here = false, on_the_way = false, someone_else_asks = false;
  for (ParticipantRow& r : v.people) {
    if (r.id == partner.device_id) {
      here |= r.admitted;
      on_the_way |= !r.admitted;
      if (r.admitted) continue;
      r.status = "On the way";
      r.can_accept = r.can_decline = false;
    } else if (!r.admitted) {
      someone_else_asks = true;
    }
  }
  if (!here)
    v.partner_waiting = "Waiting for " + name + ". Their device comes in by itself when they tap Start now.";
  if (on_the_way && !someone_else_asks) v.start_status = "Waiting for " + name + " to come in.";
}

// Where my check-in numbers go once I chose to share them, as things stand:
// only to a coach this device trusts (its person matched the check number,
// or the host paired with the coach itself), and only once both share.
std::string sharing_line(const NodeView& snap) {
  const v1::Participant* coach = find_role(snap.state, v1::ROLE_COACH);
  if (!coach) return "You'd like to show your check-in numbers to a coach, but no coach is here, so they stay "
                     "on this device.";
  const std::string name = coach->display_name().empty() ? std::string("the coach") : coach->display_name();
  const crypto::CoachTrust trust = trust_in_coach(snap, *coach);
  if (crypto::sealable(trust))
    return "Your check-in numbers go to " + name + ", and no one else, once you both share them. Then " + name +
           " can tell whose number asked for a pause. You can stop at any time.";
  switch (trust) {
    case crypto::CoachTrust::Declined:
      return "You said " + name + "'s check number didn't match, so your check-in numbers stay on this "
             "device. " + name + " only sees that you've checked in.";
    case crypto::CoachTrust::Changed:
    case crypto::CoachTrust::Refused:
      return "This device can't be sure the coach's device is " + name + "'s, so your check-in numbers stay "
             "here for now. " + name + " only sees that you've checked in.";
    default:
      return "Your check-in numbers stay on this device until you and " + name + " compare the check "
             "number below and it matches. Then they go to " + name + " once you both share.";
  }
}

}  // namespace

crypto::CoachTrust trust_in_coach(const NodeView& snap, const v1::Participant& coach) {
  const v1::Participant* mine = find_participant(snap.state, snap.my_id);
  crypto::CoachTrust trust = mine && mine->host() ? crypto::CoachTrust::Proven : crypto::CoachTrust::Unchecked;
  for (const auto& check : snap.coach_checks)
    if (check.coach_id == coach.id()) trust = check.trust;
  return trust;
}

const v1::Participant* coach_who_sees_my_numbers(const NodeView& snap) {
  const v1::Participant* mine = find_participant(snap.state, snap.my_id);
  const v1::Participant* other = find_role(snap.state, other_partner(snap.my_role));
  const v1::Participant* coach = find_role(snap.state, v1::ROLE_COACH);
  if (!is_partner(snap.my_role) || !mine || !other || !coach || !coach->admitted()) return nullptr;
  if (!mine->shares_with_coach() || !other->shares_with_coach()) return nullptr;
  return crypto::sealable(trust_in_coach(snap, *coach)) ? coach : nullptr;
}

std::vector<ParticipantRow> people_rows(const NodeView& snap, bool lobby) {
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

LobbyView lobby_view(const NodeView& snap, const PartnerSession& start_now) {
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
    v.who_sees_what.push_back(v.sharing_with_coach ? sharing_line(snap)
                                                   : "Your check-in numbers stay on this device. Others only "
                                                     "see that you've checked in.");
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
        "You'll see the partners' numbers only if both choose to share them with you and have compared your "
        "check number, so a pause never points to one of them.",
        "You can pause at any time, but you never speak for a partner.",
    };
  }

  const bool pending = std::any_of(s.participants().begin(), s.participants().end(),
                                   [](const v1::Participant& p) { return !p.admitted(); });
  const bool both_here = find_role(s, v1::ROLE_PARTNER_A) && find_role(s, v1::ROLE_PARTNER_B);
  if (partner ? !other_p : !both_here) {
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
  start_now_partner(start_now, v);
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
  if (before.kind() != now.kind() || before.repairer() != now.repairer())
    what.push_back(now.kind() == v1::REPAIR_KIND_QUICK ? "the kind of talk to a quick repair"
                                                       : "the kind of talk to the whole conversation");
  if (what.empty()) return "";
  std::string list = what.front();
  for (std::size_t i = 1; i < what.size(); ++i) list += (i + 1 == what.size() ? " and " : ", ") + what[i];
  return who + " changed " + list + ". Look it over, and say you're ready again when it feels right.";
}

}  // namespace attune::app
