// The lobby's rules: who joins, who lets whom in, settings and readiness
// (../shared/DOMAIN.md).
#include "attune/engine.hpp"

#include <gtest/gtest.h>

#include "attune/refusals.hpp"
#include "session_driver.hpp"

namespace attune::test {
namespace {

using R = v1::RefusalCode;

// --- Lobby --------------------------------------------------------------------

TEST(Lobby, AJoiningPartnerWaitsUntilTheOtherPartnerLetsThemIn) {
  SessionDriver d;
  d.ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  EXPECT_FALSE(find_participant(d.state(), kB)->admitted());
  d.refused(kB, make::ready(), R::REFUSAL_CODE_NOT_ADMITTED);
  d.ok(kA, make::admit(kB));
  EXPECT_TRUE(find_participant(d.state(), kB)->admitted());
}

TEST(Lobby, ACoachNeedsBothPartnersToAccept) {
  SessionDriver d;
  d.ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  d.ok(kA, make::admit(kB));
  d.ok(kCoach, make::join("Casey", v1::ROLE_COACH));
  d.ok(kA, make::admit(kCoach));
  EXPECT_FALSE(find_participant(d.state(), kCoach)->admitted());
  d.ok(kB, make::admit(kCoach));
  EXPECT_TRUE(find_participant(d.state(), kCoach)->admitted());
}

// Both partners are in and ready; a coach, Casey, still waits to be let in,
// and the session can't begin until Casey is either let in or gone.
void ready_with_a_coach_waiting(SessionDriver& d) {
  d.ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  d.ok(kA, make::admit(kB));
  d.ok(kCoach, make::join("Casey", v1::ROLE_COACH));
  d.start();
  ASSERT_EQ(d.state().phase(), v1::PHASE_LOBBY);
}

TEST(Lobby, TheSessionCannotStartWhileADeviceWaitsToBeLetIn) {
  SessionDriver d;
  ready_with_a_coach_waiting(d);
  d.ok(kA, make::decline(kCoach));
  EXPECT_EQ(d.state().phase(), v1::PHASE_ACTIVE);
  EXPECT_EQ(d.state().step(), v1::STEP_NAME_IT);
}

TEST(Lobby, AWaitingCoachWhoLeavesLetsTheReadyPartnersBegin) {
  SessionDriver d;
  ready_with_a_coach_waiting(d);
  // Casey gives up waiting: nothing holds the two ready partners back now.
  d.ok(kCoach, make::leave());
  EXPECT_EQ(d.state().phase(), v1::PHASE_ACTIVE);
  EXPECT_EQ(d.state().step(), v1::STEP_NAME_IT);
}

TEST(Lobby, DecliningADeviceRemovesItAndClosesItsLink) {
  SessionDriver d;
  d.ok(kCoach, make::join("Casey", v1::ROLE_COACH));
  d.ok(kA, make::decline(kCoach));
  EXPECT_EQ(find_participant(d.state(), kCoach), nullptr);
  ASSERT_EQ(d.last_effects().size(), 1u);
  EXPECT_EQ(d.last_effects()[0].kind, Effect::Kind::Removed);
  EXPECT_EQ(d.last_effects()[0].participant_id, kCoach);
}

TEST(Lobby, ATakenSeatIsRefused) {
  SessionDriver d;
  d.ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  d.refused("device-x", make::join("Xan", v1::ROLE_PARTNER_B), R::REFUSAL_CODE_SEAT_TAKEN);
  d.refused("device-y", make::join("Yan", v1::ROLE_PARTNER_A), R::REFUSAL_CODE_SEAT_TAKEN);
}

TEST(Lobby, AtMostTwoCoaches) {
  SessionDriver d;
  d.ok("c1", make::join("Coach one", v1::ROLE_COACH));
  d.ok("c2", make::join("Coach two", v1::ROLE_COACH));
  d.refused("c3", make::join("Coach three", v1::ROLE_COACH), R::REFUSAL_CODE_SEAT_TAKEN);
}

TEST(Lobby, NamesMustBeReadableAndShort) {
  SessionDriver d;
  d.refused(kB, make::join("   ", v1::ROLE_PARTNER_B), R::REFUSAL_CODE_BAD_INPUT);
  d.refused(kB, make::join(std::string(100, 'x'), v1::ROLE_PARTNER_B), R::REFUSAL_CODE_BAD_INPUT);
  d.refused(kB, make::join("bad\xff", v1::ROLE_PARTNER_B), R::REFUSAL_CODE_BAD_INPUT);
  // Invisible names: a no-break space and a zero-width space, or padding only.
  d.refused(kB, make::join("\u00A0\u200B", v1::ROLE_PARTNER_B), R::REFUSAL_CODE_BAD_INPUT);
  d.refused(kB, make::join("\u3164\u200D", v1::ROLE_PARTNER_B), R::REFUSAL_CODE_BAD_INPUT);
  d.refused(kB, make::join("Blake", v1::ROLE_UNSPECIFIED), R::REFUSAL_CODE_BAD_INPUT);
  d.ok(kB, make::join("  Blake  ", v1::ROLE_PARTNER_B));
  EXPECT_EQ(find_participant(d.state(), kB)->display_name(), "Blake");
}

TEST(Lobby, ControlsAndBidiOverridesAreStrippedFromNames) {
  SessionDriver d;
  d.ok(kB, make::join("no\x01pe\xC2\x9B\u202E", v1::ROLE_PARTNER_B));
  d.ok(kCoach, make::join("\u202E\u2066Dana 🌻\u2069", v1::ROLE_COACH));
  const auto* b = find_participant(d.state(), kB);
  const auto* coach = find_participant(d.state(), kCoach);
  ASSERT_TRUE(b && coach);
  EXPECT_EQ(b->display_name(), "nope");
  EXPECT_EQ(coach->display_name(), "Dana 🌻");
}

TEST(Lobby, TwoPeopleWithTheSameNameAreShownApart) {
  SessionDriver d;
  d.ok(kB, make::join("Casey", v1::ROLE_PARTNER_B));
  d.ok(kCoach, make::join("casey", v1::ROLE_COACH));
  d.ok("c2", make::join("Casey", v1::ROLE_COACH));
  EXPECT_EQ(find_participant(d.state(), kB)->display_name(), "Casey");
  EXPECT_EQ(find_participant(d.state(), kCoach)->display_name(), "casey (2)");
  EXPECT_EQ(find_participant(d.state(), "c2")->display_name(), "Casey (3)");
}

TEST(Lobby, ChangingTheSettingsAsksBothPartnersAgain) {
  SessionDriver d;
  d.ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  d.ok(kA, make::admit(kB));
  d.ok(kA, make::ready());
  v1::Settings s = default_settings();
  s.set_threshold(4);
  d.ok(kB, make::settings(s));
  EXPECT_EQ(d.state().settings().threshold(), 4u);
  EXPECT_FALSE(find_participant(d.state(), kA)->ready());
  d.ok(kB, make::ready());
  EXPECT_EQ(d.state().phase(), v1::PHASE_LOBBY);
  d.ok(kA, make::ready());
  EXPECT_EQ(d.state().phase(), v1::PHASE_ACTIVE);
}

TEST(Lobby, SettingsThatMakeNoSenseAreRefused) {
  SessionDriver d;
  v1::Settings s = default_settings();
  s.set_threshold(0);
  d.refused(kA, make::settings(s), R::REFUSAL_CODE_BAD_INPUT);
  s = default_settings();
  s.set_min_pause_seconds(5);
  d.refused(kA, make::settings(s), R::REFUSAL_CODE_BAD_INPUT);
  s = default_settings();
  s.set_long_break_at_level(2);
  d.refused(kA, make::settings(s), R::REFUSAL_CODE_BAD_INPUT);
}

TEST(Lobby, SettingsAreFixedOnceTheSessionBegins) {
  SessionDriver d;
  d.join_b_and_coach();
  d.start();
  d.refused(kA, make::settings(default_settings()), R::REFUSAL_CODE_LOBBY_ONLY);
  d.refused("late", make::join("Late", v1::ROLE_COACH), R::REFUSAL_CODE_LOBBY_ONLY);
}

TEST(Lobby, APartnerLeavingTakesTheirAgreementsWithThem) {
  SessionDriver d;
  d.join_b_and_coach();
  d.ok(kB, make::leave());
  EXPECT_EQ(find_participant(d.state(), kB), nullptr);
  EXPECT_FALSE(find_participant(d.state(), kCoach)->admitted());
  d.refused(kA, make::leave(), R::REFUSAL_CODE_BAD_INPUT);  // The host ends instead.
}

// proto/README.md: a device that left (unlike a declined one) may join the
// same lobby again, and then waits for both partners' yes like a newcomer.
TEST(Lobby, ADeviceThatLeftMayJoinAgainAndWaitsToBeLetIn) {
  SessionDriver d;
  d.join_b_and_coach();
  d.ok(kCoach, make::leave());
  d.ok(kCoach, make::join("Casey", v1::ROLE_COACH));
  ASSERT_NE(find_participant(d.state(), kCoach), nullptr);
  EXPECT_FALSE(find_participant(d.state(), kCoach)->admitted());
}

TEST(Lobby, APendingDeviceSeesOnlyTheRosterAndSettings) {
  SessionDriver d;
  d.ok(kCoach, make::join("Casey", v1::ROLE_COACH));
  const State v = view_for(d.state(), kCoach);
  EXPECT_EQ(v.participants_size(), 2);
  EXPECT_EQ(v.rounds_size(), 0);
  d.refused(kCoach, make::pause(), R::REFUSAL_CODE_NOT_ADMITTED);
  d.refused("stranger", make::pause(), R::REFUSAL_CODE_NOT_IN_SESSION);
}

}  // namespace
}  // namespace attune::test
