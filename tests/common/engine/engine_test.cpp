// One test per rule of the repair session (../shared/DOMAIN.md), plus a full
// walkthrough and the refusal paths.
#include "attune/engine.hpp"

#include <gtest/gtest.h>

#include "attune/refusals.hpp"
#include "session_driver.hpp"
#include "session_script.hpp"

namespace attune::test {
namespace {

using R = v1::RefusalCode;

// The shared walk (session_script), played on the engine: the coach is
// asked and picks B, who speaks first; "not quite" once, then heard.
TEST(Walkthrough, TwoPartnersAndACoachGoFromLobbyToComplete) {
  SessionDriver d;
  d.ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  d.ok(kCoach, make::join("Casey", v1::ROLE_COACH));
  EXPECT_EQ(d.state().participants_size(), 3);
  // Who holds the floor each time a step with a floor begins.
  std::vector<std::pair<v1::Step, v1::Role>> floors;
  // Each part of step 6 the walk passes through, in order.
  std::vector<v1::ListenStage> stages;
  WalkHooks hooks;
  hooks.after = [&](const Line& line, std::size_t) {
    const v1::Step step = d.state().step();
    if (step == v1::STEP_REFLECT && d.state().phase() == v1::PHASE_ACTIVE) {
      const auto stage = d.state().rounds(d.state().rounds_size() - 1).listening();
      if (stages.empty() || stages.back() != stage) stages.push_back(stage);
    }
    if (d.state().floor() != v1::ROLE_UNSPECIFIED && (floors.empty() || floors.back().first != step)) {
      floors.emplace_back(step, d.state().floor());
    }
    // In step 7, B (who spoke first) goes first and passes to A.
    if (step == v1::STEP_OWN_PATTERN && line.who == Who::B && line.command == "pass-floor") {
      EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
    }
  };
  run_walk(nine_steps({.coach_picks_first = true}), [&](const Line& line) { play(d, line); }, hooks);
  ASSERT_FALSE(::testing::Test::HasFailure());

  using S = v1::Step;
  const std::vector<std::pair<v1::Step, v1::Role>> expected = {
      {S::STEP_SHARE, v1::ROLE_PARTNER_B},       {S::STEP_REFLECT, v1::ROLE_PARTNER_A},
      {S::STEP_SHARE, v1::ROLE_PARTNER_B},       {S::STEP_REFLECT, v1::ROLE_PARTNER_A},
      {S::STEP_SHARE, v1::ROLE_PARTNER_A},       {S::STEP_REFLECT, v1::ROLE_PARTNER_B},
      {S::STEP_OWN_PATTERN, v1::ROLE_PARTNER_B}, {S::STEP_REASSURE, v1::ROLE_PARTNER_B},
  };
  EXPECT_EQ(floors, expected);
  using L = v1::ListenStage;
  constexpr L kMirror = L::LISTEN_STAGE_UNSPECIFIED, kMore = L::LISTEN_STAGE_MORE, kAdd = L::LISTEN_STAGE_ADDING,
              kValidate = L::LISTEN_STAGE_VALIDATE, kEmpathise = L::LISTEN_STAGE_EMPATHISE;
  const std::vector<v1::ListenStage> every_part = {
      kMirror, kMore, kAdd, kMirror, kMore, kValidate, kEmpathise,  // Round 1, then "not quite".
      kMirror, kMore,       kValidate, kEmpathise,                  // Round 1 again.
      kMirror, kMore,       kValidate, kEmpathise};                 // Round 2.
  EXPECT_EQ(stages, every_part);
  EXPECT_EQ(d.state().step(), v1::STEP_COMPLETE);
  EXPECT_EQ(d.state().phase(), v1::PHASE_COMPLETE);
  ASSERT_EQ(d.last_effects().size(), 1u);
  EXPECT_EQ(d.last_effects()[0].kind, Effect::Kind::SessionComplete);
  ASSERT_EQ(d.state().rounds_size(), 2);
  EXPECT_EQ(d.state().rounds(0).speaker(), v1::ROLE_PARTNER_B);
  EXPECT_EQ(d.state().rounds(0).clarifications(), 1u);
  EXPECT_EQ(d.state().rounds(1).speaker(), v1::ROLE_PARTNER_A);
}

// --- Pause -------------------------------------------------------------------------

TEST(Pause, AnyoneMayCallAPauseAtAnyTimeEvenOutOfTurn) {
  SessionDriver d;
  d.to_share();
  ASSERT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
  d.ok(kB, make::pause());  // The listener, without the floor.
  EXPECT_EQ(d.state().phase(), v1::PHASE_PAUSED);
  EXPECT_EQ(d.state().pause().reason(), v1::PAUSE_REASON_CALLED);
  SessionDriver e;
  e.to_share();
  e.ok(kCoach, make::pause());
  EXPECT_EQ(e.state().phase(), v1::PHASE_PAUSED);
}

TEST(Pause, APauseLastsAtLeastTheMinimumThenBothCheckInAgain) {
  SessionDriver d;
  d.to_share();
  d.ok(kB, make::pause());
  d.refused(kA, make::check_in(false), R::REFUSAL_CODE_PAUSE_NOT_OVER);
  d.advance_seconds(60);
  EXPECT_FALSE(d.shell(make::timer(to_ms(d.now()))).accepted());
  d.advance_seconds(60);
  ASSERT_TRUE(d.shell(make::timer(to_ms(d.now()))).accepted());
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  EXPECT_TRUE(d.state().gate().resume());
  d.both_check_in_calm();
  EXPECT_EQ(d.state().phase(), v1::PHASE_ACTIVE);
  EXPECT_EQ(d.state().step(), v1::STEP_SHARE);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
}

TEST(Pause, APauseDuringAGateStillUnlocksTheSameStepAfterwards) {
  SessionDriver d;
  d.to_who_first();
  d.ok(kA, make::offer_first());
  d.ok(kB, make::accept_first());
  d.ok(kA, make::check_in(false));
  d.ok(kB, make::pause());
  d.finish_pause();
  EXPECT_FALSE(d.state().gate().checked_in_a());  // A fresh check-in after regulating.
  d.both_check_in_calm();
  EXPECT_EQ(d.state().step(), v1::STEP_SHARE);
}

TEST(Pause, StillActivatedAfterAPausePausesAgain) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::pause());
  d.finish_pause();
  d.ok(kA, make::check_in(true));
  d.ok(kB, make::check_in(false));
  EXPECT_EQ(d.state().phase(), v1::PHASE_PAUSED);
  EXPECT_EQ(d.state().pause().reason(), v1::PAUSE_REASON_GATE);
  EXPECT_EQ(d.state().pauses_taken(), 2u);
}

