#include "attune/engine.hpp"

#include <algorithm>

#include "attune/refusals.hpp"
#include "attune/text.hpp"

namespace attune {

namespace {

using R = v1::RefusalCode;

// The working context of one apply() call: a copy of the state to change,
// the effects to report, and who is asking.
struct Change {
  State s;
  int64_t now = 0;
  std::vector<Effect> effects;
  v1::Participant* me = nullptr;  // Null for the shell.
  v1::Role role = v1::ROLE_UNSPECIFIED;
};

using Outcome = std::optional<v1::Refusal>;
const Outcome kOk = std::nullopt;

v1::Participant* find_mut(State& s, std::string_view id) {
  for (auto& p : *s.mutable_participants()) {
    if (p.id() == id) return &p;
  }
  return nullptr;
}

bool done_of(const State& s, v1::Role role) { return role == v1::ROLE_PARTNER_A ? s.done_a() : s.done_b(); }
void set_done(State& s, v1::Role role, bool v) {
  if (role == v1::ROLE_PARTNER_A)
    s.set_done_a(v);
  else
    s.set_done_b(v);
}

bool all_admitted_connected(const State& s) {
  return std::all_of(s.participants().begin(), s.participants().end(),
                     [](const v1::Participant& p) { return !p.admitted() || p.connected(); });
}

bool is_over(v1::Phase phase) { return phase == v1::PHASE_COMPLETE || phase == v1::PHASE_ENDED; }

// Admission: a partner needs the other partner's yes (the host partner is in
// by creating the session); a coach needs both partners' yes.
void recompute_admission(State& s) {
  for (auto& p : *s.mutable_participants()) {
    switch (p.role()) {
      case v1::ROLE_PARTNER_A:
        p.set_admitted(p.host() || p.accepted_by_b());
        break;
      case v1::ROLE_PARTNER_B:
        p.set_admitted(p.host() || p.accepted_by_a());
        break;
      case v1::ROLE_COACH:
        p.set_admitted(p.accepted_by_a() && p.accepted_by_b());
        break;
      case v1::ROLE_UNSPECIFIED:
      case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
      case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_:
        p.set_admitted(false);
        break;
    }
  }
}

const v1::Round* current_round(const State& s) {
  return s.rounds().empty() ? nullptr : &s.rounds(s.rounds_size() - 1);
}
v1::Round* current_round_mut(State& s) {
  return s.rounds().empty() ? nullptr : s.mutable_rounds(s.rounds_size() - 1);
}

v1::Role first_speaker(const State& s) { return s.who_first().decided(); }

google::protobuf::RepeatedPtrField<v1::Turn>* turns_of(State& s) {
  if (s.step() == v1::STEP_OWN_PATTERN) return s.mutable_own_turns();
  if (s.step() == v1::STEP_REASSURE) return s.mutable_reassure_turns();
  return nullptr;
}

// Who holds the floor, read off the step's progress: the speaker shares; the
// listener reflects until done, then the speaker answers; in steps 7 and 8
// the first partner whose turn is not done. Nobody in the other steps.
v1::Role floor_in_step(const State& s) {
  switch (s.step()) {
    case v1::STEP_SHARE:
      return current_round(s)->speaker();
    case v1::STEP_REFLECT: {
      const v1::Round* round = current_round(s);
      return round->reflected() ? round->speaker() : other_partner(round->speaker());
    }
    case v1::STEP_OWN_PATTERN:
    case v1::STEP_REASSURE: {
      const auto& turns = s.step() == v1::STEP_OWN_PATTERN ? s.own_turns() : s.reassure_turns();
      for (const auto& t : turns) {
        if (!t.done()) return t.partner();
      }
      return v1::ROLE_UNSPECIFIED;
    }
    case v1::STEP_UNSPECIFIED:
    case v1::STEP_LOBBY:
    case v1::STEP_NAME_IT:
    case v1::STEP_GAUGE:
    case v1::STEP_BENEFIT:
    case v1::STEP_WHO_FIRST:
    case v1::STEP_RECONNECT:
    case v1::STEP_COMPLETE:
    case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return v1::ROLE_UNSPECIFIED;
}

// Enters a step: resets what each step tracks and sets who holds the floor.
void enter_step(Change& c, v1::Step step) {
  State& s = c.s;
  s.set_step(step);
  s.set_phase(step == v1::STEP_COMPLETE ? v1::PHASE_COMPLETE : v1::PHASE_ACTIVE);
  s.set_step_started_ms(c.now);
  s.set_done_a(false);
  s.set_done_b(false);
  switch (step) {
    case v1::STEP_SHARE: {
      const v1::Round* last = current_round(s);
      if (last == nullptr) {
        s.add_rounds()->set_speaker(first_speaker(s));
      } else if (last->heard()) {
        s.add_rounds()->set_speaker(other_partner(last->speaker()));
      }
      break;
    }
    case v1::STEP_OWN_PATTERN:
    case v1::STEP_REASSURE: {
      auto* turns = turns_of(s);
      turns->Clear();
      turns->Add()->set_partner(first_speaker(s));
      turns->Add()->set_partner(other_partner(first_speaker(s)));
      break;
    }
    case v1::STEP_REFLECT:
    case v1::STEP_UNSPECIFIED:
    case v1::STEP_LOBBY:
    case v1::STEP_NAME_IT:
    case v1::STEP_GAUGE:
    case v1::STEP_BENEFIT:
    case v1::STEP_WHO_FIRST:
    case v1::STEP_RECONNECT:
    case v1::STEP_COMPLETE:
    case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  s.set_floor(floor_in_step(s));
}

v1::Gate fresh_gate(v1::Step target, bool resume) {
  v1::Gate g;
  g.set_target_step(target);
  g.set_resume(resume);
  return g;
}

// Every transition after step 2 waits on a check-in from both partners.
void open_gate(Change& c, v1::Step target) {
  c.s.set_phase(v1::PHASE_CHECK_IN);
  c.s.set_floor(v1::ROLE_UNSPECIFIED);
  *c.s.mutable_gate() = fresh_gate(target, false);
}

// The gate that follows a pause: the interrupted transition if one was
// waiting, otherwise a return to the step in progress.
v1::Gate gate_after_pause(const State& s, bool keep_check_ins) {
  if (s.phase() == v1::PHASE_CHECK_IN) {
    if (keep_check_ins) return s.gate();
    return fresh_gate(s.gate().target_step(), s.gate().resume());
  }
  return fresh_gate(s.step(), true);
}

void start_pause(Change& c, v1::PauseReason reason, bool long_break_hint, v1::Gate after) {
  State& s = c.s;
  v1::Pause p;
  p.set_reason(reason);
  p.set_started_ms(c.now);
  const int64_t min_ms =
      reason == v1::PAUSE_REASON_CONNECTION ? 0 : int64_t{s.settings().min_pause_seconds()} * 1000;
  p.set_min_until_ms(c.now + min_ms);
  p.set_long_break_suggested(long_break_hint);
  after.set_above_a(false);
  after.set_above_b(false);
  after.set_long_break_hint(false);
  *p.mutable_after() = std::move(after);
  *s.mutable_pause() = std::move(p);
  s.clear_gate();
  s.set_phase(v1::PHASE_PAUSED);
  s.set_pauses_taken(s.pauses_taken() + 1);
  if (min_ms > 0) c.effects.push_back(Effect{Effect::Kind::StartTimer, s.pause().min_until_ms(), {}});
}

// Leaves a pause into its check-in, or keeps waiting while a device is away.
void end_pause(Change& c) {
  State& s = c.s;
  if (!all_admitted_connected(s)) {
    s.mutable_pause()->set_reason(v1::PAUSE_REASON_CONNECTION);
    return;
  }
  v1::Gate after = s.pause().after();
  s.clear_pause();
  s.set_phase(v1::PHASE_CHECK_IN);
  *s.mutable_gate() = std::move(after);
}

void end_session(Change& c, v1::Phase phase) {
  State& s = c.s;
  s.set_phase(phase);
  s.set_floor(v1::ROLE_UNSPECIFIED);
  s.set_ended_ms(c.now);
  s.clear_gate();
  s.clear_pause();
  c.effects.push_back(Effect{
      phase == v1::PHASE_COMPLETE ? Effect::Kind::SessionComplete : Effect::Kind::SessionEnded, 0, {}});
}

void try_start(Change& c) {
  State& s = c.s;
  if (s.phase() != v1::PHASE_LOBBY) return;
  const auto* a = find_role(s, v1::ROLE_PARTNER_A);
  const auto* b = find_role(s, v1::ROLE_PARTNER_B);
  if (a == nullptr || b == nullptr || !a->ready() || !b->ready()) return;
  for (const auto& p : s.participants()) {
    if (!p.admitted() || !p.connected()) return;
  }
  s.set_started_ms(c.now);
  enter_step(c, v1::STEP_NAME_IT);
}

// --- Guards shared by many intents -----------------------------------------

Outcome need_partner(const Change& c) {
  if (is_partner(c.role)) return kOk;
  return refuse(R::REFUSAL_CODE_PARTNERS_ONLY);
}

Outcome need_lobby(const Change& c) {
  if (c.s.phase() == v1::PHASE_LOBBY) return kOk;
  return refuse(R::REFUSAL_CODE_LOBBY_ONLY);
}

// A step action needs the session running and not waiting on a gate or pause.
Outcome need_active(const Change& c) {
  switch (c.s.phase()) {
    case v1::PHASE_ACTIVE:
      return kOk;
    case v1::PHASE_LOBBY:
      return refuse(R::REFUSAL_CODE_WRONG_STEP, "Let's finish in the lobby first.");
    case v1::PHASE_CHECK_IN:
      return refuse(R::REFUSAL_CODE_WAITING_FOR_CHECK_IN);
    case v1::PHASE_PAUSED:
    case v1::PHASE_LONG_BREAK:
      return refuse(R::REFUSAL_CODE_PAUSED);
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return refuse(R::REFUSAL_CODE_SESSION_OVER);
}

Outcome need_partner_active(const Change& c) {
  if (auto r = need_partner(c)) return r;
  return need_active(c);
}

Outcome need_step(const Change& c, std::initializer_list<v1::Step> steps) {
  if (std::find(steps.begin(), steps.end(), c.s.step()) != steps.end()) return kOk;
  return refuse(R::REFUSAL_CODE_WRONG_STEP);
}

Outcome need_floor(const Change& c) {
  if (c.s.floor() == c.role) return kOk;
  if (c.s.step() == v1::STEP_SHARE) return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN);
  if (c.s.step() == v1::STEP_REFLECT) {
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN,
                  c.s.floor() == v1::ROLE_UNSPECIFIED
                      ? "Nobody holds the floor right now."
                      : "Your partner has the floor right now. Your turn comes next.");
  }
  return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "It's your partner's turn right now. Yours comes next.");
}

Outcome check_text(std::string_view text, std::size_t max_bytes, bool allow_empty) {
  if (!is_valid_utf8(text))
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "That text has characters we can't read.");
  if (text.size() > max_bytes)
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "That's longer than Attune can keep. Could you shorten it?");
  if (!allow_empty && trim(text).empty())
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "Please write a few words first.");
  return kOk;
}

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

