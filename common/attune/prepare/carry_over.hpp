// What a person already said in a quick repair that grew into the whole
// conversation, to start their step-7 turn ("own your part") from. Pure.
#pragma once

#include <string>

#include "attune/engine.hpp"

namespace attune::prepare {

// The part `me` named in the quick repair (the repairer's own part, or the
// other's, if they named one), when the session moved into the nine steps;
// empty otherwise.
std::string said_in_quick_repair(const State& state, v1::Role me);

}  // namespace attune::prepare
