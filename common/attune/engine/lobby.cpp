// The lobby: devices join, the partners let each other (and a coach) in or
// decline them, agree the settings and say they're ready; the session starts
// when everyone is in and both partners are ready.
#include <algorithm>

#include "attune/engine/internal.hpp"
#include "attune/text.hpp"

namespace attune::detail {

namespace {

// `name` must already be cleaned (clean_name): controls, bidi overrides and
// invisible padding gone.
Outcome check_display_name(std::string_view name) {
  if (const std::string problem = name_problem(name, kMaxNameBytes, "name"); !problem.empty())
    return refuse(R::REFUSAL_CODE_BAD_INPUT, problem);
  return kOk;
}

// Two people may share a name; a suffix ("Casey (2)") tells them apart on
// every screen.
std::string distinct_participant_name(const State& s, const std::string& name) {
  std::vector<std::string> taken;
  for (const auto& p : s.participants()) taken.push_back(p.display_name());
  return distinct_name(name, taken);
}

Outcome check_seat(const State& s, v1::Role role) {
  switch (role) {
    case v1::ROLE_PARTNER_A:
    case v1::ROLE_PARTNER_B:
      if (find_role(s, role) != nullptr) return refuse(R::REFUSAL_CODE_SEAT_TAKEN);
      return kOk;
    case v1::ROLE_COACH: {
      const auto coaches = std::count_if(s.participants().begin(), s.participants().end(),
                                         [](const v1::Participant& p) { return p.role() == v1::ROLE_COACH; });
      if (coaches >= kMaxCoaches) return refuse(R::REFUSAL_CODE_SEAT_TAKEN, "Both coach seats are taken.");
      return kOk;
    }
    case v1::ROLE_UNSPECIFIED:
    case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return refuse(R::REFUSAL_CODE_BAD_INPUT, "Please choose a seat: partner A, partner B, or coach.");
}

// The device a partner lets in or declines: someone else who is still here.
Outcome find_target(Change& c, const std::string& target_id, v1::Participant*& target) {
  if (auto r = need_partner(c)) return r;
  if (auto r = need_lobby(c)) return r;
  target = find_mut(c.s, target_id);
  if (target == nullptr) return refuse(R::REFUSAL_CODE_BAD_INPUT, "That device isn't here any more.");
  if (target->id() == c.me->id()) return refuse(R::REFUSAL_CODE_BAD_INPUT, "You can't let yourself in.");
  return kOk;
}

}  // namespace

Outcome on_join(Change& c, const std::string& id, const v1::Join& j) {
  State& s = c.s;
  if (find_participant(s, id) != nullptr) return refuse(R::REFUSAL_CODE_ALREADY_JOINED);
  if (is_over(s.phase())) return refuse(R::REFUSAL_CODE_SESSION_OVER);
  if (s.phase() != v1::PHASE_LOBBY) {
    return refuse(R::REFUSAL_CODE_LOBBY_ONLY,
                  "This session has already begun, so new devices can't join it.");
  }
  if (id.empty() || !is_valid_utf8(id) || id.size() > 128)
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "This device has no usable id.");
  if (!is_valid_utf8(j.display_name()))
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "That name has characters we can't show.");
  const std::string name = clean_name(j.display_name());
  if (auto r = check_display_name(name)) return r;
  if (auto r = check_seat(s, j.role())) return r;
  auto* p = s.add_participants();
  p->set_id(id);
  p->set_role(j.role());
  p->set_display_name(distinct_participant_name(s, name));
  p->set_connected(true);
  recompute_admission(s);
  return kOk;
}

Outcome on_admit(Change& c, const std::string& target_id) {
  v1::Participant* target = nullptr;
  if (auto r = find_target(c, target_id, target)) return r;
  if (accepted_by(*target, c.role))
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've already let this device in.");
  set_accepted_by(*target, c.role, true);
  recompute_admission(c.s);
  try_start(c);
  return kOk;
}

Outcome on_decline(Change& c, const std::string& target_id) {
  v1::Participant* target = nullptr;
  if (auto r = find_target(c, target_id, target)) return r;
  if (target->admitted() && accepted_by(*target, c.role)) {
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "This device is already in the session.");
  }
  if (target->host()) return refuse(R::REFUSAL_CODE_BAD_INPUT, "This device is hosting the session.");
  remove_participant(c, target_id);
  try_start(c);
  return kOk;
}

Outcome on_leave(Change& c) {
  if (auto r = need_lobby(c)) return r;
  if (c.me->host())
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "You're hosting this session; to stop, end it instead.");
  const bool partner_left = is_partner(c.role);
  const std::string id = c.me->id();
  c.me = nullptr;  // Gone with the removal.
  remove_participant(c, id);
  if (partner_left) {
    // Whoever stays starts again from "not ready" with the next partner.
    for (auto& p : *c.s.mutable_participants()) p.set_ready(false);
  }
  // A coach who was still waiting to be let in may have been all that held
  // two ready partners back.
  try_start(c);
  return kOk;
}

Outcome on_propose_settings(Change& c, const v1::Settings& settings) {
  if (auto r = need_partner(c)) return r;
  if (auto r = need_lobby(c)) return r;
  if (auto r = check_settings(settings)) return r;
  c.s.mutable_settings()->CopyFrom(settings);
  // New terms need a fresh yes from both.
  for (auto& p : *c.s.mutable_participants()) p.set_ready(false);
  return kOk;
}

Outcome on_set_ready(Change& c, bool ready) {
  if (auto r = need_partner(c)) return r;
  if (auto r = need_lobby(c)) return r;
  if (ready && !c.me->admitted()) return refuse(R::REFUSAL_CODE_NOT_ADMITTED);
  if (c.me->ready() == ready)
    return refuse(R::REFUSAL_CODE_ALREADY_DONE,
                  ready ? "You're already marked as ready." : "You're not marked as ready.");
  c.me->set_ready(ready);
  try_start(c);
  return kOk;
}

Outcome on_share_with_coach(Change& c, bool share) {
  if (auto r = need_partner(c)) return r;
  if (is_over(c.s.phase())) return refuse(R::REFUSAL_CODE_SESSION_OVER);
  if (c.me->shares_with_coach() == share) {
    return refuse(R::REFUSAL_CODE_ALREADY_DONE,
                  share ? "Your coach can already see your ratings." : "Your ratings are already private.");
  }
  c.me->set_shares_with_coach(share);
  return kOk;
}

}  // namespace attune::detail