// --- Lobby -------------------------------------------------------------------

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
  switch (j.role()) {
    case v1::ROLE_PARTNER_A:
    case v1::ROLE_PARTNER_B:
      if (find_role(s, j.role()) != nullptr) return refuse(R::REFUSAL_CODE_SEAT_TAKEN);
      break;
    case v1::ROLE_COACH: {
      const auto coaches = std::count_if(s.participants().begin(), s.participants().end(),
                                         [](const v1::Participant& p) { return p.role() == v1::ROLE_COACH; });
      if (coaches >= kMaxCoaches) return refuse(R::REFUSAL_CODE_SEAT_TAKEN, "Both coach seats are taken.");
      break;
    }
    case v1::ROLE_UNSPECIFIED:
    case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_:
      return refuse(R::REFUSAL_CODE_BAD_INPUT, "Please choose a seat: partner A, partner B, or coach.");
  }
  auto* p = s.add_participants();
  p->set_id(id);
  p->set_role(j.role());
  p->set_display_name(distinct_participant_name(s, name));
  p->set_connected(true);
  recompute_admission(s);
  return kOk;
}

Outcome on_admit(Change& c, const std::string& target_id, bool admit) {
  if (auto r = need_partner(c)) return r;
  if (auto r = need_lobby(c)) return r;
  State& s = c.s;
  v1::Participant* target = find_mut(s, target_id);
  if (target == nullptr) return refuse(R::REFUSAL_CODE_BAD_INPUT, "That device isn't here any more.");
  if (target->id() == c.me->id()) return refuse(R::REFUSAL_CODE_BAD_INPUT, "You can't let yourself in.");
  const bool already = c.role == v1::ROLE_PARTNER_A ? target->accepted_by_a() : target->accepted_by_b();
  if (admit) {
    if (already) return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've already let this device in.");
    if (c.role == v1::ROLE_PARTNER_A)
      target->set_accepted_by_a(true);
    else
      target->set_accepted_by_b(true);
    recompute_admission(s);
    try_start(c);
    return kOk;
  }
  if (target->admitted() && already) {
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "This device is already in the session.");
  }
  if (target->host()) return refuse(R::REFUSAL_CODE_BAD_INPUT, "This device is hosting the session.");
  c.effects.push_back(Effect{Effect::Kind::Removed, 0, target->id()});
  const v1::Role gone = target->role();
  auto* parts = s.mutable_participants();
  parts->erase(std::find_if(parts->begin(), parts->end(),
                            [&](const v1::Participant& p) { return p.id() == target_id; }));
  if (is_partner(gone)) {
    // Whatever the removed partner had agreed to goes with them.
    for (auto& p : *parts) {
      if (gone == v1::ROLE_PARTNER_A)
        p.set_accepted_by_a(false);
      else
        p.set_accepted_by_b(false);
    }
  }
  recompute_admission(s);
  try_start(c);
  return kOk;
}

