// Quick repair, the second kind of session (../shared/DOMAIN.md, "Kinds of
// repair"): one test per rule, a walkthrough, and the move into the nine steps.
#include <gtest/gtest.h>

#include "attune/engine.hpp"
#include "session_driver.hpp"

namespace attune::test {
namespace {

using R = v1::RefusalCode;

TEST(QuickWalkthrough, BRepairsAndTheyReconnect) {
  SessionDriver d;
  d.start_quick(v1::ROLE_PARTNER_B);
  // 1. Name it, then one check-in.
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  ASSERT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  EXPECT_EQ(d.state().gate().target_step(), v1::STEP_ACKNOWLEDGE);
  d.both_check_in_calm();
  // 2. B acknowledges; A says "not quite" once, then "I feel seen".
  ASSERT_EQ(d.state().step(), v1::STEP_ACKNOWLEDGE);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_B);
  d.ok(kB, make::write("I see that I hurt you when I checked my phone while you talked."));
  d.ok(kB, make::pass_floor());
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
  d.ok(kA, make::not_quite());
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_B);
  d.ok(kB, make::write("I see that you felt alone, right when you needed me."));
  d.ok(kB, make::pass_floor());
  d.ok(kA, make::heard());
  // 3. B owns their part, with no gate in between.
  ASSERT_EQ(d.state().step(), v1::STEP_OWN_PART);
  EXPECT_EQ(d.state().phase(), v1::PHASE_ACTIVE);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_B);
  d.ok(kB, make::write("I let my work follow me to dinner."));
  d.ok(kB, make::pass_floor());
  // 4. A names theirs too.
  ASSERT_EQ(d.state().step(), v1::STEP_OTHER_PART);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
  d.ok(kA, make::write("I went quiet instead of saying so."));
  d.ok(kA, make::pass_floor());
  // 5. A check-in, then a gesture proposed and accepted.
  ASSERT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  EXPECT_EQ(d.state().gate().target_step(), v1::STEP_RECONNECT);
  d.both_check_in_calm();
  ASSERT_EQ(d.state().step(), v1::STEP_RECONNECT);
  d.ok(kB, make::propose_gesture("Phones away for the rest of the evening"));
  d.ok(kA, make::accept_gesture(d.state().gestures(0).id()));
  EXPECT_EQ(d.state().phase(), v1::PHASE_COMPLETE);
  ASSERT_EQ(d.last_effects().size(), 1u);
  EXPECT_EQ(d.last_effects()[0].kind, Effect::Kind::SessionComplete);
  const auto& q = d.state().quick();
  EXPECT_EQ(q.acknowledgment_text(), "I see that you felt alone, right when you needed me.");
  EXPECT_EQ(q.not_quite(), 1u);
  EXPECT_EQ(q.own_text(), "I let my work follow me to dinner.");
  EXPECT_EQ(q.other_text(), "I went quiet instead of saying so.");
  EXPECT_FALSE(q.escalated());
  EXPECT_EQ(d.state().rounds_size(), 0);
  // Over: asking for the whole conversation now is final, not "for now"
  // (a device resending it after the end never holds it).
  d.refused(kA, make::whole_conversation(), R::REFUSAL_CODE_SESSION_OVER);
}

