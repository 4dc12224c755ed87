// Gentle hints for written shares: blame language ("you always", "you made
// me") and thoughts dressed as feelings ("I felt ignored"); and, for what a
// partner writes in answer to the other (reflecting, owning a part,
// reassuring, acknowledging), defensive explanations ("I didn't mean",
// "you're too sensitive"). Pure text analysis; it never blocks anything, it
// only offers another way to say it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attune::language {

enum class HintKind {
  Blame,             // Speaks about the other's faults or intent.
  ThoughtAsFeeling,  // A judgement about the other, phrased as a feeling.
  Defence,           // Explains or defends oneself where the other's experience belongs.
};

// Which hints to look for.
struct HintChecks {
  bool blame = true;      // Blame and thoughts dressed as feelings (shares).
  bool defence = false;   // Defensive explanations (answers to the other).
};

struct Hint {
  HintKind kind;
  std::size_t begin = 0;  // Byte range of the phrase in the text.
  std::size_t end = 0;
  std::string phrase;      // The phrase as written.
  std::string suggestion;  // A warm, short alternative to consider.
};

// Finds hints in UTF-8 text, in order of appearance; at most one per phrase.
std::vector<Hint> find_hints(std::string_view text, HintChecks checks = {});

}  // namespace attune::language
