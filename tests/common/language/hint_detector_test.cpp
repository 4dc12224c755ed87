#include "attune/language/hint_detector.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace attune::language {
namespace {

TEST(HintDetector, CalmOwnExperienceGetsNoHint) {
  EXPECT_TRUE(find_hints("I felt lonely when the plans changed, and I needed to hear from you.").empty());
  EXPECT_TRUE(find_hints("").empty());
  EXPECT_TRUE(find_hints("   ...  ").empty());
}

TEST(HintDetector, FlagsAlwaysAndNeverWithTheirPosition) {
  const std::string text = "Honestly you always do this, and you never ask.";
  const auto hints = find_hints(text);
  ASSERT_EQ(hints.size(), 2u);
  EXPECT_EQ(hints[0].kind, HintKind::Blame);
  EXPECT_EQ(hints[0].phrase, "you always");
  EXPECT_EQ(text.substr(hints[0].begin, hints[0].end - hints[0].begin), "you always");
  EXPECT_EQ(hints[1].phrase, "you never");
  EXPECT_FALSE(hints[1].suggestion.empty());
}

TEST(HintDetector, IsCaseInsensitiveAndKeepsOriginalSpelling) {
  const auto hints = find_hints("YOU MADE ME feel small.");
  ASSERT_EQ(hints.size(), 1u);
  EXPECT_EQ(hints[0].phrase, "YOU MADE ME");
}

TEST(HintDetector, CurlyApostrophesCount) {
  const auto hints = find_hints("You\u2019re so careless with plans.");
  ASSERT_EQ(hints.size(), 1u);
  EXPECT_EQ(hints[0].kind, HintKind::Blame);
  EXPECT_EQ(hints[0].phrase, "You\u2019re so");
}

TEST(HintDetector, ThoughtsDressedAsFeelings) {
  const auto hints = find_hints("I felt so ignored at dinner.");
  ASSERT_EQ(hints.size(), 1u);
  EXPECT_EQ(hints[0].kind, HintKind::ThoughtAsFeeling);
  EXPECT_EQ(hints[0].phrase, "ignored");
  EXPECT_NE(hints[0].suggestion.find("lonely"), std::string::npos);
}

TEST(HintDetector, MultiWordThoughts) {
  const auto hints = find_hints("I feel taken for granted, and I felt let down.");
  ASSERT_EQ(hints.size(), 2u);
  EXPECT_EQ(hints[0].phrase, "taken for granted");
  EXPECT_EQ(hints[1].phrase, "let down");
  // "let" alone is not a thought word.
  EXPECT_TRUE(find_hints("I felt let in on the secret.").empty());
}

TEST(HintDetector, FeelLikeYouIsAThoughtAboutThem) {
  const auto hints = find_hints("I feel like you don't listen.");
  ASSERT_FALSE(hints.empty());
  EXPECT_EQ(hints[0].phrase, "I feel like you");
}

TEST(HintDetector, ThoughtWordsWithoutFeelAreLeftAlone) {
  // Describing an event is not a disguised feeling.
  EXPECT_TRUE(find_hints("The email was ignored by the office.").empty());
}

constexpr HintChecks kAnswers{true, true};  // Own part, acknowledgment: both sets.

TEST(DefenceHints, CatchTheUsualDefences) {
  for (const std::string text :
       {"I didn't mean it that way.", "Honestly, you're too sensitive about this.",
        "That's not what happened at all.", "Okay, but you also raised your voice.",
        "If you hadn't shouted, I wouldn't have left.", "I only did it because I was tired.",
        "I'm sorry if you felt hurt.", "I never meant to upset you.", "You took it the wrong way.",
        "It was just a joke.", "You're overreacting.", "I did not mean to.", "Sorry you feel that way.",
        "The only reason I left was the noise.", "In my defence, the train was late."}) {
    const auto hints = find_hints(text, kAnswers);
    ASSERT_EQ(hints.size(), 1u) << text;
    EXPECT_EQ(hints[0].kind, HintKind::Defence) << text;
    EXPECT_NE(hints[0].suggestion.find("?"), std::string::npos) << "a gentle question: " << text;
    EXPECT_NE(hints[0].suggestion.find("defence"), std::string::npos) << "says it may land as a defence";
    EXPECT_NE(hints[0].suggestion.find("felt"), std::string::npos) << "points to what they felt: " << text;
  }
}

TEST(DefenceHints, NameThePhraseWhereItStands) {
  const std::string text = "I get it. But you also forgot, and I didn\u2019t mean it.";
  const auto hints = find_hints(text, {false, true});
  ASSERT_EQ(hints.size(), 2u);
  EXPECT_EQ(hints[0].phrase, "But you also");
  EXPECT_EQ(text.substr(hints[0].begin, hints[0].end - hints[0].begin), "But you also");
  EXPECT_EQ(hints[1].phrase, "I didn\u2019t mean");
  EXPECT_NE(hints[1].suggestion.find("what they felt"), std::string::npos);
  EXPECT_EQ(find_hints("You're too sensitive.", {false, true})[0].phrase, "You're too sensitive");
  const auto only = find_hints("I only said that because I panicked.", {false, true});
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].phrase, "I only said that because");
}