Outcome on_leave(Change& c) {
  if (auto r = need_lobby(c)) return r;
  if (c.me->host())
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "You're hosting this session; to stop, end it instead.");
  State& s = c.s;
  const v1::Role gone = c.role;
  const std::string id = c.me->id();
  auto* parts = s.mutable_participants();
  parts->erase(
      std::find_if(parts->begin(), parts->end(), [&](const v1::Participant& p) { return p.id() == id; }));
  if (is_partner(gone)) {
    for (auto& p : *parts) {
      if (gone == v1::ROLE_PARTNER_A)
        p.set_accepted_by_a(false);
      else
        p.set_accepted_by_b(false);
      p.set_ready(false);
    }
  }
  c.me = nullptr;
  c.effects.push_back(Effect{Effect::Kind::Removed, 0, id});
  recompute_admission(s);
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

// --- Steps -------------------------------------------------------------------

Outcome on_confirm(Change& c) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_NAME_IT, v1::STEP_BENEFIT})) return r;
  if (done_of(c.s, c.role)) return refuse(R::REFUSAL_CODE_ALREADY_DONE);
  set_done(c.s, c.role, true);
  if (!c.s.done_a() || !c.s.done_b()) return kOk;
  if (c.s.step() == v1::STEP_NAME_IT) {
    // Step 2 is itself the first check-in.
    enter_step(c, v1::STEP_GAUGE);
    open_gate(c, v1::STEP_BENEFIT);
  } else {
    open_gate(c, v1::STEP_WHO_FIRST);
  }
  return kOk;
}