TEST(Pause, TheCoachCanExtendAPause) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::pause());
  const int64_t before = d.state().pause().min_until_ms();
  d.ok(kCoach, make::extend(60));
  EXPECT_EQ(d.state().pause().min_until_ms(), before + 60'000);
  d.refused(kCoach, make::extend(0), R::REFUSAL_CODE_BAD_INPUT);
  d.refused(kCoach, make::extend(99999), R::REFUSAL_CODE_BAD_INPUT);
  d.advance_seconds(120);
  EXPECT_FALSE(d.shell(make::timer(to_ms(d.now()))).accepted());
  d.advance_seconds(60);
  EXPECT_TRUE(d.shell(make::timer(to_ms(d.now()))).accepted());
}

TEST(Pause, ExtendingNeedsAPause) {
  SessionDriver d;
  d.to_share();
  d.refused(kCoach, make::extend(60), R::REFUSAL_CODE_NOT_PAUSED);
}

TEST(Pause, ALongBreakNeedsBothPartnersAndAReturnTimeWithinADay) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::write("Half a thought"));
  d.ok(kB, make::pause());
  const int64_t now = to_ms(d.now());
  d.refused(kA, make::propose_long_break(now + 10'000), R::REFUSAL_CODE_BAD_INPUT);
  d.refused(kA, make::propose_long_break(now + 25LL * 3600 * 1000), R::REFUSAL_CODE_BAD_INPUT);
  d.refused(kA, make::accept_long_break(), R::REFUSAL_CODE_NOTHING_TO_ACCEPT);
  d.ok(kA, make::propose_long_break(now + 3600 * 1000));
  d.refused(kA, make::accept_long_break(), R::REFUSAL_CODE_NOTHING_TO_ACCEPT);
  d.refused(kCoach, make::accept_long_break(), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.ok(kB, make::accept_long_break());
  EXPECT_EQ(d.state().phase(), v1::PHASE_LONG_BREAK);
  // Both devices may close.
  ASSERT_TRUE(d.shell(make::presence(kB, false)).accepted());
  EXPECT_EQ(d.state().phase(), v1::PHASE_LONG_BREAK);
  d.advance_seconds(3600);
  ASSERT_TRUE(d.shell(make::presence(kB, true)).accepted());
  d.ok(kA, make::return_from_break());
  d.ok(kB, make::return_from_break());
  d.both_check_in_calm();
  // Exactly where it stopped.
  EXPECT_EQ(d.state().step(), v1::STEP_SHARE);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
  EXPECT_EQ(d.state().rounds(0).share_text(), "Half a thought");
}

// One partner's "We're back" is theirs alone: the break ends when both are
// back (the coach holds nothing up), and the state says who came back.
TEST(Pause, ALongBreakEndsWhenBothPartnersAreBack) {
  SessionDriver d;
  d.to_share();
  d.ok(kB, make::pause());
  d.advance_seconds(120);
  d.ok(kA, make::propose_long_break(to_ms(d.now()) + 3600 * 1000));
  d.ok(kB, make::accept_long_break());
  d.refused(kCoach, make::return_from_break(), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.ok(kA, make::return_from_break());
  EXPECT_EQ(d.state().phase(), v1::PHASE_LONG_BREAK);
  EXPECT_TRUE(d.state().pause().back_a());
  EXPECT_FALSE(d.state().pause().back_b());
  d.refused(kA, make::return_from_break(), R::REFUSAL_CODE_ALREADY_DONE);
  d.ok(kB, make::return_from_break());
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  d.both_check_in_calm();
  EXPECT_EQ(d.state().step(), v1::STEP_SHARE);
}

// Back early from a long break agreed straight away, the pause still runs
// its minimum before the check-in opens.
TEST(Pause, BackEarlyFromALongBreakTheMinimumPauseStillHolds) {
  SessionDriver d;
  d.to_share();
  d.ok(kB, make::pause());
  d.advance_seconds(10);
  d.ok(kA, make::propose_long_break(to_ms(d.now()) + 3600 * 1000));
  d.ok(kB, make::accept_long_break());
  d.advance_seconds(20);
  d.ok(kB, make::return_from_break());
  d.ok(kA, make::return_from_break());
  EXPECT_EQ(d.state().phase(), v1::PHASE_PAUSED);
  EXPECT_FALSE(d.shell(make::timer(to_ms(d.now()))).accepted()) << "the pause ended before its minimum";
  d.advance_seconds(90);
  EXPECT_TRUE(d.shell(make::timer(to_ms(d.now()))).accepted());
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
}

TEST(Pause, ALongBreakStartsFromAPause) {
  SessionDriver d;
  d.to_share();
  d.refused(kA, make::propose_long_break(to_ms(d.now()) + 3'600'000), R::REFUSAL_CODE_NOT_PAUSED);
  d.refused(kA, make::return_from_break(), R::REFUSAL_CODE_NOT_PAUSED);
}

// proto/README.md, "Refusals": the three codes tied to a pause, exactly
// where the table says, so a client's words for each fit what happened.
TEST(Refusals, TheCodesTiedToAPauseComeExactlyWhereTheProtocolSays) {
  SessionDriver d;
  d.to_share();
  auto timer_code = [&d] {
    const Result r = d.shell(make::timer(to_ms(d.now())));
    return r.accepted() ? v1::REFUSAL_CODE_UNSPECIFIED : r.refusal->code();
  };
  // Active: nothing to extend, no break to start or end, no timer due.
  d.refused(kCoach, make::extend(60), R::REFUSAL_CODE_NOT_PAUSED);
  d.refused(kA, make::propose_long_break(to_ms(d.now()) + 3'600'000), R::REFUSAL_CODE_NOT_PAUSED);
  d.refused(kA, make::return_from_break(), R::REFUSAL_CODE_NOT_PAUSED);
  d.refused(kCoach, make::return_from_break(), R::REFUSAL_CODE_PARTNERS_ONLY);
  EXPECT_EQ(timer_code(), R::REFUSAL_CODE_PAUSE_NOT_OVER);
  // A connection pause: over at once, but B is still away.
  ASSERT_TRUE(d.shell(make::presence(kB, false)).accepted());
  d.refused(kA, make::check_in(false), R::REFUSAL_CODE_PAUSE_NOT_OVER);
  d.refused(kA, make::return_from_break(), R::REFUSAL_CODE_NOT_PAUSED);
  EXPECT_EQ(timer_code(), R::REFUSAL_CODE_SOMEONE_AWAY);
  // A long break: a check-in is "paused", extending needs a plain pause.
  ASSERT_TRUE(d.shell(make::presence(kB, true)).accepted());
  d.ok(kA, make::pause());
  d.ok(kA, make::propose_long_break(to_ms(d.now()) + 3'600'000));
  d.ok(kB, make::accept_long_break());
  d.refused(kA, make::check_in(false), R::REFUSAL_CODE_PAUSED);
  d.refused(kCoach, make::extend(60), R::REFUSAL_CODE_NOT_PAUSED);
  d.refused(kA, make::propose_long_break(to_ms(d.now()) + 3'600'000), R::REFUSAL_CODE_NOT_PAUSED);
  // Over: a participant hears "over" first; the timer keeps its own rule.
  d.ok(kA, make::exit());
  d.refused(kCoach, make::extend(60), R::REFUSAL_CODE_SESSION_OVER);
  EXPECT_EQ(timer_code(), R::REFUSAL_CODE_PAUSE_NOT_OVER);
}

TEST(Exit, ADiscreetExitEndsTheSessionForEveryone) {
  SessionDriver d;
  d.to_share();
  d.ok(kB, make::exit());
  EXPECT_EQ(d.state().phase(), v1::PHASE_ENDED);
  ASSERT_EQ(d.last_effects().size(), 1u);
  EXPECT_EQ(d.last_effects()[0].kind, Effect::Kind::SessionEnded);
  d.refused(kA, make::pass_floor(), R::REFUSAL_CODE_SESSION_OVER);
  d.refused(kA, make::exit(), R::REFUSAL_CODE_SESSION_OVER);
}

TEST(Exit, TheCoachCanEndTheSession) {
  SessionDriver d;
  d.to_share();
  d.ok(kCoach, make::exit());
  EXPECT_EQ(d.state().phase(), v1::PHASE_ENDED);
}

// --- The floor ----------------------------------------------------------------------

TEST(Floor, OnlyTheSpeakerSharesAndPassesTheFloor) {
  SessionDriver d;
  d.to_share();
  const std::string text = d.refused(kB, make::write("My side"), R::REFUSAL_CODE_NOT_YOUR_TURN);
  EXPECT_EQ(text, "It's your partner's turn to speak. You'll have the floor next.");
  d.refused(kB, make::pass_floor(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.ok(kA, make::write("I felt hurt when the plans changed."));
  EXPECT_EQ(d.state().rounds(0).share_text(), "I felt hurt when the plans changed.");
}

TEST(Floor, OnlyTheListenerReflectsAndOnlyTheSpeakerAnswers) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::pass_floor());
  d.both_check_in_calm();
  d.refused(kA, make::write("reflection"), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kA, make::finish_reflection(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kA, make::heard(), R::REFUSAL_CODE_NOT_READY);
  d.refused(kB, make::pass_floor(), R::REFUSAL_CODE_WRONG_STEP);
  d.ok(kB, make::write("You felt hurt."));
  d.reflect_through();
  d.refused(kB, make::heard(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kB, make::write("more"), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.ok(kA, make::heard());
}

TEST(Floor, NotQuiteReturnsToTheSpeakerAndLoopsUntilHeard) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::pass_floor());
  d.both_check_in_calm();
  for (int i = 0; i < 3; ++i) {
    d.reflect_through();
    d.ok(kA, make::not_quite());
    EXPECT_EQ(d.state().step(), v1::STEP_SHARE);
    EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
    d.ok(kA, make::pass_floor());
    EXPECT_EQ(d.state().step(), v1::STEP_REFLECT);
  }
  EXPECT_EQ(d.state().rounds(0).clarifications(), 3u);
  d.reflect_through();
  d.ok(kA, make::heard());
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
}

TEST(Floor, BothAreHeardBeforeOwningTheirPattern) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::pass_floor());
  d.both_check_in_calm();
  d.reflect_through();
  d.ok(kA, make::heard());
  d.both_check_in_calm();
  EXPECT_EQ(d.state().step(), v1::STEP_SHARE);
  EXPECT_EQ(d.state().rounds_size(), 2);
  d.ok(kB, make::pass_floor());
  d.both_check_in_calm();
  d.reflect_through(Who::A, Who::B);
  d.ok(kB, make::heard());
  d.both_check_in_calm();
  EXPECT_EQ(d.state().step(), v1::STEP_OWN_PATTERN);
}

TEST(Floor, OwningAndReassuringGoInTurn) {
  SessionDriver d;
  d.to_own_pattern();
  ASSERT_EQ(d.state().step(), v1::STEP_OWN_PATTERN);
  d.refused(kB, make::pass_floor(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.ok(kA, make::write("I go quiet when I feel cornered."));
  d.ok(kA, make::pass_floor());
  d.refused(kA, make::pass_floor(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.ok(kB, make::pass_floor());
  d.both_check_in_calm();
  ASSERT_EQ(d.state().step(), v1::STEP_REASSURE);
  EXPECT_EQ(d.state().own_turns(0).text(), "I go quiet when I feel cornered.");
  d.ok(kA, make::pass_floor());
  d.ok(kB, make::write("I'm not going anywhere."));
  d.ok(kB, make::pass_floor());
  d.both_check_in_calm();
  EXPECT_EQ(d.state().step(), v1::STEP_RECONNECT);
}

TEST(Floor, TextHasLimits) {
  SessionDriver d;
  d.to_share();
  d.refused(kA, make::write(std::string(kMaxTextBytes + 1, 'x')), R::REFUSAL_CODE_BAD_INPUT);
  d.refused(kA, make::write("\xc3\x28"), R::REFUSAL_CODE_BAD_INPUT);
}

// --- Who goes first ----------------------------------------------------------------

TEST(WhoFirst, AnOfferNeedsTheOtherPartnersYes) {
  SessionDriver d;
  d.to_who_first();
  d.ok(kB, make::offer_first());
  d.refused(kB, make::accept_first(), R::REFUSAL_CODE_NOTHING_TO_ACCEPT);
  d.ok(kA, make::accept_first());
  EXPECT_EQ(d.state().who_first().decided(), v1::ROLE_PARTNER_B);
}

TEST(WhoFirst, ARandomDrawPicksOnePartnerTheSameWayOnEveryReplica) {
  SessionDriver d;
  d.to_who_first();
  d.ok(kA, make::request_draw());
  const State before = d.state();
  d.ok(kB, make::accept_first());
  const v1::Role first = d.state().who_first().decided();
  EXPECT_TRUE(is_partner(first));
  const Result again = apply(before, make::accept_first(), Actor::participant(kB), d.now());
  EXPECT_EQ(again.state.who_first().decided(), first);
}

TEST(WhoFirst, TheCoachAssignsOnlyWhenAsked) {
  SessionDriver d;
  d.to_who_first();
  d.refused(kCoach, make::assign_first(v1::ROLE_PARTNER_A), R::REFUSAL_CODE_NOT_READY);
  d.refused(kA, make::assign_first(v1::ROLE_PARTNER_A), R::REFUSAL_CODE_COACH_ONLY);
  d.ok(kA, make::ask_coach());
  d.ok(kB, make::accept_first());
  d.refused(kCoach, make::assign_first(v1::ROLE_COACH), R::REFUSAL_CODE_BAD_INPUT);
  d.ok(kCoach, make::assign_first(v1::ROLE_PARTNER_A));
  EXPECT_EQ(d.state().who_first().decided(), v1::ROLE_PARTNER_A);
}

TEST(WhoFirst, AskingACoachNeedsOne) {
  SessionDriver d;
  d.ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  d.ok(kA, make::admit(kB));
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.both_check_in_calm();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.both_check_in_calm();
  d.refused(kA, make::ask_coach(), R::REFUSAL_CODE_BAD_INPUT);
}

// --- Reconnect ------------------------------------------------------------------------

TEST(Reconnect, AGestureCompletesTheSessionOnlyWhenBothAccept) {
  SessionDriver d;
  d.to_own_pattern();
  for (int step = 0; step < 2; ++step) {
    d.ok(kA, make::pass_floor());
    d.ok(kB, make::pass_floor());
    d.both_check_in_calm();
  }
  ASSERT_EQ(d.state().step(), v1::STEP_RECONNECT);
  d.ok(kA, make::propose_gesture("A hug"));
  d.ok(kB, make::propose_gesture("Tea together"));
  const uint32_t hug = d.state().gestures(0).id();
  const uint32_t tea = d.state().gestures(1).id();
  d.refused(kA, make::accept_gesture(hug), R::REFUSAL_CODE_NOTHING_TO_ACCEPT);
  d.refused(kA, make::accept_gesture(999), R::REFUSAL_CODE_NOTHING_TO_ACCEPT);
  d.refused(kA, make::propose_gesture("  "), R::REFUSAL_CODE_BAD_INPUT);
  // Only characters that are dropped when kept: the gesture would show nothing.
  d.refused(kA, make::propose_gesture("\x01\x1B \u202E\u2066\x7F"), R::REFUSAL_CODE_BAD_INPUT);
  EXPECT_EQ(d.state().gestures_size(), 2) << "a gesture that shows nothing was kept";
  d.refused(kCoach, make::propose_gesture("Handshake"), R::REFUSAL_CODE_PARTNERS_ONLY);
  EXPECT_EQ(d.state().phase(), v1::PHASE_ACTIVE);
  d.ok(kA, make::accept_gesture(tea));
  EXPECT_EQ(d.state().phase(), v1::PHASE_COMPLETE);
}

TEST(Share, ControlCharactersAreNeutralizedAndTheWordsKept) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::write(std::string("I felt\r\nalone\x07\x1B[2J \u202Ewhen\0", 27) + "\tyou left"));
  EXPECT_EQ(d.state().rounds(0).share_text(), "I felt\nalone[2J when\tyou left");
}

// --- Presence --------------------------------------------------------------------------

TEST(Presence, ADroppedDevicePausesEveryoneAndItsReturnNeedsACheckIn) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::write("Something I typed"));
  ASSERT_TRUE(d.shell(make::presence(kB, false)).accepted());
  EXPECT_EQ(d.state().phase(), v1::PHASE_PAUSED);
  EXPECT_EQ(d.state().pause().reason(), v1::PAUSE_REASON_CONNECTION);
  d.refused(kA, make::pass_floor(), R::REFUSAL_CODE_PAUSED);
  d.advance_seconds(30);
  ASSERT_TRUE(d.shell(make::presence(kB, true)).accepted());
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  d.both_check_in_calm();
  EXPECT_EQ(d.state().step(), v1::STEP_SHARE);
  EXPECT_EQ(d.state().rounds(0).share_text(), "Something I typed");
}

TEST(Presence, ACoachDroppingPausesToo) {
  SessionDriver d;
  d.to_share();
  ASSERT_TRUE(d.shell(make::presence(kCoach, false)).accepted());
  EXPECT_EQ(d.state().phase(), v1::PHASE_PAUSED);
}

TEST(Presence, APauseThatEndsWhileSomeoneIsAwayWaitsForThem) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::pause());
  ASSERT_TRUE(d.shell(make::presence(kB, false)).accepted());
  d.finish_pause();
  EXPECT_EQ(d.state().phase(), v1::PHASE_PAUSED);
  EXPECT_EQ(d.state().pause().reason(), v1::PAUSE_REASON_CONNECTION);
  ASSERT_TRUE(d.shell(make::presence(kB, true)).accepted());
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
}