TEST(DefenceHints, StayOutOfSharesUnlessAsked) {
  // A share is about my own experience; defences are looked for in answers.
  EXPECT_TRUE(find_hints("I didn't mean to cry.").empty());
  EXPECT_FALSE(find_hints("I didn't mean to cry.", {false, true}).empty());
}

TEST(DefenceHints, TheWordsAreGentle) {
  const std::set<std::string> harsh = {"wrong", "bad", "stop", "don't", "never", "must", "should"};
  for (const std::string text : {"I didn't mean it", "you're too sensitive", "that's not what happened",
                                 "but you also", "if you hadn't", "I only did it because", "sorry if you felt"}) {
    for (const auto& h : find_hints(text, {false, true})) {
      for (const auto& word : harsh) {
        EXPECT_EQ((" " + h.suggestion + " ").find(" " + word + " "), std::string::npos)
            << "'" << word << "' in: " << h.suggestion;
      }
    }
  }
}

TEST(HintDetector, MirroringTheOthersWordsIsNotAThoughtAsFeeling) {
  // "You felt ignored" reflects the other's words back; it's not my judgement.
  EXPECT_TRUE(find_hints("I see that you felt ignored when I turned the TV on.").empty());
  EXPECT_FALSE(find_hints("I felt ignored when you turned the TV on.").empty());
  // Saying it was not their fault is the opposite of blame.
  EXPECT_TRUE(find_hints("It wasn't your fault.").empty());
  EXPECT_FALSE(find_hints("It was your fault.").empty());
}

std::vector<std::string> kind_sentences() {
  std::ifstream in(ATTUNE_KIND_SENTENCES);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

// At least 200 ordinary, kind sentences. The new defence hints flag none of
// them; the older share hints flag only the ones listed here, each kept on
// purpose (see the reason).
TEST(HintCorpus, KindSentencesGetNoHint) {
  const auto sentences = kind_sentences();
  ASSERT_GE(sentences.size(), 200u) << "read from " << ATTUNE_KIND_SENTENCES;
  const std::map<std::string, std::string> kept = {
      // "you always/never" is what the share hint is for; praise phrased the
      // same way gets a soft question, never a block.
      {"You always make me laugh when I need it.", "\"you always\" (share hint)"},
      {"You never have to earn my love.", "\"you never\" (share hint)"},
      {"You're so thoughtful with the kids.", "\"you're so\" (share hint)"},
      {"You are so important to me.", "\"you are so\" (share hint)"},
      // "I feel criticised" names a judgement; the hint asks what sits
      // underneath (hurt, discouraged), which helps in owning a part too.
      {"I go quiet when I feel criticised, and I'd like to stay instead.", "\"criticised\""},
      // A guess at the other's wish is exactly what the hint is about, even
      // when meant kindly.
      {"I tend to fix things when you just want to be heard.", "\"you just want\""},
  };
  int defence_hits = 0, share_hits = 0;
  for (const auto& text : sentences) {
    const auto defences = find_hints(text, {false, true});
    defence_hits += static_cast<int>(defences.size());
    EXPECT_TRUE(defences.empty()) << "defence hint on a kind sentence: " << text << " -> " << defences[0].phrase;
    const auto all = find_hints(text, kAnswers);
    if (all.empty()) continue;
    ++share_hits;
    EXPECT_TRUE(kept.count(text)) << "hint on a kind sentence: " << text << " -> " << all[0].phrase;
  }
  RecordProperty("sentences", static_cast<int>(sentences.size()));
  RecordProperty("defence_false_positives", defence_hits);
  RecordProperty("share_hint_false_positives", share_hits);
  std::cout << "kind sentences: " << sentences.size() << ", defence-hint false positives: " << defence_hits
            << ", older share-hint false positives: " << share_hits << "\n";
  EXPECT_EQ(share_hits, static_cast<int>(kept.size()));
}

}  // namespace
}  // namespace attune::language
