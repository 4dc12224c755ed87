// The walk a person takes when preparing alone, one stage at a time, in the
// order of the real conversation: what happened, how activated they are
// (with the pacer if needed), a generous reading of the other, their share,
// their part, what they want to reassure, and a gesture. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "attune/prepare/preparation.hpp"

namespace attune::prepare {

enum class Stage { What, Activation, Generous, Share, OwnPart, Reassure, Gesture, Review };

struct StageInfo {
  std::string_view title;
  std::string_view guidance;
  std::vector<std::string_view> stems;  // Sentence starters, may be empty.
  bool blame_hints = false;             // Flag "you always", "you made me".
  bool defence_hints = false;           // Flag "I didn't mean", "but you also".
  bool vocabulary = false;              // Offer the feelings and needs picker.
};

const StageInfo& stage_info(Stage stage);
Stage next_stage(Stage stage);  // Review stays Review.
Stage previous_stage(Stage stage);  // What stays What.
int stage_number(Stage stage);      // 1..8.
inline constexpr int kStageCount = 8;
// The written part a stage asks for; none for Activation and Review.
std::optional<Part> part_of(Stage stage);

}  // namespace attune::prepare
