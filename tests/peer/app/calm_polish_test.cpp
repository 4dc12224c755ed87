// Calm, not stock, measured from what the real windows drew: the
// vocabulary's word chips, the pacer's radio dots, and a
// toast at the top that leaves "Step N of 9" and the step's title in view.
// Run under xvfb-run.
#include <GLFW/glfw3.h>

#include <memory>

#include "app/theme.hpp"
#include "attune/intents.hpp"
#include "picture.hpp"
#include "window_devices.hpp"

namespace attune::app {
namespace {

using CalmPolish = test::WindowDevices;

bool overlaps(const Region& a, const Region& b) {
  return std::min(a.max.x, b.max.x) > std::max(a.min.x, b.min.x) &&
         std::min(a.max.y, b.max.y) > std::max(a.min.y, b.min.y);
}

using test::near;
using test::Picture;

TEST_F(CalmPolish, TheWordChipsAreReadableRoundedAndInTheAppsColours) {
  ASSERT_EQ(f_.to_share(), "");
  alex_.ui.vocabulary_open = true;
  alex_.ui.vocabulary_search = "lonely";
  frames(alex_);
  frames(alex_, "polish-1-word-chips-alex");
  const auto& regions = alex_.window->regions();
  ASSERT_TRUE(regions.count("word_chip") && regions.count("starter_chip")) << "no word chips drawn";
  const float body = alex_.window->fonts_in_use().body->FontSize;
  for (const char* name : {"word_chip", "starter_chip"})
    EXPECT_GE(regions.at(name).max.y - regions.at(name).min.y, body + 8.0f) << name << " is tiny";
  const Region chip = regions.at("starter_chip");  // (In view; the feeling words are further down.)
  const Picture shot((out_dir() / "polish-1-word-chips-alex.png").string());
  ASSERT_TRUE(shot.loaded());
  const float mid = (chip.min.y + chip.max.y) * 0.5f;
  EXPECT_TRUE(near(shot.at(chip.min.x + 4, mid), palette().accent_soft)) << "not in the app's colour";
  EXPECT_FALSE(near(shot.at(chip.min.x + 1, chip.min.y + 1), palette().accent_soft))
      << "the chip has square corners";
  EXPECT_TRUE(alex_.window->drawn().button("lonely") != nullptr);
}

TEST_F(CalmPolish, ThePacersRadioDotsAreSizedToTheirText) {
  ASSERT_EQ(f_.to_share(), "");
  ASSERT_EQ(f_.send(*f_.sam, intents::pause()), "");
  frames(alex_, "polish-2-pacer-radios-alex");
  const auto& regions = alex_.window->regions();
  ASSERT_TRUE(regions.count("pacer_radio_dot")) << "the pacer's choice has no radio dot of the app's own";
  const float dot = regions.at("pacer_radio_dot").max.y - regions.at("pacer_radio_dot").min.y;
  const float small = alex_.window->fonts_in_use().small->FontSize;
  EXPECT_TRUE(dot <= small && dot >= small * 0.5f) << "the dot (" << dot << ") isn't sized to its words";
  ASSERT_EQ(alex_.window->click("Box breathing"), DeviceWindow::Click::Done);
  frames(alex_);
  EXPECT_EQ(alex_.ui.pacer, PacerStyle::Box) << "the radio doesn't pick";
}

// A toast that can't go at the foot (it would cover the writing box) goes
// where it covers neither the box nor where-we-are: the dots and "Step 6 of
// 9", whose turn it is, or the step's title.
TEST_F(CalmPolish, AToastAtTheTopLeavesStepNOf9AndTheTitleInView) {
  glfwSetWindowSize(sam_.window->glfw(), 1000, 560);
  ASSERT_EQ(f_.to_share(), "");
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.alex, intents::pass_floor()), "");
  frames(sam_);
  ASSERT_EQ(f_.both_check_in(2, 2), "");
  frames(sam_, "polish-3-toast-at-the-top-sam");
  const auto& regions = sam_.window->regions();
  ASSERT_TRUE(regions.count("notice")) << "no toast after the gate";
  const Region& toast = regions.at("notice");
  for (const char* name : {"progress_line", "step_title", "writing_box"}) {
    ASSERT_TRUE(regions.count(name)) << name << " isn't drawn";
    EXPECT_FALSE(overlaps(toast, regions.at(name))) << "the toast covers " << name;
  }
}

}  // namespace
}  // namespace attune::app
