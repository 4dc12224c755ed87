// A whole session through the product's own nodes (the real host, over an
// in-process network; see local_flow.hpp), reading each device's
// screens through the view model, as the window app would draw them.
#include "local_flow.hpp"

#include <gtest/gtest.h>

#include "app/view_model.hpp"
#include "attune/intents.hpp"

namespace attune::app {
namespace {

using test::LocalFlow;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Intent pause_intent() { return intents::pause(); }

TEST(LocalFlow, LobbyThenStepsWithEachDevicesOwnView) {
  LocalFlow f;
  // Before being let in, Sam waits and sees only the lobby roster.
  EXPECT_EQ(screen_for(*f.sam->snapshot()), Screen::Waiting);
  EXPECT_EQ(screen_for(*f.alex->snapshot()), Screen::Lobby);
  LobbyView alex_lobby = lobby_view(*f.alex->snapshot());
  ASSERT_EQ(alex_lobby.people.size(), 3u);
  EXPECT_TRUE(alex_lobby.people[1].can_accept);
  EXPECT_TRUE(alex_lobby.can_close);
  EXPECT_FALSE(alex_lobby.can_leave);

  ASSERT_EQ(f.admit_everyone(), "");
  EXPECT_EQ(screen_for(*f.sam->snapshot()), Screen::Lobby);
  EXPECT_EQ(screen_for(*f.robin->snapshot()), Screen::Lobby);
  EXPECT_TRUE(lobby_view(*f.sam->snapshot()).can_leave);

  ASSERT_EQ(f.start(), "");
  const StepView a = step_view(*f.alex->snapshot());
  EXPECT_EQ(a.number, 1);
  EXPECT_TRUE(a.actions.confirm);
  EXPECT_EQ(screen_for(*f.robin->snapshot()), Screen::Coach);
}

TEST(LocalFlow, CheckInStaysOnTheDeviceAndTheGateNamesNoOne) {
  LocalFlow f;
  ASSERT_EQ(f.to_who_first(), "");
  ASSERT_EQ(f.send(*f.alex, intents::offer_first()), "");
  ASSERT_EQ(f.send(*f.sam, intents::accept_first()), "");
  // At the gate: Alex checks in high, Sam low.
  ASSERT_EQ(f.check_in(*f.alex, 8), "");
  const GateView sam_gate = gate_view(*f.sam->snapshot());
  EXPECT_TRUE(sam_gate.other_checked_in);
  EXPECT_FALSE(sam_gate.i_checked_in);
  ASSERT_EQ(f.check_in(*f.sam, 1), "");

  // Both devices pause, and neither screen says who or how high.
  for (const auto& node : {f.alex, f.sam}) {
    const auto snap = node->snapshot();
    ASSERT_EQ(screen_for(*snap), Screen::Pause);
    const PauseView p = pause_view(*snap, f.now_ms());
    EXPECT_TRUE(contains(p.message, "One of you"));
    EXPECT_FALSE(contains(p.message, "Alex"));
    EXPECT_FALSE(contains(p.message, "Sam"));
    EXPECT_FALSE(contains(p.message, "8"));
    EXPECT_GT(p.seconds_left, 0);
    EXPECT_TRUE(p.long_break_suggested);  // 8 is at/above the long-break level.
  }
  // Each device holds only its own number.
  ASSERT_EQ(f.alex->snapshot()->my_check_ins.back().level, 8);
  ASSERT_EQ(f.sam->snapshot()->my_check_ins.back().level, 1);
  EXPECT_TRUE(f.sam->snapshot()->coach_levels.empty());
  // Nobody opted in, so the coach sees no numbers at all.
  const CoachView coach = coach_view(*f.robin->snapshot(), f.now_ms());
  EXPECT_TRUE(coach.levels.empty());
  EXPECT_EQ(coach.not_sharing.size(), 2u);

  // After the minimum pause the check-in comes back by itself.
  ASSERT_EQ(f.finish_pause(), "");
  EXPECT_EQ(screen_for(*f.alex->snapshot()), Screen::Step);
  EXPECT_TRUE(step_view(*f.alex->snapshot()).actions.check_in);
  ASSERT_EQ(f.both_check_in(2, 2), "");
  const StepView speaker = step_view(*f.alex->snapshot());
  EXPECT_EQ(speaker.title, "Share");
  EXPECT_EQ(speaker.floor.mine, FloorRole::Speaking);
  EXPECT_EQ(step_view(*f.sam->snapshot()).floor.mine, FloorRole::Listening);
}

TEST(LocalFlow, CoachSeesNumbersOnlyAfterOptIn) {
  LocalFlow f;
  ASSERT_EQ(f.admit_everyone(), "");
  const Intent share = intents::share_with_coach(true);
  ASSERT_EQ(f.send(*f.sam, share), "");
  ASSERT_EQ(f.match_coach(*f.sam), "");  // Sam compared the coach's check number.
  ASSERT_EQ(f.start_and_confirm(), "");
  ASSERT_EQ(f.both_check_in(4, 5), "");
  // Only Sam shares: held back, so a pause can't point to Alex.
  CoachView coach = coach_view(*f.robin->snapshot(), f.now_ms());
  EXPECT_TRUE(coach.levels.empty());
  ASSERT_EQ(coach.not_sharing.size(), 1u);
  EXPECT_EQ(coach.not_sharing[0], "Alex");

  ASSERT_EQ(f.send(*f.alex, share), "");  // Now both share: both numbers show.
  ASSERT_EQ(f.finish_pause(), "");       // (4 and 5 were above the line.)
  ASSERT_EQ(f.both_check_in(2, 3), "");
  coach = coach_view(*f.robin->snapshot(), f.now_ms());
  ASSERT_EQ(coach.levels.size(), 3u);
  EXPECT_EQ(coach.levels[0].name, "Sam");
  EXPECT_EQ(coach.levels[0].level, 3);
  EXPECT_EQ(coach.levels[1].name, "Alex");
  EXPECT_EQ(coach.levels[1].level, 2);
  EXPECT_TRUE(coach.not_sharing.empty());
}

TEST(LocalFlow, AClockSetBackStillShowsTheCoachEveryNewNumber) {
  LocalFlow f;
  ASSERT_EQ(f.admit_everyone(), "");
  ASSERT_EQ(f.both_share_with_coach(), "");
  ASSERT_EQ(f.match_coach(*f.sam), "");  // Sam compared the coach's check number.
  ASSERT_EQ(f.start_and_confirm(), "");
  ASSERT_EQ(f.both_check_in(4, 5), "");  // Above the line: a pause.
  ASSERT_EQ(coach_view(*f.robin->snapshot(), f.now_ms()).levels.size(), 2u);
  ASSERT_EQ(f.finish_pause(), "");
  f.advance_seconds(-3600);  // The laptops' clock is set back an hour.
  ASSERT_EQ(f.both_check_in(2, 3), "");
  // The coach turns away a rating no later than the last one (a replay);
  // a clock set back must not make a fresh number look like one.
  const CoachView coach = coach_view(*f.robin->snapshot(), f.now_ms());
  ASSERT_EQ(coach.levels.size(), 4u) << "the numbers after the clock went back never reached the coach";
  EXPECT_EQ(coach.levels[0].level + coach.levels[1].level, 5);
  const auto& mine = f.sam->snapshot()->my_check_ins;
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_GT(mine[1].at_ms, mine[0].at_ms) << "this device's own timeline went backwards";
}

TEST(LocalFlow, ADroppedDeviceIsHonestEverywhereAndLosesNothing) {
  LocalFlow f;
  ASSERT_EQ(f.to_share(), "");
  f.set_connected("dev-sam", false);
  const ConnectionView host = connection_view(*f.alex->snapshot());
  EXPECT_TRUE(host.paused_by_it);
  EXPECT_TRUE(contains(host.text, "Sam"));
  EXPECT_EQ(screen_for(*f.alex->snapshot()), Screen::Pause);
  EXPECT_TRUE(contains(pause_view(*f.alex->snapshot(), f.now_ms()).message, "Sam lost the connection"));
  const ConnectionView away = connection_view(*f.sam->snapshot());
  EXPECT_EQ(away.text, "Reconnecting...");

  // What Sam taps while away is delivered when Sam is back.
  ASSERT_EQ(f.send(*f.sam, pause_intent()), "");
  f.advance_seconds(200);
  f.set_connected("dev-sam", true);
  EXPECT_EQ(f.sam->snapshot()->link, LinkState::Connected);
  EXPECT_EQ(f.host_state().pauses_taken(), 2u);
}

TEST(LocalFlow, AWholeSessionEndsInASummaryWithMyTimeline) {
  LocalFlow f;
  ASSERT_EQ(f.to_share(), "");
  ASSERT_EQ(f.share_to_complete(), "");
  for (const auto& node : {f.alex, f.sam}) {
    const auto snap = node->snapshot();
    ASSERT_EQ(screen_for(*snap), Screen::Summary);
    const SummaryView s = summary_view(*snap, f.now_ms());
    EXPECT_TRUE(s.completed);
    EXPECT_EQ(s.steps_reached, 9);
    EXPECT_GT(s.duration_ms, 20 * 60'000);
    EXPECT_EQ(s.timeline.size(), 9u);
  }
  EXPECT_EQ(summary_view(*f.alex->snapshot(), 0).timeline[0].level, 2);
  EXPECT_EQ(summary_view(*f.sam->snapshot(), 0).timeline[0].level, 3);
}

TEST(LocalFlow, DiscreetExitEndsForEveryoneWithoutAReason) {
  LocalFlow f;
  ASSERT_EQ(f.to_share(), "");
  const Intent exit = intents::exit();
  ASSERT_EQ(f.send(*f.sam, exit), "");
  for (const auto& node : {f.alex, f.sam, f.robin}) {
    const SummaryView s = summary_view(*node->snapshot(), f.now_ms());
    EXPECT_FALSE(s.completed);
    EXPECT_FALSE(contains(s.message, "Sam"));
    EXPECT_EQ(s.steps_reached, 5);
  }
}

TEST(LocalFlow, RefusalsReachOnlyTheSender) {
  LocalFlow f;
  ASSERT_EQ(f.to_share(), "");
  const Intent pass = intents::pass_floor();
  const uint64_t alex_before = f.alex->snapshot()->refusal_serial;
  const std::string why = f.send(*f.sam, pass);  // Alex holds the floor.
  EXPECT_FALSE(why.empty());
  EXPECT_EQ(f.alex->snapshot()->refusal_serial, alex_before);
}

}  // namespace
}  // namespace attune::app