Outcome on_check_in(Change& c, const v1::CheckIn& ci) {
  if (auto r = need_partner(c)) return r;
  State& s = c.s;
  switch (s.phase()) {
    case v1::PHASE_CHECK_IN:
      break;
    case v1::PHASE_PAUSED:
      return refuse(R::REFUSAL_CODE_PAUSE_NOT_OVER);
    case v1::PHASE_LONG_BREAK:
      return refuse(R::REFUSAL_CODE_PAUSED);
    case v1::PHASE_LOBBY:
    case v1::PHASE_ACTIVE:
      return refuse(R::REFUSAL_CODE_WRONG_STEP, "There's no check-in right now.");
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      return refuse(R::REFUSAL_CODE_SESSION_OVER);
  }
  v1::Gate& g = *s.mutable_gate();
  if (c.role == v1::ROLE_PARTNER_A) {
    g.set_checked_in_a(true);
    g.set_above_a(ci.above_threshold());
  } else {
    g.set_checked_in_b(true);
    g.set_above_b(ci.above_threshold());
  }
  g.set_long_break_hint(g.long_break_hint() || ci.long_break_hint());
  if (!g.checked_in_a() || !g.checked_in_b()) return kOk;

  // Both are in: the gate decides, and the per-partner bits are forgotten.
  if (g.above_a() || g.above_b()) {
    start_pause(c, v1::PAUSE_REASON_GATE, g.long_break_hint(), fresh_gate(g.target_step(), g.resume()));
    return kOk;
  }
  const v1::Step target = g.target_step();
  const bool resume = g.resume();
  s.clear_gate();
  if (resume) {
    s.set_phase(v1::PHASE_ACTIVE);
    // The floor returns to whoever held it when the step was interrupted.
    s.set_floor(floor_in_step(s));
  } else {
    enter_step(c, target);
  }
  return kOk;
}

// A deterministic coin for the random draw: every replica gets the same side.
v1::Role draw(const State& s, int64_t now) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](uint8_t b) {
    h ^= b;
    h *= 1099511628211ULL;
  };
  for (char ch : s.session_id()) mix(static_cast<uint8_t>(ch));
  for (int i = 0; i < 8; ++i) mix(static_cast<uint8_t>(static_cast<uint64_t>(now) >> (8 * i)));
  h ^= h >> 29;
  return (h & 1U) != 0 ? v1::ROLE_PARTNER_A : v1::ROLE_PARTNER_B;
}

Outcome decide_first(Change& c, v1::Role first) {
  c.s.mutable_who_first()->set_decided(first);
  open_gate(c, v1::STEP_SHARE);
  return kOk;
}

Outcome on_propose_first(Change& c, v1::FirstChoice choice) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_WHO_FIRST})) return r;
  State& s = c.s;
  if (choice == v1::FIRST_CHOICE_ASK_COACH) {
    const bool coach_here =
        std::any_of(s.participants().begin(), s.participants().end(),
                    [](const v1::Participant& p) { return p.role() == v1::ROLE_COACH && p.admitted(); });
    if (!coach_here) return refuse(R::REFUSAL_CODE_BAD_INPUT, "There's no coach in this session to ask.");
    if (s.coach_asked()) return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've both asked the coach already.");
  }
  auto* wf = s.mutable_who_first();
  if (wf->proposal() == choice && wf->proposed_by() == c.role) {
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "You've suggested that already. Waiting for your partner.");
  }
  wf->set_proposal(choice);
  wf->set_proposed_by(c.role);
  return kOk;
}

Outcome on_accept_first(Change& c) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_WHO_FIRST})) return r;
  State& s = c.s;
  const auto& wf = s.who_first();
  if (wf.proposal() == v1::FIRST_CHOICE_UNSPECIFIED) return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT);
  if (wf.proposed_by() == c.role) {
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT,
                  "This was your suggestion; your partner gets to say yes to it.");
  }
  switch (wf.proposal()) {
    case v1::FIRST_CHOICE_OFFER:
      return decide_first(c, wf.proposed_by());
    case v1::FIRST_CHOICE_DRAW:
      return decide_first(c, draw(s, c.now));
    case v1::FIRST_CHOICE_ASK_COACH:
      s.set_coach_asked(true);
      s.mutable_who_first()->set_proposal(v1::FIRST_CHOICE_UNSPECIFIED);
      s.mutable_who_first()->set_proposed_by(v1::ROLE_UNSPECIFIED);
      return kOk;
    case v1::FIRST_CHOICE_UNSPECIFIED:
    case v1::FirstChoice_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::FirstChoice_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT);
}

Outcome on_assign_first(Change& c, v1::Role partner) {
  if (c.role != v1::ROLE_COACH) return refuse(R::REFUSAL_CODE_COACH_ONLY);
  if (auto r = need_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_WHO_FIRST})) return r;
  if (!c.s.coach_asked())
    return refuse(R::REFUSAL_CODE_NOT_READY,
                  "The partners haven't asked you to choose. They may still decide together.");
  if (!is_partner(partner)) return refuse(R::REFUSAL_CODE_BAD_INPUT, "Please pick one of the two partners.");
  return decide_first(c, partner);
}

