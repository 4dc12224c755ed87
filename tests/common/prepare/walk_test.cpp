// The prepare-alone walk goes through the conversation's steps in order,
// with the hints and words where the real steps have them.
#include "attune/prepare/walk.hpp"

#include <gtest/gtest.h>

#include <set>

namespace attune::prepare {
namespace {

TEST(PrepareWalk, GoesThroughEveryStageInTheConversationsOrder) {
  std::vector<Stage> seen;
  Stage s = Stage::What;
  for (int i = 0; i < kStageCount + 2; ++i) {
    if (seen.empty() || seen.back() != s) seen.push_back(s);
    s = next_stage(s);
  }
  EXPECT_EQ(seen, (std::vector<Stage>{Stage::What, Stage::Activation, Stage::Generous, Stage::Share, Stage::OwnPart,
                                      Stage::Reassure, Stage::Gesture, Stage::Review}));
  EXPECT_EQ(previous_stage(Stage::What), Stage::What);
  EXPECT_EQ(previous_stage(Stage::Share), Stage::Generous);
  EXPECT_EQ(stage_number(Stage::Review), kStageCount);
}

TEST(PrepareWalk, EachWritingStageAsksForItsOwnPart) {
  std::set<Part> parts;
  for (int i = 0; i < kStageCount; ++i)
    if (auto part = part_of(static_cast<Stage>(i))) parts.insert(*part);
  EXPECT_EQ(parts.size(), kParts.size());
  EXPECT_FALSE(part_of(Stage::Activation));
  EXPECT_FALSE(part_of(Stage::Review));
}

TEST(PrepareWalk, TheShareHasBlameHintsAndWordsTheAnswersHaveDefenceHints) {
  EXPECT_TRUE(stage_info(Stage::Share).blame_hints);
  EXPECT_TRUE(stage_info(Stage::Share).vocabulary);
  EXPECT_FALSE(stage_info(Stage::Share).stems.empty());
  EXPECT_TRUE(stage_info(Stage::OwnPart).defence_hints);
  EXPECT_TRUE(stage_info(Stage::Reassure).defence_hints);
  for (int i = 0; i < kStageCount; ++i) EXPECT_FALSE(stage_info(static_cast<Stage>(i)).title.empty());
}

}  // namespace
}  // namespace attune::prepare
