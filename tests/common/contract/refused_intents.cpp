#include "refused_intents.hpp"

#include <algorithm>

namespace attune::contract {

namespace {

// "CODE" when every sender gets it, "shell: CODE" for a single sender,
// otherwise "A, B: CODE; coach: CODE" (senders in column order).
std::string codes_text(const std::vector<std::pair<std::string, std::string>>& codes) {
  const bool same = std::all_of(codes.begin(), codes.end(),
                                [&](const auto& c) { return c.second == codes.front().second; });
  if (same && codes.size() > 1) return codes.front().second;
  std::vector<std::string> order;  // Codes in the order of their first sender.
  for (const auto& c : codes)
    if (std::find(order.begin(), order.end(), c.second) == order.end()) order.push_back(c.second);
  std::string out;
  for (const std::string& code : order) {
    std::string senders;
    for (const auto& [sender, c] : codes)
      if (c == code) senders += (senders.empty() ? "" : ", ") + sender;
    out += (out.empty() ? "" : "; ") + senders + ": " + code;
  }
  return out;
}

}  // namespace

std::string refused_item(const std::string& situation, const std::vector<Refused>& refused) {
  std::vector<std::pair<std::string, std::string>> groups;  // (codes, "`X`, `Y`"), in sample order.
  for (const Refused& r : refused) {
    const std::string key = codes_text(r.codes);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
    if (it == groups.end()) {
      groups.emplace_back(key, "`" + r.label + "`");
    } else {
      it->second += ", `" + r.label + "`";
    }
  }
  std::string out = "- **" + situation + "**: ";
  if (groups.empty()) return out + "(every intent has a row)\n";
  for (std::size_t i = 0; i < groups.size(); ++i)
    out += (i ? " · " : "") + groups[i].second + " → " + groups[i].first;
  return out + "\n";
}

}  // namespace attune::contract
