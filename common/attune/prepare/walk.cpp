#include "attune/prepare/walk.hpp"

#include <array>

namespace attune::prepare {

namespace {

const std::array<StageInfo, kStageCount>& stages() {
  static const std::array<StageInfo, kStageCount> list = {{
      {"What happened",
       "Put it down in a few plain words, just for you: when it was, what was said or done, what you "
       "noticed in yourself.",
       {},
       false,
       false,
       false},
      {"How activated are you?",
       "Notice your body for a moment. 0 is calm, 10 is overwhelmed. If it's high, breathe with the pacer "
       "before you go on; there's no hurry.",
       {},
       false,
       false,
       false},
      {"A generous reading",
       "Imagine the kindest true story about them in that moment: they were doing their best, even if it "
       "missed.",
       {"Maybe they were...", "I think they were trying to..."},
       false,
       false,
       false},
      {"Your share",
       "What you'd like them to understand, from your own experience. Speak about what you felt and "
       "needed, not what they meant.",
       {"I felt ... when ...", "What I needed was ...", "What I'm afraid of is ..."},
       true,
       false,
       true},
      {"Your part in the pattern",
       "What you tend to do when this happens, without blaming yourself and without waiting for them "
       "to go first.",
       {"When I feel ..., I tend to ...", "My part in this was ..."},
       false,
       true,
       true},
      {"What you want them to hear",
       "What do they most need to hear from you, that is true for you?",
       {"I still ...", "What matters to me is ..."},
       false,
       true,
       false},
      {"A gesture you'd offer",
       "A small way back toward each other: a hug, a walk, a cup of tea, some quiet together.",
       {},
       false,
       false,
       false},
      {"Ready when you are",
       "This stays on this device. When you're in a real session and reach one of these steps, "
       "Attune offers what you wrote here to start from. You choose whether to use it.",
       {},
       false,
       false,
       false},
  }};
  return list;
}

}  // namespace

const StageInfo& stage_info(Stage stage) { return stages()[static_cast<std::size_t>(stage_number(stage) - 1)]; }

int stage_number(Stage stage) { return static_cast<int>(stage) + 1; }

Stage next_stage(Stage stage) {
  return stage == Stage::Review ? Stage::Review : static_cast<Stage>(static_cast<int>(stage) + 1);
}

Stage previous_stage(Stage stage) {
  return stage == Stage::What ? Stage::What : static_cast<Stage>(static_cast<int>(stage) - 1);
}

std::optional<Part> part_of(Stage stage) {
  switch (stage) {
    case Stage::What:
      return Part::What;
    case Stage::Generous:
      return Part::Generous;
    case Stage::Share:
      return Part::Share;
    case Stage::OwnPart:
      return Part::OwnPart;
    case Stage::Reassure:
      return Part::Reassure;
    case Stage::Gesture:
      return Part::Gesture;
    case Stage::Activation:
    case Stage::Review:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace attune::prepare
