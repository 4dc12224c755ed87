// The session rules table in proto/README.md, generated from the engine.
//
// It walks a whole session (lobby to complete, plus pauses, a long break, a
// dropped device and a discreet exit) through attune::apply, and in each
// situation tries every intent from every sender. A row lists an intent that
// at least one sender may send there; each cell is what apply() did: the
// fields of the state it changed (and the effects it asked for), or the
// refusal code. After the table, per situation, the codes of every intent no
// sender may send there (refused_intents.hpp), so every intent from every
// sender has its answer. So the table is the engine's behaviour, not a
// description.
#pragma once

#include <string>
#include <vector>

namespace attune::contract {

struct SessionRules {
  std::string table;                  // Markdown, as committed in proto/README.md.
  std::vector<std::string> problems;  // The walk was refused somewhere, or a stated rule failed.
};

SessionRules session_rules();

}  // namespace attune::contract