Outcome on_write_text(Change& c, const std::string& raw) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_SHARE, v1::STEP_REFLECT, v1::STEP_OWN_PATTERN, v1::STEP_REASSURE})) {
    return refuse(R::REFUSAL_CODE_WRONG_STEP, "There's nothing to write down in this step.");
  }
  if (auto r = need_floor(c)) return r;
  if (auto r = check_text(raw, kMaxTextBytes, true)) return r;
  // NUL, ESC, BEL, CR and bidi overrides go; the words and line breaks stay.
  const std::string text = sanitize_share_text(raw);
  State& s = c.s;
  switch (s.step()) {
    case v1::STEP_SHARE:
      current_round_mut(s)->set_share_text(text);
      return kOk;
    case v1::STEP_REFLECT:
      if (current_round(s)->reflected()) {
        return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Your partner is answering your reflection now.");
      }
      current_round_mut(s)->set_reflection_text(text);
      return kOk;
    case v1::STEP_OWN_PATTERN:
    case v1::STEP_REASSURE:
      for (auto& t : *turns_of(s)) {
        if (t.partner() == c.role && !t.done()) t.set_text(text);
      }
      return kOk;
    case v1::STEP_UNSPECIFIED:
    case v1::STEP_LOBBY:
    case v1::STEP_NAME_IT:
    case v1::STEP_GAUGE:
    case v1::STEP_BENEFIT:
    case v1::STEP_WHO_FIRST:
    case v1::STEP_RECONNECT:
    case v1::STEP_COMPLETE:
    case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return refuse(R::REFUSAL_CODE_WRONG_STEP);
}

Outcome on_pass_floor(Change& c) {
  if (auto r = need_partner_active(c)) return r;
  State& s = c.s;
  if (s.step() == v1::STEP_REFLECT) {
    return refuse(R::REFUSAL_CODE_WRONG_STEP,
                  s.floor() == c.role
                      ? "When you've reflected back what you heard, let your partner know you're done."
                      : "Let your partner know whether they got it: \"yes, that's it\" or \"not quite\".");
  }
  if (auto r = need_step(c, {v1::STEP_SHARE, v1::STEP_OWN_PATTERN, v1::STEP_REASSURE})) return r;
  if (auto r = need_floor(c)) return r;
  if (s.step() == v1::STEP_SHARE) {
    // After a "not quite", the clarified share goes straight back to the listener.
    if (current_round(s)->clarifications() > 0) {
      enter_step(c, v1::STEP_REFLECT);
    } else {
      open_gate(c, v1::STEP_REFLECT);
    }
    return kOk;
  }
  auto* turns = turns_of(s);
  for (auto& t : *turns) {
    if (t.partner() == c.role) t.set_done(true);
  }
  s.set_floor(floor_in_step(s));
  if (s.floor() == v1::ROLE_UNSPECIFIED) {
    open_gate(c, s.step() == v1::STEP_OWN_PATTERN ? v1::STEP_REASSURE : v1::STEP_RECONNECT);
  }
  return kOk;
}

Outcome on_finish_reflection(Change& c) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_REFLECT})) return r;
  v1::Round* round = current_round_mut(c.s);
  if (c.role == round->speaker()) {
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN,
                  "Your partner is reflecting what they heard. Your answer comes next.");
  }
  if (round->reflected())
    return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Your partner is answering your reflection now.");
  round->set_reflected(true);
  c.s.set_floor(floor_in_step(c.s));  // The speaker answers next.
  return kOk;
}

Outcome on_answer(Change& c, bool heard) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_REFLECT})) return r;
  State& s = c.s;
  v1::Round* round = current_round_mut(s);
  if (c.role != round->speaker()) {
    return refuse(R::REFUSAL_CODE_NOT_YOUR_TURN, "Your partner is the one who says whether they feel heard.");
  }
  if (!round->reflected())
    return refuse(R::REFUSAL_CODE_NOT_READY, "Give your partner a moment to finish reflecting.");
  if (heard) {
    round->set_heard(true);
    open_gate(c, s.rounds_size() < 2 ? v1::STEP_SHARE : v1::STEP_OWN_PATTERN);
    return kOk;
  }
  round->set_reflected(false);
  round->set_clarifications(round->clarifications() + 1);
  s.set_step(v1::STEP_SHARE);
  s.set_step_started_ms(c.now);
  s.set_floor(floor_in_step(s));
  return kOk;
}

Outcome on_propose_gesture(Change& c, const std::string& text) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_RECONNECT})) return r;
  if (auto r = check_text(text, kMaxGestureBytes, false)) return r;
  State& s = c.s;
  if (s.gestures_size() >= kMaxGestures)
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "That's plenty of ideas. Pick one of the ones you have.");
  auto* g = s.add_gestures();
  g->set_id(s.next_gesture_id() + 1);
  s.set_next_gesture_id(g->id());
  g->set_proposed_by(c.role);
  g->set_text(std::string{trim(sanitize_share_text(text))});
  if (c.role == v1::ROLE_PARTNER_A)
    g->set_accepted_by_a(true);
  else
    g->set_accepted_by_b(true);
  return kOk;
}

