// Words for feelings and needs, grouped so a person who was never taught
// them can find one quickly. Pure data plus a forgiving search.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace attune::language {

struct WordGroup {
  std::string_view name;  // e.g. "Scared", "Connection".
  std::string_view hint;  // One short line about the group.
  std::vector<std::string_view> words;
};

// Feelings, grouped by family: the hard ones first, then the easier ones.
const std::vector<WordGroup>& feelings();

// Needs, grouped by what they are about.
const std::vector<WordGroup>& needs();

// Groups filtered by a search text: a group whose name matches keeps all its
// words; otherwise only words containing the text (case-insensitive) stay.
// Empty groups are dropped. An empty query returns everything.
std::vector<WordGroup> search(const std::vector<WordGroup>& groups, std::string_view query);

}  // namespace attune::language
