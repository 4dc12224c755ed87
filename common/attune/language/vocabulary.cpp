#include "attune/language/vocabulary.hpp"

#include <algorithm>
#include <cctype>

namespace attune::language {

const std::vector<WordGroup>& feelings() {
  static const std::vector<WordGroup> groups = {
      {"Scared",
       "when something feels unsafe or uncertain",
       {"afraid", "anxious", "nervous", "worried", "uneasy", "panicky", "insecure", "vulnerable"}},
      {"Sad",
       "when something is missing or lost",
       {"sad", "lonely", "hurt", "disappointed", "discouraged", "heartbroken", "low", "homesick"}},
      {"Angry",
       "when something matters and feels blocked",
       {"angry", "frustrated", "irritated", "annoyed", "resentful", "furious", "impatient", "bitter"}},
      {"Tense",
       "when the body is braced",
       {"tense", "stressed", "on edge", "restless", "jittery", "overwhelmed", "flooded", "cranky"}},
      {"Tired",
       "when there is little left",
       {"tired", "exhausted", "drained", "numb", "heavy", "worn out", "flat", "weary"}},
      {"Unsure",
       "when things are mixed up",
       {"confused", "torn", "unsure", "lost", "puzzled", "hesitant", "ambivalent", "stuck"}},
      {"Small",
       "when we turn on ourselves",
       {"embarrassed", "ashamed", "guilty", "self-conscious", "regretful", "exposed", "awkward", "sorry"}},
      {"Warm",
       "when we feel close",
       {"tender", "loving", "grateful", "moved", "close", "affectionate", "touched", "thankful"}},
      {"Calm",
       "when the body settles",
       {"calm", "relieved", "safe", "settled", "content", "peaceful", "relaxed", "at ease"}},
      {"Hopeful",
       "when things open up",
       {"hopeful", "encouraged", "curious", "open", "eager", "optimistic", "glad", "inspired"}},
  };
  return groups;
}

const std::vector<WordGroup>& needs() {
  static const std::vector<WordGroup> groups = {
      {"Connection",
       "being close and known",
       {"closeness", "to be heard", "to be seen", "understanding", "warmth", "affection", "belonging",
        "company"}},
      {"Safety",
       "being able to rely on things",
       {"trust", "reliability", "honesty", "reassurance", "predictability", "stability", "protection",
        "calm"}},
      {"Respect",
       "being taken into account",
       {"respect", "consideration", "fairness", "appreciation", "to be taken seriously", "recognition",
        "equality", "acceptance"}},
      {"Freedom",
       "having room to choose",
       {"space", "choice", "independence", "time to myself", "privacy", "spontaneity", "ease",
        "my own pace"}},
      {"Rest", "having enough", {"rest", "sleep", "quiet", "support", "help", "a break", "comfort", "care"}},
      {"Meaning",
       "what makes it worth it",
       {"shared purpose", "growth", "play", "fun", "celebration", "contribution", "hope", "teamwork"}},
  };
  return groups;
}

namespace {

bool contains_folded(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  auto fold = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [&](char a, char b) { return fold(a) == fold(b); });
  return it != haystack.end();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<WordGroup> search(const std::vector<WordGroup>& groups, std::string_view query) {
  query = trim(query);
  std::vector<WordGroup> out;
  for (const WordGroup& group : groups) {
    if (contains_folded(group.name, query)) {
      out.push_back(group);
      continue;
    }
    WordGroup kept{group.name, group.hint, {}};
    for (std::string_view word : group.words) {
      if (contains_folded(word, query)) kept.words.push_back(word);
    }
    if (!kept.words.empty()) out.push_back(std::move(kept));
  }
  return out;
}

}  // namespace attune::language