Outcome on_accept_gesture(Change& c, uint32_t id) {
  if (auto r = need_partner_active(c)) return r;
  if (auto r = need_step(c, {v1::STEP_RECONNECT})) return r;
  State& s = c.s;
  auto it = std::find_if(s.mutable_gestures()->begin(), s.mutable_gestures()->end(),
                         [&](const v1::Gesture& g) { return g.id() == id; });
  if (it == s.mutable_gestures()->end())
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT, "That idea isn't on the list any more.");
  if (it->proposed_by() == c.role)
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT,
                  "This was your idea; your partner gets to say yes to it.");
  if (c.role == v1::ROLE_PARTNER_A)
    it->set_accepted_by_a(true);
  else
    it->set_accepted_by_b(true);
  if (it->accepted_by_a() && it->accepted_by_b()) {
    s.set_step(v1::STEP_COMPLETE);
    s.set_step_started_ms(c.now);
    end_session(c, v1::PHASE_COMPLETE);
  }
  return kOk;
}

// --- Pauses and endings --------------------------------------------------------

Outcome on_call_pause(Change& c) {
  switch (c.s.phase()) {
    case v1::PHASE_ACTIVE:
    case v1::PHASE_CHECK_IN:
      start_pause(c, v1::PAUSE_REASON_CALLED, false, gate_after_pause(c.s, false));
      return kOk;
    case v1::PHASE_PAUSED:
    case v1::PHASE_LONG_BREAK:
      return refuse(R::REFUSAL_CODE_PAUSED, "You're already on a pause. Take all the time you need.");
    case v1::PHASE_LOBBY:
      return refuse(R::REFUSAL_CODE_WRONG_STEP,
                    "The session hasn't started yet, so there's nothing to pause.");
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return refuse(R::REFUSAL_CODE_SESSION_OVER);
}

Outcome on_extend_pause(Change& c, uint32_t seconds) {
  State& s = c.s;
  if (s.phase() != v1::PHASE_PAUSED) return refuse(R::REFUSAL_CODE_NOT_PAUSED);
  if (seconds == 0 || seconds > kMaxExtendSeconds) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "A pause can be extended by up to 30 minutes at a time.");
  }
  const int64_t until = std::max(s.pause().min_until_ms(), c.now) + int64_t{seconds} * 1000;
  s.mutable_pause()->set_min_until_ms(until);
  if (s.pause().reason() == v1::PAUSE_REASON_CONNECTION && all_admitted_connected(s)) {
    s.mutable_pause()->set_reason(v1::PAUSE_REASON_CALLED);
  }
  c.effects.push_back(Effect{Effect::Kind::StartTimer, until, {}});
  return kOk;
}

Outcome on_propose_long_break(Change& c, int64_t return_ms) {
  if (auto r = need_partner(c)) return r;
  State& s = c.s;
  if (s.phase() != v1::PHASE_PAUSED) {
    return refuse(R::REFUSAL_CODE_NOT_PAUSED, "A long break starts from a pause. Call a pause first.");
  }
  if (return_ms <= c.now + int64_t{s.settings().min_pause_seconds()} * 1000) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "A long break should last longer than a regular pause.");
  }
  if (return_ms > c.now + kMaxLongBreakMs) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "Please pick a time to come back within the next 24 hours.");
  }
  s.mutable_pause()->set_long_break_proposed_by(c.role);
  s.mutable_pause()->set_long_break_return_ms(return_ms);
  return kOk;
}

Outcome on_accept_long_break(Change& c) {
  if (auto r = need_partner(c)) return r;
  State& s = c.s;
  if (s.phase() != v1::PHASE_PAUSED || s.pause().long_break_proposed_by() == v1::ROLE_UNSPECIFIED) {
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT, "Nobody has suggested a long break.");
  }
  if (s.pause().long_break_proposed_by() == c.role) {
    return refuse(R::REFUSAL_CODE_NOTHING_TO_ACCEPT,
                  "This was your suggestion; your partner gets to say yes to it.");
  }
  s.set_phase(v1::PHASE_LONG_BREAK);
  return kOk;
}

Outcome on_return_from_break(Change& c) {
  if (auto r = need_partner(c)) return r;
  State& s = c.s;
  if (s.phase() != v1::PHASE_LONG_BREAK)
    return refuse(R::REFUSAL_CODE_NOT_PAUSED, "You're not on a long break.");
  s.set_phase(v1::PHASE_PAUSED);
  s.mutable_pause()->set_min_until_ms(c.now);
  end_pause(c);
  return kOk;
}

Outcome on_exit(Change& c) {
  if (is_over(c.s.phase())) return refuse(R::REFUSAL_CODE_SESSION_OVER);
  end_session(c, v1::PHASE_ENDED);
  return kOk;
}

// --- The shell's own intents ------------------------------------------------

Outcome on_presence(Change& c, const v1::SetPresence& sp) {
  State& s = c.s;
  v1::Participant* p = find_mut(s, sp.participant_id());
  if (p == nullptr) return refuse(R::REFUSAL_CODE_BAD_INPUT, "That device isn't in the session.");
  if (p->connected() == sp.connected()) return refuse(R::REFUSAL_CODE_ALREADY_DONE, "Nothing changed.");
  p->set_connected(sp.connected());
  if (!p->admitted()) return kOk;
  if (!sp.connected()) {
    if (s.phase() == v1::PHASE_ACTIVE || s.phase() == v1::PHASE_CHECK_IN) {
      start_pause(c, v1::PAUSE_REASON_CONNECTION, false, gate_after_pause(s, true));
    }
    return kOk;
  }
  if (s.phase() == v1::PHASE_PAUSED && s.pause().reason() == v1::PAUSE_REASON_CONNECTION &&
      c.now >= s.pause().min_until_ms()) {
    end_pause(c);
  }
  try_start(c);
  return kOk;
}