TEST(Presence, ACheckInTakenBeforeADropIsKept) {
  SessionDriver d;
  d.to_who_first();
  d.ok(kA, make::offer_first());
  d.ok(kB, make::accept_first());
  d.ok(kA, make::check_in(false));
  ASSERT_TRUE(d.shell(make::presence(kB, false)).accepted());
  ASSERT_TRUE(d.shell(make::presence(kB, true)).accepted());
  EXPECT_TRUE(d.state().gate().checked_in_a());
  d.ok(kB, make::check_in(false));
  EXPECT_EQ(d.state().step(), v1::STEP_SHARE);
}

TEST(Presence, OnlyTheShellReportsPresenceAndTimers) {
  SessionDriver d;
  d.to_share();
  d.refused(kA, make::presence(kB, false), R::REFUSAL_CODE_SYSTEM_ONLY);
  d.refused(kA, make::timer(0), R::REFUSAL_CODE_SYSTEM_ONLY);
  EXPECT_FALSE(d.shell(make::pass_floor()).accepted());
  EXPECT_FALSE(d.shell(make::presence("nobody", false)).accepted());
}

// --- Coach rights ----------------------------------------------------------------------

TEST(Coach, ACoachCanNeverTakeTheFloorOrSpeakForAPartner) {
  SessionDriver d;
  d.to_share();
  d.refused(kCoach, make::write("words"), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.refused(kCoach, make::pass_floor(), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.refused(kCoach, make::heard(), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.refused(kCoach, make::confirm(), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.refused(kCoach, make::share_with_coach(true), R::REFUSAL_CODE_PARTNERS_ONLY);
}

TEST(Coach, APartnerCanOptInToShowTheirRatingsAndTakeItBack) {
  SessionDriver d;
  d.to_share();
  d.ok(kA, make::share_with_coach(true));
  EXPECT_TRUE(find_participant(d.state(), kA)->shares_with_coach());
  d.refused(kA, make::share_with_coach(true), R::REFUSAL_CODE_ALREADY_DONE);
  d.ok(kA, make::share_with_coach(false));
  EXPECT_FALSE(find_participant(d.state(), kA)->shares_with_coach());
}

// --- General ---------------------------------------------------------------------------

TEST(General, EveryAcceptedChangeBumpsTheVersionAndRefusalsChangeNothing) {
  SessionDriver d;
  const uint64_t v0 = d.state().version();
  d.ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  EXPECT_EQ(d.state().version(), v0 + 1);
  const State before = d.state();
  const Result r = apply(before, make::confirm(), Actor::participant(kB), d.now());
  EXPECT_FALSE(r.accepted());
  EXPECT_EQ(r.state.SerializeAsString(), before.SerializeAsString());
  EXPECT_TRUE(r.effects.empty());
}

TEST(General, AnEmptyIntentIsRefused) {
  SessionDriver d;
  d.refused(kA, Intent{}, R::REFUSAL_CODE_BAD_INPUT);
}

TEST(General, EveryRefusalCodeHasWordsForPeople) {
  for (int c = v1::RefusalCode_MIN; c <= v1::RefusalCode_MAX; ++c) {
    const auto r = static_cast<v1::RefusalCode>(c);
    EXPECT_GT(refusal_text(r).size(), 10u) << c;
  }
}

// The per-partner accessors views and shells read (attune/engine.hpp): each
// partner reads their own half, and a coach has done or accepted nothing.
TEST(Roles, EachPartnerReadsTheirOwnHalfAndACoachNone) {
  SessionDriver d;
  d.ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  d.ok(kCoach, make::join("Casey", v1::ROLE_COACH));
  d.ok(kB, make::admit(kCoach));
  const v1::Participant* coach = find_participant(d.state(), kCoach);
  ASSERT_NE(coach, nullptr);
  EXPECT_FALSE(accepted_by(*coach, v1::ROLE_PARTNER_A));
  EXPECT_TRUE(accepted_by(*coach, v1::ROLE_PARTNER_B));
  EXPECT_FALSE(accepted_by(*coach, v1::ROLE_COACH));
  d.ok(kA, make::admit(kB));
  d.ok(kA, make::admit(kCoach));
  d.start();

  d.ok(kB, make::confirm());
  EXPECT_FALSE(done(d.state(), v1::ROLE_PARTNER_A));
  EXPECT_TRUE(done(d.state(), v1::ROLE_PARTNER_B));
  EXPECT_FALSE(done(d.state(), v1::ROLE_COACH));
  d.ok(kA, make::confirm());
  ASSERT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  d.ok(kA, make::check_in(false));
  EXPECT_TRUE(checked_in(d.state().gate(), v1::ROLE_PARTNER_A));
  EXPECT_FALSE(checked_in(d.state().gate(), v1::ROLE_PARTNER_B));
  EXPECT_FALSE(checked_in(d.state().gate(), v1::ROLE_COACH));
  EXPECT_TRUE(has_admitted_coach(d.state()));
  EXPECT_EQ(current_round(d.state()), nullptr);
}

}  // namespace
}  // namespace attune::test
