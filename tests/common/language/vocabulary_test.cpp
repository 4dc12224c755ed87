#include "attune/language/vocabulary.hpp"

#include <gtest/gtest.h>

#include <set>

namespace attune::language {
namespace {

TEST(Vocabulary, GroupsAreNamedAndNotEmpty) {
  for (const auto* groups : {&feelings(), &needs()}) {
    ASSERT_GE(groups->size(), 5u);
    for (const WordGroup& g : *groups) {
      EXPECT_FALSE(g.name.empty());
      EXPECT_FALSE(g.hint.empty());
      EXPECT_GE(g.words.size(), 4u) << g.name;
    }
  }
}

TEST(Vocabulary, NoFeelingWordAppearsTwice) {
  std::set<std::string_view> seen;
  for (const WordGroup& g : feelings())
    for (auto w : g.words) EXPECT_TRUE(seen.insert(w).second) << w;
}

TEST(Vocabulary, EmptySearchReturnsEverything) {
  EXPECT_EQ(search(feelings(), "").size(), feelings().size());
  EXPECT_EQ(search(needs(), "   ").size(), needs().size());
}

TEST(Vocabulary, SearchFindsWordsAcrossGroupsCaseInsensitively) {
  const auto found = search(feelings(), "LONE");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "Sad");
  ASSERT_EQ(found[0].words.size(), 1u);
  EXPECT_EQ(found[0].words[0], "lonely");
}

TEST(Vocabulary, SearchByGroupNameKeepsTheWholeGroup) {
  const auto found = search(needs(), "safety");
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].name, "Safety");
  EXPECT_EQ(found[0].words.size(), needs()[1].words.size());
}

TEST(Vocabulary, SearchWithNoMatchIsEmpty) { EXPECT_TRUE(search(feelings(), "xylophone").empty()); }

}  // namespace
}  // namespace attune::language