Outcome on_timer(Change& c) {
  State& s = c.s;
  if (s.phase() != v1::PHASE_PAUSED || c.now < s.pause().min_until_ms()) {
    return refuse(R::REFUSAL_CODE_PAUSE_NOT_OVER, "No timer is due.");
  }
  if (!all_admitted_connected(s) && s.pause().reason() == v1::PAUSE_REASON_CONNECTION) {
    return refuse(R::REFUSAL_CODE_SOMEONE_AWAY);
  }
  end_pause(c);
  return kOk;
}

Outcome dispatch(Change& c, const Intent& intent, const Actor& actor) {
  using K = Intent::KindCase;
  const K kind = intent.kind_case();
  const bool shell_intent = kind == K::kSetPresence || kind == K::kTimerFired;
  if (actor.system != shell_intent)
    return refuse(R::REFUSAL_CODE_SYSTEM_ONLY,
                  actor.system ? "The shell only reports presence and timers." : "");
  if (kind == K::kSetPresence) return on_presence(c, intent.set_presence());
  if (kind == K::kTimerFired) return on_timer(c);
  if (kind == K::kJoin) return on_join(c, actor.id, intent.join());
  if (kind == K::KIND_NOT_SET) return refuse(R::REFUSAL_CODE_BAD_INPUT, "That request was empty.");

  c.me = find_mut(c.s, actor.id);
  if (c.me == nullptr) return refuse(R::REFUSAL_CODE_NOT_IN_SESSION);
  c.role = c.me->role();
  if (!c.me->admitted()) {
    const bool pending_ok =
        kind == K::kLeave || (is_partner(c.role) && (kind == K::kAdmit || kind == K::kDecline));
    if (!pending_ok) {
      return refuse(R::REFUSAL_CODE_NOT_ADMITTED, is_partner(c.role)
                                                      ? "You'll be in as soon as your partner lets you in."
                                                      : "You'll be in as soon as both partners let you in.");
    }
  }
  if (is_over(c.s.phase())) return refuse(R::REFUSAL_CODE_SESSION_OVER);

  switch (kind) {
    case K::kAdmit:
      return on_admit(c, intent.admit().participant_id(), true);
    case K::kDecline:
      return on_admit(c, intent.decline().participant_id(), false);
    case K::kLeave:
      return on_leave(c);
    case K::kProposeSettings:
      return on_propose_settings(c, intent.propose_settings().settings());
    case K::kSetReady:
      return on_set_ready(c, intent.set_ready().ready());
    case K::kShareWithCoach:
      return on_share_with_coach(c, intent.share_with_coach().share());
    case K::kConfirm:
      return on_confirm(c);
    case K::kCheckIn:
      return on_check_in(c, intent.check_in());
    case K::kOfferFirst:
      return on_propose_first(c, v1::FIRST_CHOICE_OFFER);
    case K::kRequestDraw:
      return on_propose_first(c, v1::FIRST_CHOICE_DRAW);
    case K::kAskCoach:
      return on_propose_first(c, v1::FIRST_CHOICE_ASK_COACH);
    case K::kAcceptFirst:
      return on_accept_first(c);
    case K::kAssignFirst:
      return on_assign_first(c, intent.assign_first().partner());
    case K::kWriteText:
      return on_write_text(c, intent.write_text().text());
    case K::kPassFloor:
      return on_pass_floor(c);
    case K::kFinishReflection:
      return on_finish_reflection(c);
    case K::kAnswerHeard:
      return on_answer(c, true);
    case K::kAnswerNotQuite:
      return on_answer(c, false);
    case K::kProposeGesture:
      return on_propose_gesture(c, intent.propose_gesture().text());
    case K::kAcceptGesture:
      return on_accept_gesture(c, intent.accept_gesture().gesture_id());
    case K::kCallPause:
      return on_call_pause(c);
    case K::kExtendPause:
      return on_extend_pause(c, intent.extend_pause().seconds());
    case K::kProposeLongBreak:
      return on_propose_long_break(c, intent.propose_long_break().return_ms());
    case K::kAcceptLongBreak:
      return on_accept_long_break(c);
    case K::kReturnFromBreak:
      return on_return_from_break(c);
    case K::kExit:
      return on_exit(c);
    case K::kJoin:
    case K::kSetPresence:
    case K::kTimerFired:
    case K::KIND_NOT_SET:
      break;
  }
  return refuse(R::REFUSAL_CODE_BAD_INPUT, "Attune doesn't know that request.");
}

}  // namespace

v1::Settings default_settings() {
  v1::Settings s;
  s.set_threshold(3);
  s.set_min_pause_seconds(120);
  s.set_long_break_seconds(1200);
  s.set_long_break_at_level(7);
  return s;
}