TEST(QuickWalkthrough, StartsQuickAndMovesIntoTheWholeConversation) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_A);
  d.ok(kA, make::write("I see that my joke stung."));
  d.ok(kA, make::pass_floor());
  d.ok(kB, make::heard());
  d.ok(kB, make::whole_conversation());
  // The nine steps carry on from step 3, behind a check-in.
  ASSERT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  EXPECT_EQ(d.state().gate().target_step(), v1::STEP_BENEFIT);
  d.both_check_in_calm();
  ASSERT_EQ(d.state().step(), v1::STEP_BENEFIT);
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.both_check_in_calm();
  d.ok(kB, make::offer_first());
  d.ok(kA, make::accept_first());
  d.both_check_in_calm();
  ASSERT_EQ(d.state().step(), v1::STEP_SHARE);
  for (int round = 0; round < 2; ++round) {
    const std::string speaker = d.state().floor() == v1::ROLE_PARTNER_A ? kA : kB;
    const std::string listener = speaker == kA ? kB : kA;
    d.ok(speaker, make::pass_floor());
    d.both_check_in_calm();
    d.reflect_through(listener == kA ? Who::A : Who::B, speaker == kA ? Who::A : Who::B);
    d.ok(speaker, make::heard());
    d.both_check_in_calm();
  }
  ASSERT_EQ(d.state().step(), v1::STEP_OWN_PATTERN);
  for (int step = 0; step < 2; ++step) {
    d.ok(kB, make::pass_floor());
    d.ok(kA, make::pass_floor());
    d.both_check_in_calm();
  }
  ASSERT_EQ(d.state().step(), v1::STEP_RECONNECT);
  d.ok(kA, make::propose_gesture("A long walk"));
  d.ok(kB, make::accept_gesture(d.state().gestures(0).id()));
  EXPECT_EQ(d.state().phase(), v1::PHASE_COMPLETE);
  // What was said in the quick part is still there.
  EXPECT_TRUE(d.state().quick().escalated());
  EXPECT_EQ(d.state().quick().acknowledgment_text(), "I see that my joke stung.");
  EXPECT_TRUE(d.state().quick().seen());
}

TEST(QuickRepair, TheFullConversationStaysTheDefault) {
  EXPECT_EQ(default_settings().kind(), v1::REPAIR_KIND_FULL);
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  EXPECT_EQ(d.state().step(), v1::STEP_GAUGE);
  EXPECT_EQ(d.state().gate().target_step(), v1::STEP_BENEFIT);
}

TEST(QuickRepair, ChoosingItIsASettingBothAgreeTo) {
  SessionDriver d;
  d.join_b_and_coach();
  d.ok(kA, make::ready());
  d.ok(kB, make::settings(make::quick_settings(v1::ROLE_PARTNER_B)));
  EXPECT_FALSE(find_participant(d.state(), kA)->ready()) << "a new kind needs a fresh yes";
  EXPECT_EQ(d.state().settings().kind(), v1::REPAIR_KIND_QUICK);
  d.start();
  EXPECT_EQ(d.state().step(), v1::STEP_NAME_IT);
  d.refused(kA, make::settings(make::quick_settings(v1::ROLE_PARTNER_A)), R::REFUSAL_CODE_LOBBY_ONLY);
}

TEST(QuickRepair, ItNeedsSomeoneReachingOutAndOnlyIt) {
  SessionDriver d;
  d.refused(kA, make::settings(make::quick_settings(v1::ROLE_UNSPECIFIED)), R::REFUSAL_CODE_BAD_INPUT);
  d.refused(kA, make::settings(make::quick_settings(v1::ROLE_COACH)), R::REFUSAL_CODE_BAD_INPUT);
  v1::Settings full = default_settings();
  full.set_repairer(v1::ROLE_PARTNER_A);
  d.refused(kA, make::settings(full), R::REFUSAL_CODE_BAD_INPUT);
  v1::Settings odd = default_settings();
  odd.set_kind(static_cast<v1::RepairKind>(9));
  d.refused(kA, make::settings(odd), R::REFUSAL_CODE_BAD_INPUT);
}

TEST(QuickRepair, TheOpeningCheckInGatesItLikeAnyOther) {
  SessionDriver d;
  d.start_quick(v1::ROLE_PARTNER_A);
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.refused(kA, make::write("I see it"), R::REFUSAL_CODE_WAITING_FOR_CHECK_IN);
  d.ok(kA, make::check_in(false));
  d.ok(kB, make::check_in(true));
  EXPECT_EQ(d.state().phase(), v1::PHASE_PAUSED);
  d.finish_pause();
  EXPECT_EQ(d.state().gate().target_step(), v1::STEP_ACKNOWLEDGE);
  d.both_check_in_calm();
  EXPECT_EQ(d.state().step(), v1::STEP_ACKNOWLEDGE);
}

