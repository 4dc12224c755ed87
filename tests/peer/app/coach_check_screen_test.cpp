// The coach's check number on screen (issue 15): Sam's opt-in shows Robin's
// number with plain words and "They match" / "They don't match"; Robin's
// own screens show the same number as "Your check number". Clicks go
// through the real widgets. Run under xvfb-run; PNGs land in screenshots/.
#include <gtest/gtest.h>

#include "attune/intents.hpp"
#include "window_devices.hpp"

namespace attune::app {
namespace {

class CoachCheckScreen : public test::WindowDevices {
 protected:
  // Turns the wheel until `label` is in view, without pressing it.
  void bring_into_view(test::Device& d, const std::string& label) {
    for (int i = 0; i < 20; ++i) {
      frames(d);
      const DrawnButton* b = d.window->drawn().button(label);
      ASSERT_TRUE(b) << "no button " << label;
      if (b->min.y >= 0 && b->max.y <= 700) return;
      ASSERT_EQ(d.window->click(label), DeviceWindow::Click::OutOfView);
    }
    FAIL() << label << " never came into view";
  }
  // Clicks a button, turning the wheel first if it is out of view.
  void press(test::Device& d, const std::string& label) {
    DeviceWindow::Click done = d.window->click(label);
    for (int i = 0; i < 20 && done == DeviceWindow::Click::OutOfView; ++i) {
      frames(d);
      done = d.window->click(label);
    }
    ASSERT_EQ(done, DeviceWindow::Click::Done) << label;
  }
};

TEST_F(CoachCheckScreen, SamComparesRobinsCheckNumberBeforeSharingAndRobinsScreenShowsIt) {
  ASSERT_EQ(f_.admit_everyone(), "");
  ASSERT_EQ(f_.send(*f_.sam, intents::share_with_coach(true)), "");
  const std::string number = f_.robin->snapshot()->my_check_number;
  ASSERT_EQ(number.size(), 14u);

  frames(robin_, "coach-check-1-robin-lobby");
  EXPECT_TRUE(robin_.window->drawn().shows("Your check number: " + number));
  bring_into_view(sam_, "They match");
  frames(sam_, "coach-check-2-sam-opt-in");
  EXPECT_TRUE(sam_.window->drawn().shows("Robin's check number"));
  EXPECT_TRUE(sam_.window->drawn().shows(number)) << "Sam's opt-in doesn't show Robin's number";
  EXPECT_TRUE(sam_.window->drawn().shows("compare it with this one"));
  // Nothing of Sam's is sealed to Robin yet.
  EXPECT_TRUE(f_.sam->snapshot()->coach_checks.at(0).trust == crypto::CoachTrust::Unchecked);

  press(sam_, "They don't match");
  frames(sam_, "coach-check-3-sam-they-dont-match");
  EXPECT_TRUE(sam_.window->drawn().shows("nothing of yours was sent to it"));
  EXPECT_TRUE(sam_.window->drawn().shows("You said Robin's check number didn't match, so your check-in numbers "
                                         "stay on this device."))
      << "'Who sees what' doesn't follow the 'They don't match'";
  press(sam_, "They match");
  frames(sam_, "coach-check-4-sam-they-match");
  EXPECT_TRUE(sam_.window->drawn().shows("The numbers match, so this is Robin's device"));
  EXPECT_TRUE(sam_.window->drawn().shows("Your check-in numbers go to Robin, and no one else, once you both share"))
      << "'Who sees what' doesn't follow the 'They match'";
  EXPECT_TRUE(crypto::sealable(f_.sam->snapshot()->coach_checks.at(0).trust));
  // The host proved Robin's key itself: Alex is asked nothing.
  frames(alex_, "coach-check-5-alex-lobby");
  EXPECT_FALSE(alex_.window->drawn().shows("check number"));

  ASSERT_EQ(f_.start(), "");
  frames(robin_, "coach-check-6-robin-session");
  EXPECT_TRUE(robin_.window->drawn().shows("Your check number: " + number));
  // Nobody compares once the session runs: the number is a quiet line,
  // not a heading with the lobby's request to read it out.
  EXPECT_FALSE(robin_.window->drawn().shows("Read it to them if they ask"));
  const Region& quiet = robin_.window->regions().at("my_check_number");
  EXPECT_LE(quiet.max.y - quiet.min.y, 24.0f) << "the number is still drawn large in the session";
}

// The partners ask the coach for this number before they share, so the
// coach's lobby shows it without scrolling: at the app's default window
// size (1120×800, which fits a 1280×800 screen), inside the top three
// quarters, so a title bar and a desktop's panel can't push it out of view.
TEST_F(CoachCheckScreen, TheCoachsNumberIsInViewInTheLobbyWithoutScrolling) {
  ASSERT_EQ(f_.admit_everyone(), "");
  const WindowGeometry usual{};
  std::string error;
  robin_.window = DeviceWindow::create("Attune", usual, &error);
  ASSERT_TRUE(robin_.window) << error;
  frames(robin_, "coach-check-0-robin-lobby-default-size");
  const std::string number = f_.robin->snapshot()->my_check_number;
  ASSERT_TRUE(robin_.window->drawn().shows("Your check number: " + number));
  ASSERT_TRUE(robin_.window->regions().count("my_check_number")) << "the number isn't marked where it's drawn";
  const Region& at = robin_.window->regions().at("my_check_number");
  EXPECT_GE(at.min.y, 0.0f);
  EXPECT_LE(at.max.y, usual.height * 0.75f) << "the coach has to scroll to find their check number";
  EXPECT_LE(at.max.x, static_cast<float>(usual.width));
  // Calm: its words wrap inside the card's padding, not against its edge.
  const Region& card = robin_.window->regions().at("my_check_number_card");
  const Region& words = robin_.window->regions().at("my_check_number_words");
  EXPECT_LE(words.max.x, card.max.x - 12.0f) << "the words run into the card's edge";
  EXPECT_LE(card.max.y, usual.height * 0.75f);
}

}  // namespace
}  // namespace attune::app
