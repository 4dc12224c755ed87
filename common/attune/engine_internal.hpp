// Internal to the engine: what engine.cpp shares with the files that hold one
// kind of session's rules (engine_quick_repair.cpp). Not for shells or views.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "attune/engine.hpp"

namespace attune::detail {

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

// From engine.cpp: the shared moves and guards.
void begin_step(Change& c, v1::Step step);
void gate_before(Change& c, v1::Step target);
Outcome guard_partner_active(const Change& c);
Outcome guard_floor(const Change& c);
Outcome check_step_text(std::string_view text);

// From engine_quick_repair.cpp.
Outcome check_kind(const v1::Settings& settings);  // The kind and repairer fit together.
bool is_quick(const State& s);                 // A quick repair still running as one.
bool is_quick_step(v1::Step step);             // ACKNOWLEDGE, OWN_PART, OTHER_PART.
v1::Role quick_floor(const State& s);          // Who holds the floor in a quick step.
v1::Step after_first_check_in(const State& s);  // The step the gate after NAME_IT unlocks.
// Handles the intent when it belongs to a quick repair; nullopt lets the
// nine-step rules decide it.
std::optional<Outcome> quick_dispatch(Change& c, const Intent& intent);

// From engine_listening.cpp: deeper listening in step 6.
v1::Role reflect_floor(const v1::Round& round);  // Who holds the floor in Reflect.
std::optional<Outcome> listening_dispatch(Change& c, const Intent& intent);

}  // namespace attune::detail