TEST(QuickRepair, OnlyTheRepairerAcknowledgesAndOnlyTheOtherSaysSeen) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_A);
  d.refused(kB, make::write("me first"), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kB, make::pass_floor(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kB, make::heard(), R::REFUSAL_CODE_NOT_READY);
  d.refused(kA, make::heard(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kA, make::finish_reflection(), R::REFUSAL_CODE_WRONG_STEP);
  d.ok(kA, make::pass_floor());
  d.refused(kA, make::write("and another thing"), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kA, make::pass_floor(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.ok(kB, make::heard());
  EXPECT_TRUE(d.state().quick().seen());
  EXPECT_EQ(d.state().step(), v1::STEP_OWN_PART);
}

TEST(QuickRepair, NotQuiteLoopsBackToTheRepairerUntilSeen) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_B);
  for (uint32_t loop = 1; loop <= 3; ++loop) {
    d.ok(kB, make::pass_floor());
    d.ok(kA, make::not_quite());
    EXPECT_EQ(d.state().step(), v1::STEP_ACKNOWLEDGE);
    EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_B);
    EXPECT_EQ(d.state().quick().not_quite(), loop);
    EXPECT_FALSE(d.state().quick().acknowledged());
  }
  d.ok(kB, make::pass_floor());
  d.ok(kA, make::heard());
  EXPECT_EQ(d.state().step(), v1::STEP_OWN_PART);
}

TEST(QuickRepair, TheOtherMayNameTheirPartButNeverHasTo) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_A);
  d.ok(kA, make::pass_floor());
  d.ok(kB, make::heard());
  d.refused(kB, make::skip_part(), R::REFUSAL_CODE_WRONG_STEP);
  d.refused(kB, make::pass_floor(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.ok(kA, make::pass_floor());
  ASSERT_EQ(d.state().step(), v1::STEP_OTHER_PART);
  d.refused(kA, make::skip_part(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kCoach, make::skip_part(), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.ok(kB, make::write("half a thought"));
  d.ok(kB, make::skip_part());
  EXPECT_TRUE(d.state().quick().other_skipped());
  EXPECT_EQ(d.state().quick().other_text(), "") << "a skipped part keeps no half-written words";
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
  EXPECT_EQ(d.state().gate().target_step(), v1::STEP_RECONNECT);
}

TEST(QuickRepair, ACheckInGatesTheGesture) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_A);
  d.ok(kA, make::pass_floor());
  d.ok(kB, make::heard());
  d.ok(kA, make::pass_floor());
  d.ok(kB, make::pass_floor());
  d.refused(kA, make::propose_gesture("A hug"), R::REFUSAL_CODE_WAITING_FOR_CHECK_IN);
  d.ok(kA, make::check_in(true));
  d.ok(kB, make::check_in(false));
  EXPECT_EQ(d.state().phase(), v1::PHASE_PAUSED);
  d.finish_pause();
  d.both_check_in_calm();
  EXPECT_EQ(d.state().step(), v1::STEP_RECONNECT);
  d.ok(kA, make::propose_gesture("A hug"));
}

TEST(QuickRepair, APauseMidwayResumesWithTheFloorWhereItWas) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_B);
  d.ok(kB, make::write("I see that I cut you off."));
  d.ok(kB, make::pass_floor());
  d.ok(kCoach, make::pause());
  d.refused(kA, make::heard(), R::REFUSAL_CODE_PAUSED);
  d.finish_pause();
  d.both_check_in_calm();
  EXPECT_EQ(d.state().step(), v1::STEP_ACKNOWLEDGE);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
  EXPECT_EQ(d.state().quick().acknowledgment_text(), "I see that I cut you off.");
  d.ok(kA, make::heard());
}

