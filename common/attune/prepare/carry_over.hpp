// Where a real session meets what this device holds for its person: the
// part a step asks of them now (to offer their prepared draft), and what
// they already said in a quick repair that grew into the whole conversation
// (to start their step-7 turn, "own your part", from). Pure.
#pragma once

#include <optional>
#include <string>

#include "attune/prepare/preparation.hpp"

#include "attune/engine.hpp"

namespace attune::prepare {

// The part `me` named in the quick repair (the repairer's own part, or the
// other's, if they named one), when the session moved into the nine steps;
// empty otherwise.
std::string said_in_quick_repair(const State& state, v1::Role me);

// The part the session asks of `me` right now, if a preparation can help:
// the step is one of those prepared and it is `me` who is asked to act.
std::optional<Part> part_asked_of(const State& state, v1::Role me);

// Names this moment of the session (phase, step, round, who holds the floor), so a
// draft is offered once per moment, not on every change.
std::string offer_moment(const State& state);

}  // namespace attune::prepare
