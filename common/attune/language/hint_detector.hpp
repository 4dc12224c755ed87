// Gentle hints for written shares: blame language ("you always", "you made
// me") and thoughts dressed as feelings ("I felt ignored"). Pure text
// analysis; it never blocks anything, it only offers another way to say it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attune::language {

enum class HintKind {
  Blame,             // Speaks about the other's faults or intent.
  ThoughtAsFeeling,  // A judgement about the other, phrased as a feeling.
};

struct Hint {
  HintKind kind;
  std::size_t begin = 0;  // Byte range of the phrase in the text.
  std::size_t end = 0;
  std::string phrase;      // The phrase as written.
  std::string suggestion;  // A warm, short alternative to consider.
};

// Finds hints in UTF-8 text, in order of appearance; at most one per phrase.
std::vector<Hint> find_hints(std::string_view text);

}  // namespace attune::language
