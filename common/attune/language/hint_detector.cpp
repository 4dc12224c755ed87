#include "attune/language/hint_detector.hpp"

#include <array>
#include <cctype>
#include <optional>

namespace attune::language {

namespace {

struct Token {
  std::string word;  // Lower-case ASCII, curly apostrophes made straight.
  std::size_t begin;
  std::size_t end;
};

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c == '\'' || c == '-'; }

// Splits into words, keeping byte offsets into the original text. The UTF-8
// right single quote (E2 80 99) counts as an apostrophe, as phones type it.
std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    auto at_curly = [&](std::size_t k) {
      return k + 2 < text.size() && static_cast<unsigned char>(text[k]) == 0xE2 &&
             static_cast<unsigned char>(text[k + 1]) == 0x80 &&
             static_cast<unsigned char>(text[k + 2]) == 0x99;
    };
    if (!is_word_byte(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    Token t{{}, i, i};
    while (i < text.size()) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (is_word_byte(c)) {
        t.word.push_back(static_cast<char>(std::tolower(c)));
        ++i;
      } else if (at_curly(i) && !t.word.empty()) {
        t.word.push_back('\'');
        i += 3;
      } else {
        break;
      }
    }
    while (!t.word.empty() && (t.word.back() == '\'' || t.word.back() == '-')) t.word.pop_back();
    t.end = i;
    if (!t.word.empty()) tokens.push_back(std::move(t));
  }
  return tokens;
}

struct BlamePattern {
  std::array<std::string_view, 4> words;  // Empty entries end the pattern.
  std::string_view suggestion;
};

// Phrases that talk about the other person's faults or intent.
const std::vector<BlamePattern>& blame_patterns() {
  static const std::vector<BlamePattern> patterns = {
      {{"you", "always"},
       "\"Always\" can make it hard to listen. Maybe name this one time, and how it felt?"},
      {{"you're", "always"},
       "\"Always\" can make it hard to listen. Maybe name this one time, and how it felt?"},
      {{"you", "are", "always"},
       "\"Always\" can make it hard to listen. Maybe name this one time, and how it felt?"},
      {{"you", "never"},
       "\"Never\" can make it hard to listen. Maybe name this one time, and what you needed?"},
      {{"you", "made", "me"}, "Try \"I felt ... when ...\": it keeps the feeling yours and easier to hear."},
      {{"you", "make", "me"}, "Try \"I feel ... when ...\": it keeps the feeling yours and easier to hear."},
      {{"because", "of", "you"}, "Maybe say what happened and what it stirred in you?"},
      {{"your", "fault"}, "Fault is hard to hear. What did you feel, and what did you need?"},
      {{"you", "should", "have"}, "Maybe say what you were hoping for instead?"},
      {{"you", "should've"}, "Maybe say what you were hoping for instead?"},
      {{"you", "don't", "even"}, "Maybe say what you longed for in that moment?"},
      {{"you", "don't", "care"}, "That is a guess about their heart. What did you feel when it happened?"},
      {{"you", "just", "want"}, "That is a guess about their intent. What did you feel?"},
      {{"you", "did", "it", "on"}, "That is a guess about their intent. What did you feel?"},
      {{"you're", "so"}, "Describing them can sound like a verdict. What did you feel?"},
      {{"you", "are", "so"}, "Describing them can sound like a verdict. What did you feel?"},
      {{"what's", "wrong", "with", "you"},
       "That question can land as an attack. What is hurting you right now?"},
      {{"i", "feel", "like", "you"},
       "\"I feel like you...\" shares a thought about them. What did you feel inside?"},
      {{"i", "felt", "like", "you"},
       "\"I felt like you...\" shares a thought about them. What did you feel inside?"},
      {{"i", "feel", "that", "you"},
       "\"I feel that you...\" shares a thought about them. What did you feel inside?"},
      {{"i", "felt", "that", "you"},
       "\"I felt that you...\" shares a thought about them. What did you feel inside?"},
  };
  return patterns;
}

constexpr std::string_view kIntent =
    "This may land as a defence, even if it's true. Your intent can wait: maybe name what they felt first?";
constexpr std::string_view kTheirFeelings =
    "This may land as a defence, and as a verdict on their feelings. Maybe say what you see they felt?";
constexpr std::string_view kMemory =
    "This may land as a defence. You can remember it differently later; for now, what do you see they felt?";
constexpr std::string_view kTheirPart =
    "This may land as a defence. Their part can have its own moment; for now, maybe stay with what they felt?";
constexpr std::string_view kReasons =
    "Reasons may land as a defence right now. Maybe name what they felt first?";
constexpr std::string_view kSorryIf =
    "\"Sorry if\" may land as a defence. Maybe \"I'm sorry I hurt you when...\", and what they felt?";
