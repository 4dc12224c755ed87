// The end stays calm: after a completed or stopped session, someone leaving
// is quiet news on the summary, never the red "Reconnecting" band. Read
// from what each real window drew. Run under xvfb-run.
#include "window_devices.hpp"
#include "attune/intents.hpp"

namespace attune::app {
namespace {

using CalmEnd = test::WindowDevices;

void expect_calm(const test::Device& d, const std::string& who, const std::string& news) {
  const auto& regions = d.window->regions();
  EXPECT_EQ(regions.count("connection_band"), 0u) << who << "'s summary got a connection band";
  EXPECT_FALSE(d.window->drawn().shows("Reconnecting")) << who;
  EXPECT_FALSE(d.window->drawn().shows("connection dropped")) << who;
  EXPECT_TRUE(d.window->drawn().shows(news)) << who << " is not told \"" << news << "\"";
}

TEST_F(CalmEnd, TheHostLeavingTheSummaryIsQuietNews) {
  ASSERT_EQ(f_.to_share(), "");
  ASSERT_EQ(f_.share_to_complete(), "");
  ASSERT_EQ(f_.sam->snapshot()->state.phase(), v1::PHASE_COMPLETE);
  all_frames("calm-end-1-summary");
  ASSERT_TRUE(sam_.window->drawn().shows("You found your way back"));

  // Alex (the host) closes the window: Sam's link to the session is gone.
  f_.set_connected("dev-sam", false);
  frames(sam_, "calm-end-2-host-left-sam");
  expect_calm(sam_, "Sam", "Alex closed the session");
  EXPECT_TRUE(sam_.window->drawn().shows("You found your way back")) << "the summary must stay";
}

TEST_F(CalmEnd, APartnerLeavingAStoppedSessionIsQuietNews) {
  ASSERT_EQ(f_.to_share(), "");
  const Intent stop = intents::exit();
  ASSERT_EQ(f_.send(*f_.sam, stop), "");
  ASSERT_EQ(f_.alex->snapshot()->state.phase(), v1::PHASE_ENDED);
  f_.set_connected("dev-sam", false);  // Sam closes the window.
  frames(alex_, "calm-end-3-partner-left-alex");
  expect_calm(alex_, "Alex", "Sam has left");
  EXPECT_FALSE(alex_.window->drawn().shows("lost the connection"));
}

}  // namespace
}  // namespace attune::app
