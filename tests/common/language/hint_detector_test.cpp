#include "attune/language/hint_detector.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace attune::language
