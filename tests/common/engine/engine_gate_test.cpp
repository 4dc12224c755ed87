// Steps and the check-in gate between them (../shared/DOMAIN.md).
#include "attune/engine.hpp"

#include <gtest/gtest.h>

#include "attune/refusals.hpp"
#include "session_driver.hpp"

namespace attune::test {
namespace {

using R = v1::RefusalCode;

// --- Steps ----------------------------------------------------------------------

TEST(Steps, AStepEndsOnlyWhenBothPartnersHaveDoneIt) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.ok(kA, make::confirm());
  EXPECT_EQ(d.state().step(), v1::STEP_NAME_IT);
  EXPECT_TRUE(awaits_from(d.state(), v1::ROLE_PARTNER_B));
  EXPECT_FALSE(awaits_from(d.state(), v1::ROLE_PARTNER_A));
  d.refused(kA, make::confirm(), R::REFUSAL_CODE_ALREADY_DONE);
  d.ok(kB, make::confirm());
  EXPECT_EQ(d.state().step(), v1::STEP_GAUGE);
}

TEST(Steps, ActionsFromAnotherStepAreRefused) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.refused(kA, make::pass_floor(), R::REFUSAL_CODE_WRONG_STEP);
  d.refused(kA, make::offer_first(), R::REFUSAL_CODE_WRONG_STEP);
  d.refused(kA, make::propose_gesture("hug"), R::REFUSAL_CODE_WRONG_STEP);
  d.refused(kA, make::write("text"), R::REFUSAL_CODE_WRONG_STEP);
  d.refused(kA, make::check_in(false), R::REFUSAL_CODE_WRONG_STEP);
}

TEST(Steps, NothingHappensBeforeTheLobbyIsDone) {
  SessionDriver d;
  d.refused(kA, make::confirm(), R::REFUSAL_CODE_WRONG_STEP);
  d.refused(kA, make::pause(), R::REFUSAL_CODE_WRONG_STEP);
}

// --- The check-in gate ----------------------------------------------------------

TEST(Gate, TheNextStepStaysLockedUntilBothHaveCheckedIn) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.ok(kA, make::check_in(false));
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  EXPECT_TRUE(d.state().gate().checked_in_a());
  d.refused(kA, make::confirm(), R::REFUSAL_CODE_WAITING_FOR_CHECK_IN);
  d.ok(kB, make::check_in(false));
  EXPECT_EQ(d.state().phase(), v1::PHASE_ACTIVE);
  EXPECT_EQ(d.state().step(), v1::STEP_BENEFIT);
}

TEST(Gate, AnyoneAboveTheThresholdPausesBoth) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.ok(kA, make::check_in(false));
  d.ok(kB, make::check_in(true));
  EXPECT_EQ(d.state().phase(), v1::PHASE_PAUSED);
  EXPECT_EQ(d.state().pause().reason(), v1::PAUSE_REASON_GATE);
  EXPECT_EQ(d.state().step(), v1::STEP_GAUGE);
  ASSERT_EQ(d.last_effects().size(), 1u);
  EXPECT_EQ(d.last_effects()[0].kind, Effect::Kind::StartTimer);
  EXPECT_EQ(d.last_effects()[0].due_ms, to_ms(d.now()) + 120'000);
}

TEST(Gate, TheSharedStateNamesNobodyAndHoldsNoNumber) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.ok(kB, make::check_in(true));
  // Other devices never learn which partner is above the threshold.
  EXPECT_FALSE(view_for(d.state(), kA).gate().above_b());
  EXPECT_FALSE(view_for(d.state(), kCoach).gate().above_b());
  d.ok(kA, make::check_in(false));
  // Once decided, the per-partner bits are gone everywhere.
  EXPECT_FALSE(d.state().gate().above_a());
  EXPECT_FALSE(d.state().gate().above_b());
  EXPECT_FALSE(d.state().pause().after().above_b());
}

