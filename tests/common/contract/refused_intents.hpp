// The other half of the session rules appendix: per situation, the code each
// sender gets for every intent that no sender may send there (the intents the
// table gives no row), so a second host can answer them exactly as this one.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace attune::contract {

// One intent refused for every sender, with each sender's code, in the
// columns its row would have had: ("A", "WRONG_STEP"), ("shell", ...).
struct Refused {
  std::string label;
  std::vector<std::pair<std::string, std::string>> codes;
};

// One situation's refusals as a list item: intents with the same codes are
// grouped, "`X`, `Y` → CODE · `Z` → A, B: CODE; coach: CODE".
std::string refused_item(const std::string& situation, const std::vector<Refused>& refused);

}  // namespace attune::contract
