// The product's central promise, read from what the windows drew: nobody
// learns anyone's number, and nobody learns who went over the line. Each
// device is a real window; choices go in as clicks through the same widget
// code a person's click goes through. Run under xvfb-run.
#include "window_devices.hpp"
#include "attune/intents.hpp"

namespace attune::app {
namespace {

using NoTrace = test::WindowDevices;

TEST_F(NoTrace, AGatePauseLooksTheSameOnBothPartnersScreens) {
  const Intent share = intents::share_with_coach(true);
  ASSERT_EQ(f_.admit_everyone(), "");
  ASSERT_EQ(f_.send(*f_.sam, share), "");  // Only Sam shares with the coach.
  ASSERT_EQ(f_.match_coach(*f_.sam), "");
  ASSERT_EQ(f_.start(), "");
  confirm_both();
  f_.advance_seconds(20);

  // Sam checks in low, then Alex above the line: the gate pauses.
  check_in_by_clicking(sam_, 2);
  check_in_by_clicking(alex_, 6);
  ASSERT_EQ(f_.alex->snapshot()->state.phase(), v1::PHASE_PAUSED);
  all_frames("no-trace-1-gate-paused");
  expect_no_number(alex_, "Alex");
  expect_no_number(sam_, "Sam");
  EXPECT_EQ(screen_lines(alex_), screen_lines(sam_))
      << "the two partners' pause screens differ, so a glance tells who went over";

  // The coach knows a check-in asked for a pause; Sam's low number next to
  // it would say it was Alex's, so no number shows while only Sam shares.
  expect_no_number(robin_, "Robin (coach)");
  for (const std::string& line : robin_.window->drawn().lines)
    EXPECT_EQ(line.find("Sam at "), std::string::npos) << "the coach sees Sam's number: " << line;
  EXPECT_TRUE(robin_.window->drawn().shows("once both partners share"));

  // The pause ends and the check-in opens again: both screens blank alike.
  ASSERT_EQ(f_.finish_pause(), "");
  ASSERT_EQ(f_.alex->snapshot()->state.phase(), v1::PHASE_CHECK_IN);
  all_frames("no-trace-2-check-in-again");
  expect_no_number(alex_, "Alex");
  expect_no_number(sam_, "Sam");
  EXPECT_EQ(screen_lines(alex_), screen_lines(sam_));
  for (test::Device* d : {&alex_, &sam_}) {
    const DrawnButton* button = d->window->drawn().button("Check in");
    ASSERT_NE(button, nullptr);
    EXPECT_FALSE(button->enabled) << "an old number is still chosen: one click would send it again";
  }
}

TEST_F(NoTrace, ASentNumberDoesNotCarryIntoTheNextCheckIn) {
  ASSERT_EQ(f_.admit_everyone(), "");
  ASSERT_EQ(f_.start(), "");
  confirm_both();
  f_.advance_seconds(20);
  check_in_by_clicking(alex_, 1);
  check_in_by_clicking(sam_, 3);  // The last one in: the gate opens at once.
  ASSERT_EQ(f_.sam->snapshot()->state.phase(), v1::PHASE_ACTIVE);
  all_frames("no-trace-3-gate-passed");
  expect_no_number(sam_, "Sam");

  confirm_both();
  ASSERT_EQ(f_.sam->snapshot()->state.phase(), v1::PHASE_CHECK_IN);
  all_frames("no-trace-4-next-check-in");
  expect_no_number(sam_, "Sam");
  expect_no_number(alex_, "Alex");
  const DrawnButton* button = sam_.window->drawn().button("Check in");
  ASSERT_NE(button, nullptr);
  EXPECT_FALSE(button->enabled) << "Sam's 3 is still chosen at the next check-in";
}

}  // namespace
}  // namespace attune::app
