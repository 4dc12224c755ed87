// Internal to the engine: what the files of common/attune/engine/ share. Not
// for shells or views; they include attune/engine.hpp.
//
//   apply.cpp         apply(), the intent switch, new sessions, settings, view_for
//   roles.cpp         the public look-ups and per-partner accessors
//   moves.cpp         the state's shared moves: steps, floor, gates, pauses, endings
//   guards.cpp        the checks many intents share (who, when, which step, text)
//   lobby.cpp         joining, letting in, leaving, settings, ready
//   steps.cpp         the nine steps' intents
//   pauses.cpp        pauses, long breaks and stopping
//   shell_intents.cpp presence and timers, from the host's own shell
//   quick_repair.cpp  the second kind of session
//   listening.cpp     deeper listening in step 6
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attune/engine.hpp"
#include "attune/refusals.hpp"

namespace attune::detail {

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
inline const Outcome kOk = std::nullopt;

// --- moves.cpp: writing the per-partner halves (only partners have one) ----
void set_done(State& s, v1::Role role, bool value);
void set_accepted_by(v1::Participant& device, v1::Role role, bool value);
void set_accepted_by(v1::Gesture& gesture, v1::Role role, bool value);
void record_check_in(v1::Gate& gate, v1::Role role, bool above);

// --- moves.cpp: the state's shared moves -------------------------------------
v1::Participant* find_mut(State& s, std::string_view id);
bool all_admitted_connected(const State& s);
bool is_over(v1::Phase phase);
// The one place `admitted` is decided, from the host bit and the yeses.
void recompute_admission(State& s);
v1::Round* current_round_mut(State& s);
google::protobuf::RepeatedPtrField<v1::Turn>* turns_of(State& s);
// The one place the floor is decided: who holds it in this step while the
// session runs, nobody at a gate or at the end. A pause leaves it as it was.
void refresh_floor(State& s);
void enter_step(Change& c, v1::Step step);
v1::Gate fresh_gate(v1::Step target, bool resume);
void open_gate(Change& c, v1::Step target);
v1::Gate gate_after_pause(const State& s, bool keep_check_ins);
void start_pause(Change& c, v1::PauseReason reason, bool long_break_hint, v1::Gate after);
void end_pause(Change& c);
void end_session(Change& c, v1::Phase phase);
void try_start(Change& c);
// Takes a device out of the lobby (declined, or it left): its link closes,
// and whatever a removed partner had agreed to goes with them.
void remove_participant(Change& c, const std::string& id);

// --- guards.cpp ----------------------------------------------------------------
Outcome need_partner(const Change& c);
Outcome need_lobby(const Change& c);
Outcome need_active(const Change& c);  // Running, not at a gate or pause.
Outcome need_partner_active(const Change& c);
Outcome need_step(const Change& c, std::initializer_list<v1::Step> steps);
Outcome need_floor(const Change& c);
Outcome check_text(std::string_view text, std::size_t max_bytes, bool allow_empty);
Outcome check_step_text(std::string_view text);  // What a step's writing box may hold.

// --- lobby.cpp -----------------------------------------------------------------
Outcome on_join(Change& c, const std::string& id, const v1::Join& j);
Outcome on_admit(Change& c, const std::string& target_id);
Outcome on_decline(Change& c, const std::string& target_id);
Outcome on_leave(Change& c);
Outcome on_propose_settings(Change& c, const v1::Settings& settings);
Outcome on_set_ready(Change& c, bool ready);
Outcome on_share_with_coach(Change& c, bool share);

// --- steps.cpp -----------------------------------------------------------------
Outcome on_confirm(Change& c);
Outcome on_check_in(Change& c, const v1::CheckIn& ci);
Outcome on_propose_first(Change& c, v1::FirstChoice choice);
Outcome on_accept_first(Change& c);
Outcome on_assign_first(Change& c, v1::Role partner);
Outcome on_write_text(Change& c, const std::string& raw);
Outcome on_pass_floor(Change& c);
Outcome on_finish_reflection(Change& c);
Outcome on_answer(Change& c, bool heard);
Outcome on_propose_gesture(Change& c, const std::string& text);
Outcome on_accept_gesture(Change& c, uint32_t id);

// --- pauses.cpp ----------------------------------------------------------------
Outcome on_call_pause(Change& c);
Outcome on_extend_pause(Change& c, uint32_t seconds);
Outcome on_propose_long_break(Change& c, int64_t return_ms);
Outcome on_accept_long_break(Change& c);
Outcome on_return_from_break(Change& c);
Outcome on_exit(Change& c);

// --- shell_intents.cpp ---------------------------------------------------------
Outcome on_presence(Change& c, const v1::SetPresence& sp);
Outcome on_timer(Change& c);

// --- quick_repair.cpp ----------------------------------------------------------
Outcome check_kind(const v1::Settings& settings);  // The kind and repairer fit together.
bool is_quick(const State& s);                     // A quick repair still running as one.
bool is_quick_step(v1::Step step);                 // ACKNOWLEDGE, OWN_PART, OTHER_PART.
v1::Role quick_floor(const State& s);              // Who holds the floor in a quick step.
v1::Step after_first_check_in(const State& s);     // The step the gate after NAME_IT unlocks.
// Handles the intent when it belongs to a quick repair; nullopt lets the
// nine-step rules decide it.
std::optional<Outcome> quick_dispatch(Change& c, const Intent& intent);

// --- listening.cpp: deeper listening in step 6 ------------------------------
v1::Role reflect_floor(const v1::Round& round);  // Who holds the floor in Reflect.
std::optional<Outcome> listening_dispatch(Change& c, const Intent& intent);

}  // namespace attune::detail