TEST(QuickRepair, ADiscreetExitEndsItForEveryone) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_A);
  d.ok(kB, make::exit());
  EXPECT_EQ(d.state().phase(), v1::PHASE_ENDED);
  d.refused(kA, make::whole_conversation(), R::REFUSAL_CODE_SESSION_OVER);
}

TEST(QuickRepair, TheCoachCanNeitherSpeakNorChangeTheKind) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_A);
  d.refused(kCoach, make::write("I see it"), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.refused(kCoach, make::pass_floor(), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.refused(kCoach, make::heard(), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.refused(kCoach, make::whole_conversation(), R::REFUSAL_CODE_PARTNERS_ONLY);
}

TEST(QuickRepair, EitherPartnerCanAskForTheWholeConversationKeepingWhatWasSaid) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_A);
  d.ok(kA, make::write("I see that I forgot your news."));
  d.ok(kA, make::pass_floor());
  d.ok(kB, make::heard());
  d.ok(kA, make::write("I was distracted."));
  d.ok(kA, make::whole_conversation());  // The repairer may ask too.
  EXPECT_EQ(d.state().gate().target_step(), v1::STEP_BENEFIT);
  EXPECT_EQ(d.state().floor(), v1::ROLE_UNSPECIFIED);
  EXPECT_EQ(d.state().quick().acknowledgment_text(), "I see that I forgot your news.");
  EXPECT_EQ(d.state().quick().own_text(), "I was distracted.");
  d.refused(kB, make::whole_conversation(), R::REFUSAL_CODE_ALREADY_DONE);
}

TEST(QuickRepair, AskingWhileNamingItCarriesOnIntoTheNineSteps) {
  SessionDriver d;
  d.start_quick(v1::ROLE_PARTNER_A);
  d.ok(kB, make::whole_conversation());
  EXPECT_EQ(d.state().step(), v1::STEP_NAME_IT);
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  EXPECT_EQ(d.state().gate().target_step(), v1::STEP_BENEFIT);
}

TEST(QuickRepair, TheWholeConversationIsAskedForOnlyDuringAQuickRepair) {
  SessionDriver d;
  d.join_b_and_coach();
  d.refused(kA, make::whole_conversation(), R::REFUSAL_CODE_WRONG_STEP);
  d.ok(kA, make::settings(make::quick_settings(v1::ROLE_PARTNER_A)));
  d.refused(kA, make::whole_conversation(), R::REFUSAL_CODE_LOBBY_ONLY);
  d.start();
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.ok(kA, make::pause());
  d.refused(kB, make::whole_conversation(), R::REFUSAL_CODE_PAUSED);
}

TEST(QuickRepair, AWaitingDeviceSeesNothingThatWasSaid) {
  SessionDriver d;
  d.to_acknowledge(v1::ROLE_PARTNER_A);
  d.ok(kA, make::write("I see that I hurt you."));
  EXPECT_EQ(view_for(d.state(), kCoach).quick().acknowledgment_text(), "I see that I hurt you.");
  EXPECT_FALSE(view_for(d.state(), "someone-else").has_quick());
}

// The quick repair's texts are kept cleaned, as the whole conversation's are.
TEST(QuickRepair, ControlAndBidiCharactersAreDroppedFromItsTexts) {
  SessionDriver d;
  d.start_quick(v1::ROLE_PARTNER_B);
  d.ok(kA, make::confirm());
  d.ok(kB, make::confirm());
  d.both_check_in_calm();
  ASSERT_EQ(d.state().step(), v1::STEP_ACKNOWLEDGE);
  d.ok(kB, make::write("I see\x1B[2J that \u202EI hurt you"));
  EXPECT_EQ(d.state().quick().acknowledgment_text(), "I see[2J that I hurt you");
}

}  // namespace
}  // namespace attune::test