constexpr std::string_view kJoke =
    "This may land as a defence; a joke can still sting. Maybe name how it felt for them?";

// Explanations that may land as a defence when the other needs to be seen.
const std::vector<BlamePattern>& defence_patterns() {
  static const std::vector<BlamePattern> patterns = {
      {{"i", "didn't", "mean"}, kIntent},
      {{"i", "did", "not", "mean"}, kIntent},
      {{"i", "never", "meant"}, kIntent},
      {{"i", "wasn't", "trying", "to"}, kIntent},
      {{"wasn't", "my", "intention"}, kIntent},
      {{"you're", "too", "sensitive"}, kTheirFeelings},
      {{"you", "are", "too", "sensitive"}, kTheirFeelings},
      {{"too", "sensitive"}, kTheirFeelings},
      {{"you're", "overreacting"}, kTheirFeelings},
      {{"you", "are", "overreacting"}, kTheirFeelings},
      {{"you're", "being", "dramatic"}, kTheirFeelings},
      {{"you", "misunderstood"}, kTheirFeelings},
      {{"the", "wrong", "way"}, kTheirFeelings},
      {{"that's", "not", "what", "happened"}, kMemory},
      {{"that", "is", "not", "what"}, kMemory},
      {{"that's", "not", "how", "it"}, kMemory},
      {{"it", "wasn't", "like", "that"}, kMemory},
      {{"but", "you", "also"}, kTheirPart},
      {{"but", "you", "too"}, kTheirPart},
      {{"but", "you", "did"}, kTheirPart},
      {{"but", "you", "started"}, kTheirPart},
      {{"if", "you", "hadn't"}, kTheirPart},
      {{"if", "you", "had", "not"}, kTheirPart},
      {{"if", "you", "didn't"}, kTheirPart},
      {{"if", "you", "wouldn't"}, kTheirPart},
      {{"the", "only", "reason", "i"}, kReasons},
      {{"in", "my", "defence"}, kReasons},
      {{"in", "my", "defense"}, kReasons},
      {{"sorry", "if", "you"}, kSorryIf},
      {{"sorry", "if", "that"}, kSorryIf},
      {{"sorry", "you", "feel", "that"}, kSorryIf},
      {{"sorry", "you", "felt", "that"}, kSorryIf},
      {{"just", "a", "joke"}, kJoke},
      {{"just", "joking"}, kJoke},
      {{"only", "joking"}, kJoke},
  };
  return patterns;
}

// The pattern starting at token i, if any; sets *last to its last token.
const BlamePattern* match_at(const std::vector<BlamePattern>& patterns, const std::vector<Token>& tokens,
                             std::size_t i, std::size_t* last) {
  for (const BlamePattern& p : patterns) {
    std::size_t n = 0;
    while (n < p.words.size() && !p.words[n].empty()) ++n;
    if (i + n > tokens.size()) continue;
    bool match = true;
    for (std::size_t k = 0; k < n && match; ++k) match = tokens[i + k].word == p.words[k];
    if (!match) continue;
    *last = i + n - 1;
    return &p;
  }
  return nullptr;
}

// "I only did it because", "I only said that because": "I only" with a
// "because" close behind.
bool only_because(const std::vector<Token>& tokens, std::size_t i, std::size_t* last) {
  if (i + 2 >= tokens.size() || tokens[i].word != "i" || tokens[i + 1].word != "only") return false;
  for (std::size_t k = i + 2; k < tokens.size() && k <= i + 5; ++k) {
    if (tokens[k].word == "because") {
      *last = k;
      return true;
    }
  }
  return false;
}

struct ThoughtWord {
  std::string_view word;
  std::string_view feelings;  // Feelings that often sit underneath.
};

// Words that describe what someone did to us rather than what we feel.
const std::vector<ThoughtWord>& thought_words() {
  static const std::vector<ThoughtWord> words = {
      {"abandoned", "scared or lonely"},
      {"ignored", "lonely or hurt"},
      {"manipulated", "uneasy or wary"},
      {"rejected", "hurt or sad"},
      {"betrayed", "hurt or shaken"},
      {"attacked", "scared or defensive"},
      {"criticized", "hurt or discouraged"},
      {"criticised", "hurt or discouraged"},
      {"blamed", "hurt or frustrated"},
      {"unappreciated", "sad or discouraged"},
      {"used", "hurt or resentful"},
      {"neglected", "lonely or sad"},
      {"judged", "embarrassed or hurt"},
      {"controlled", "frustrated or tense"},
      {"dismissed", "hurt or frustrated"},
      {"invisible", "lonely or sad"},
      {"unheard", "lonely or frustrated"},
      {"disrespected", "hurt or angry"},
      {"pressured", "tense or anxious"},
      {"smothered", "tense or restless"},
      {"unloved", "sad or lonely"},
      {"unwanted", "sad or lonely"},
      {"belittled", "hurt or small"},
      {"provoked", "angry or tense"},
      {"misunderstood", "lonely or frustrated"},
      {"cheated", "hurt or angry"},
      {"excluded", "lonely or hurt"},
      {"interrupted", "frustrated or unheard"},
      {"patronized", "irritated or small"},
      {"patronised", "irritated or small"},
      {"insulted", "hurt or angry"},
      {"let", "disappointed or sad"},
      {"put", "hurt or small"},
      {"taken", "hurt or tired"},
  };
  return words;
}