TEST(Gate, CheckInsMustBeFreshForEachTransition) {
  SessionDriver d;
  d.to_who_first();
  // The check-ins of the last gate don't carry over.
  EXPECT_FALSE(d.state().has_gate());
  d.ok(kA, make::offer_first());
  d.ok(kB, make::accept_first());
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  EXPECT_FALSE(d.state().gate().checked_in_a());
  EXPECT_FALSE(d.state().gate().checked_in_b());
}

TEST(Gate, ALaterCheckInReplacesAnEarlierOneBeforeTheGateDecides) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.ok(kA, make::check_in(true));
  d.ok(kA, make::check_in(false));
  d.ok(kB, make::check_in(false));
  EXPECT_EQ(d.state().step(), v1::STEP_BENEFIT);
}

TEST(Gate, AHighRatingSuggestsALongBreakWithoutSayingWhose) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.ok(kA, make::check_in(true, true));
  // Until Sam has checked in too, nobody's copy says a long break is in the
  // air: with only Alex checked in, it would say Alex rated that high.
  for (const char* who : {kA, kB, kCoach, "a-stranger"}) {
    EXPECT_FALSE(view_for(d.state(), who).gate().long_break_hint()) << who;
  }
  d.ok(kB, make::check_in(false));
  EXPECT_TRUE(d.state().pause().long_break_suggested());
  for (const char* who : {kA, kB, kCoach}) {
    EXPECT_TRUE(view_for(d.state(), who).pause().long_break_suggested()) << who;
  }
}

TEST(Gate, AStrangerLearnsNothingOfHowTheSessionGoes) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.ok(kB, make::check_in(true));
  // A device that is not let in (waiting, turned away, or only paired) sees
  // neither who checked in nor, once the gate pauses, that anyone paused.
  State seen = view_for(d.state(), "a-stranger");
  EXPECT_FALSE(seen.has_gate());
  EXPECT_EQ(seen.phase(), v1::PHASE_ACTIVE);
  d.ok(kA, make::check_in(false));
  ASSERT_EQ(d.state().phase(), v1::PHASE_PAUSED);
  seen = view_for(d.state(), "a-stranger");
  EXPECT_EQ(seen.phase(), v1::PHASE_ACTIVE);
  EXPECT_FALSE(seen.has_pause());
  EXPECT_EQ(seen.pauses_taken(), 0u);
  EXPECT_EQ(seen.floor(), v1::ROLE_UNSPECIFIED);
  EXPECT_EQ(seen.step(), d.state().step());
  EXPECT_EQ(seen.participants_size(), d.state().participants_size());
  // The people let in see the pause as it is.
  EXPECT_EQ(view_for(d.state(), kCoach).phase(), v1::PHASE_PAUSED);
  EXPECT_EQ(view_for(d.state(), kCoach).pauses_taken(), d.state().pauses_taken());
}

TEST(Gate, TheSpeakerSwapIsGated) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::pass_floor());
  d.both_check_in_calm();
  d.reflect_through();
  d.ok(kA, make::heard());
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  EXPECT_EQ(d.state().gate().target_step(), v1::STEP_SHARE);
  d.both_check_in_calm();
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_B);
}

TEST(CheckIn, TheRatingBecomesTwoBitsOnTheDevice) {
  const v1::Settings s = default_settings();
  EXPECT_FALSE(make_check_in(0, s)->above_threshold());
  EXPECT_FALSE(make_check_in(3, s)->above_threshold());
  EXPECT_TRUE(make_check_in(4, s)->above_threshold());
  EXPECT_FALSE(make_check_in(6, s)->long_break_hint());
  EXPECT_TRUE(make_check_in(7, s)->long_break_hint());
  EXPECT_TRUE(make_check_in(10, s)->long_break_hint());
  EXPECT_FALSE(make_check_in(-1, s).has_value());
  EXPECT_FALSE(make_check_in(11, s).has_value());
}

TEST(CheckIn, OnlyPartnersCheckIn) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  const std::string text = d.refused(kCoach, make::check_in(false), R::REFUSAL_CODE_PARTNERS_ONLY);
  EXPECT_NE(text.find("coach"), std::string::npos);
}

}  // namespace
}  // namespace attune::test