std::optional<v1::Refusal> check_settings(const v1::Settings& settings) {
  if (settings.threshold() < 1 || settings.threshold() > 9) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "The check-in threshold needs to be between 1 and 9.");
  }
  if (settings.min_pause_seconds() < 30 || settings.min_pause_seconds() > 3600) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "A pause should last between 30 seconds and an hour.");
  }
  if (settings.long_break_seconds() < 600 || settings.long_break_seconds() > 24 * 3600) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT, "A long break should last between 10 minutes and a day.");
  }
  if (settings.long_break_at_level() <= settings.threshold() || settings.long_break_at_level() > 10) {
    return refuse(R::REFUSAL_CODE_BAD_INPUT,
                  "The long-break level needs to be above the threshold and at most 10.");
  }
  return std::nullopt;
}

State new_session(std::string session_id, std::string session_name, const v1::Settings& settings,
                  std::string host_id, std::string host_name, v1::Role host_role, TimePoint now) {
  State s;
  s.set_session_id(std::move(session_id));
  s.set_session_name(std::move(session_name));
  *s.mutable_settings() = settings;
  s.set_step(v1::STEP_LOBBY);
  s.set_phase(v1::PHASE_LOBBY);
  s.set_step_started_ms(to_ms(now));
  auto* host = s.add_participants();
  host->set_id(std::move(host_id));
  host->set_display_name(std::move(host_name));
  host->set_role(host_role);
  host->set_host(true);
  host->set_connected(true);
  recompute_admission(s);
  return s;
}

Result apply(const State& state, const Intent& intent, const Actor& actor, TimePoint now) {
  Change c{state, to_ms(now), {}, nullptr, v1::ROLE_UNSPECIFIED};
  if (Outcome refusal = dispatch(c, intent, actor)) {
    return Result{state, std::move(refusal), {}};
  }
  c.s.set_version(c.s.version() + 1);
  return Result{std::move(c.s), std::nullopt, std::move(c.effects)};
}

State view_for(const State& state, std::string_view participant_id) {
  State v = state;
  if (v.has_gate()) {
    v.mutable_gate()->set_above_a(false);
    v.mutable_gate()->set_above_b(false);
  }
  const v1::Participant* me = find_participant(state, participant_id);
  if (me == nullptr || !me->admitted()) {
    // The waiting room sees who is here and the terms, nothing said in the session.
    v.clear_rounds();
    v.clear_own_turns();
    v.clear_reassure_turns();
    v.clear_gestures();
  }
  return v;
}

std::optional<v1::CheckIn> make_check_in(int level, const v1::Settings& settings) {
  if (level < 0 || level > 10) return std::nullopt;
  v1::CheckIn ci;
  ci.set_above_threshold(level > static_cast<int>(settings.threshold()));
  ci.set_long_break_hint(level >= static_cast<int>(settings.long_break_at_level()));
  return ci;
}

const v1::Participant* find_participant(const State& state, std::string_view id) {
  for (const auto& p : state.participants()) {
    if (p.id() == id) return &p;
  }
  return nullptr;
}

const v1::Participant* find_role(const State& state, v1::Role role) {
  for (const auto& p : state.participants()) {
    if (p.role() == role) return &p;
  }
  return nullptr;
}

v1::Role other_partner(v1::Role role) {
  if (role == v1::ROLE_PARTNER_A) return v1::ROLE_PARTNER_B;
  if (role == v1::ROLE_PARTNER_B) return v1::ROLE_PARTNER_A;
  return v1::ROLE_UNSPECIFIED;
}

bool is_partner(v1::Role role) { return role == v1::ROLE_PARTNER_A || role == v1::ROLE_PARTNER_B; }

bool awaits_from(const State& s, v1::Role role) {
  if (!is_partner(role)) return false;
  switch (s.phase()) {
    case v1::PHASE_LOBBY: {
      const auto* p = find_role(s, role);
      return p != nullptr && !p->ready();
    }
    case v1::PHASE_CHECK_IN:
      return role == v1::ROLE_PARTNER_A ? !s.gate().checked_in_a() : !s.gate().checked_in_b();
    case v1::PHASE_ACTIVE:
      switch (s.step()) {
        case v1::STEP_NAME_IT:
        case v1::STEP_BENEFIT:
          return !done_of(s, role);
        case v1::STEP_WHO_FIRST:
          return s.who_first().proposal() == v1::FIRST_CHOICE_UNSPECIFIED
                     ? !s.coach_asked()
                     : s.who_first().proposed_by() != role;
        case v1::STEP_SHARE:
        case v1::STEP_REFLECT:
        case v1::STEP_OWN_PATTERN:
        case v1::STEP_REASSURE:
          return s.floor() == role;
        case v1::STEP_RECONNECT:
          return true;
        case v1::STEP_UNSPECIFIED:
        case v1::STEP_LOBBY:
        case v1::STEP_GAUGE:
        case v1::STEP_COMPLETE:
        case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
        case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
          return false;
      }
      return false;
    case v1::PHASE_PAUSED:
    case v1::PHASE_LONG_BREAK:
    case v1::PHASE_COMPLETE:
    case v1::PHASE_ENDED:
    case v1::PHASE_UNSPECIFIED:
    case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
      return false;
  }
  return false;
}

}  // namespace attune