// Small words that may sit between "felt" and the thought word.
bool is_filler(std::string_view w) {
  static constexpr std::array<std::string_view, 13> fillers = {
      "so", "really", "very",  "totally", "completely", "kind", "of",
      "a",  "bit",    "quite", "just",    "pretty",     "like"};
  for (auto f : fillers)
    if (w == f) return true;
  return false;
}

bool is_negation(std::string_view w) {
  return w == "not" || w == "wasn't" || w == "isn't" || w == "never" || w == "no";
}

bool is_feel_word(std::string_view w) {
  return w == "feel" || w == "felt" || w == "feeling" || w == "feels" || w == "i'm" || w == "i've";
}

// Phrasal thought words that need a following word ("let down", "put down",
// "taken for granted").
bool completes_phrase(std::string_view word, const std::vector<Token>& tokens, std::size_t i,
                      std::size_t* last) {
  auto next = [&](std::size_t k) -> std::string_view {
    return k < tokens.size() ? std::string_view(tokens[k].word) : std::string_view();
  };
  if (word == "let" || word == "put") {
    if (next(i + 1) == "down") {
      *last = i + 1;
      return true;
    }
    return false;
  }
  if (word == "taken") {
    if (next(i + 1) == "for" && next(i + 2) == "granted") {
      *last = i + 2;
      return true;
    }
    return false;
  }
  *last = i;
  return true;
}

}  // namespace

std::vector<Hint> find_hints(std::string_view text, HintChecks checks) {
  const std::vector<Token> tokens = tokenize(text);
  std::vector<Hint> hints;
  std::size_t covered_until = 0;  // Token index: skip overlapping matches.

  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i < covered_until) continue;
    std::optional<Hint> found;
    std::size_t first = i;  // The highlighted phrase runs from first to last.
    std::size_t last = i;

    if (checks.defence) {
      if (const BlamePattern* p = match_at(defence_patterns(), tokens, i, &last)) {
        found = Hint{HintKind::Defence, 0, 0, {}, std::string(p->suggestion)};
      } else if (only_because(tokens, i, &last)) {
        found = Hint{HintKind::Defence, 0, 0, {}, std::string(kReasons)};
      }
    }
    // "It wasn't your fault" says the opposite of blame.
    const bool negated = i > 0 && is_negation(tokens[i - 1].word);
    if (!found && checks.blame && !negated) {
      if (const BlamePattern* p = match_at(blame_patterns(), tokens, i, &last)) {
        found = Hint{HintKind::Blame, 0, 0, {}, std::string(p->suggestion)};
      }
    }

    // "You felt ignored" mirrors the other's words back; only my own "I felt
    // ignored" is a thought dressed as a feeling.
    const bool about_them = i > 0 && tokens[i - 1].word == "you";
    if (!found && checks.blame && !about_them && is_feel_word(tokens[i].word)) {
      // "I felt ignored", "I'm feeling so unheard", "I've been abandoned".
      std::size_t k = i + 1;
      std::size_t skipped = 0;
      while (k < tokens.size() && skipped < 3 &&
             (is_filler(tokens[k].word) || tokens[k].word == "feeling" || tokens[k].word == "been" ||
              tokens[k].word == "being")) {
        ++k;
        ++skipped;
      }
      if (k < tokens.size()) {
        for (const ThoughtWord& t : thought_words()) {
          if (tokens[k].word != t.word) continue;
          std::size_t end_index = k;
          if (!completes_phrase(t.word, tokens, k, &end_index)) break;
          std::string phrase_word(text.substr(tokens[k].begin, tokens[end_index].end - tokens[k].begin));
          std::string suggestion = "\"" + phrase_word +
                                   "\" says what you think they did. Underneath, maybe " +
                                   std::string(t.feelings) + "?";
          found = Hint{HintKind::ThoughtAsFeeling, 0, 0, {}, std::move(suggestion)};
          first = k;
          last = end_index;
          break;
        }
      }
    }

    if (found) {
      found->begin = tokens[first].begin;
      found->end = tokens[last].end;
      found->phrase = std::string(text.substr(found->begin, found->end - found->begin));
      hints.push_back(std::move(*found));
      covered_until = last + 1;
    }
  }
  return hints;
}

}  // namespace attune::language
