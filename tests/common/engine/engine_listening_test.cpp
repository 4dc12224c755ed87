// Deeper listening in step 6 (../shared/DOMAIN.md, "Deeper listening"):
// "Is there more?" until nothing is missing, then validation and empathy,
// then the speaker's answer as before.
#include <gtest/gtest.h>

#include "attune/engine.hpp"
#include "session_driver.hpp"

namespace attune::test {
namespace {

using R = v1::RefusalCode;

const v1::Round& round(const SessionDriver& d) { return d.state().rounds(d.state().rounds_size() - 1); }

TEST(DeeperListening, IsThereMoreLoopsUntilTheSpeakerHasNothingToAdd) {
  SessionDriver d;
  d.to_reflect();
  d.ok(kB, make::write("You felt alone when the plans changed."));
  d.ok(kB, make::ask_more());
  EXPECT_EQ(round(d).listening(), v1::LISTEN_STAGE_MORE);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A) << "the speaker decides whether there's more";
  d.ok(kA, make::answer_more(true));
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
  d.ok(kA, make::write("And a bit forgotten."));
  d.ok(kA, make::pass_floor());
  EXPECT_EQ(round(d).listening(), v1::LISTEN_STAGE_UNSPECIFIED) << "back to the listener to mirror it";
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_B);
  EXPECT_EQ(round(d).more_added(), 1u);
  EXPECT_EQ(round(d).more_text(), "And a bit forgotten.");
  d.ok(kB, make::ask_more());
  d.ok(kA, make::answer_more(false));
  EXPECT_EQ(round(d).listening(), v1::LISTEN_STAGE_VALIDATE);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_B);
  EXPECT_EQ(d.state().step(), v1::STEP_REFLECT);
  EXPECT_EQ(d.state().phase(), v1::PHASE_ACTIVE) << "no gate inside the listening";
}

TEST(DeeperListening, ThenTheListenerValidatesThenEmpathisesAndTheSpeakerAnswers) {
  SessionDriver d;
  d.to_reflect();
  d.ok(kB, make::ask_more());
  d.ok(kA, make::answer_more(false));
  d.ok(kB, make::write_listening("It makes sense to me that you felt alone, because I changed the plans alone.", ""));
  EXPECT_EQ(round(d).validation_text(),
            "It makes sense to me that you felt alone, because I changed the plans alone.");
  d.ok(kB, make::finish_validation());
  EXPECT_EQ(round(d).listening(), v1::LISTEN_STAGE_EMPATHISE);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_B) << "the listener keeps the floor to empathise";
  d.ok(kB, make::write_listening(round(d).validation_text(), "I imagine you might feel left out."));
  EXPECT_EQ(round(d).empathy_text(), "I imagine you might feel left out.");
  d.ok(kB, make::write_listening("", ""));  // Optional in writing.
  d.ok(kB, make::finish_reflection());
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
  d.ok(kA, make::heard());
  EXPECT_EQ(d.state().phase(), v1::PHASE_CHECK_IN);
}

// Each part is optional in writing but none can be skipped: "I've reflected"
// straight after the mirror, or before validating, is refused in words.
TEST(DeeperListening, NoPartOfTheListeningCanBeSkipped) {
  SessionDriver d;
  d.to_reflect();
  d.ok(kB, make::write("You felt alone when the plans changed."));
  const State mirrored = d.state();
  const std::string why = d.refused(kB, make::finish_reflection(), R::REFUSAL_CODE_NOT_READY);
  EXPECT_NE(why.find("more"), std::string::npos) << why;
  EXPECT_EQ(d.state().version(), mirrored.version()) << "a refused skip changes nothing";
  d.refused(kB, make::finish_validation(), R::REFUSAL_CODE_NOT_READY);
  d.ok(kB, make::ask_more());
  d.refused(kA, make::heard(), R::REFUSAL_CODE_NOT_READY);
  d.ok(kA, make::answer_more(false));
  EXPECT_NE(d.refused(kB, make::finish_reflection(), R::REFUSAL_CODE_NOT_READY).find("makes sense"),
            std::string::npos);
  d.refused(kB, make::write_listening("", "I imagine you felt small."), R::REFUSAL_CODE_NOT_READY);
  d.refused(kB, make::write("more mirroring"), R::REFUSAL_CODE_ALREADY_DONE);
  d.refused(kA, make::heard(), R::REFUSAL_CODE_NOT_READY);
  d.refused(kA, make::finish_validation(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.ok(kB, make::finish_validation());
  d.refused(kB, make::finish_validation(), R::REFUSAL_CODE_ALREADY_DONE);
  d.refused(kB, make::ask_more(), R::REFUSAL_CODE_ALREADY_DONE);
  d.refused(kA, make::heard(), R::REFUSAL_CODE_NOT_READY);
  d.ok(kB, make::finish_reflection());
  d.refused(kB, make::finish_validation(), R::REFUSAL_CODE_ALREADY_DONE);
  d.refused(kB, make::write_listening("changed", "under their eyes"), R::REFUSAL_CODE_ALREADY_DONE);
  d.ok(kA, make::heard());
}

// While the speaker decides whether there's more, their typing must not
// overwrite the listener's mirror: words come only after "yes, there's more".
TEST(DeeperListening, TheSpeakersWordsBeforeSayingThereIsMoreLeaveTheMirrorAlone) {
  SessionDriver d;
  d.to_reflect();
  d.ok(kB, make::write("You felt alone when the plans changed."));
  d.ok(kB, make::ask_more());
  const State asked = d.state();
  const std::string why = d.refused(kA, make::write("I felt alone"), R::REFUSAL_CODE_NOT_READY);
  EXPECT_FALSE(why.empty());
  EXPECT_EQ(round(d).reflection_text(), "You felt alone when the plans changed.") << "the mirror stays the listener's";
  EXPECT_EQ(d.state().version(), asked.version());
  d.ok(kA, make::answer_more(true));
  d.ok(kA, make::write("I felt alone"));
  EXPECT_EQ(round(d).more_text(), "I felt alone");
  EXPECT_EQ(round(d).reflection_text(), "You felt alone when the plans changed.");
}

TEST(DeeperListening, OnlyTheRightPersonSpeaksAtEachMoment) {
  SessionDriver d;
  d.to_reflect();
  d.refused(kA, make::ask_more(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kA, make::answer_more(true), R::REFUSAL_CODE_NOT_READY);
  d.refused(kB, make::write_listening("It makes sense", ""), R::REFUSAL_CODE_NOT_READY);
  d.ok(kB, make::ask_more());
  d.refused(kB, make::ask_more(), R::REFUSAL_CODE_ALREADY_DONE);
  d.refused(kB, make::answer_more(false), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kB, make::finish_reflection(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kB, make::write("more mirroring"), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kA, make::heard(), R::REFUSAL_CODE_NOT_READY);
  d.refused(kCoach, make::answer_more(true), R::REFUSAL_CODE_PARTNERS_ONLY);
  d.ok(kA, make::answer_more(true));
  d.refused(kB, make::pass_floor(), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.ok(kA, make::pass_floor());
  d.ok(kB, make::ask_more());
  d.ok(kA, make::answer_more(false));
  d.refused(kA, make::write_listening("x", "y"), R::REFUSAL_CODE_NOT_YOUR_TURN);
  d.refused(kB, make::ask_more(), R::REFUSAL_CODE_ALREADY_DONE);
  d.refused(kB, make::write_listening(std::string(kMaxTextBytes + 1, 'x'), ""), R::REFUSAL_CODE_BAD_INPUT);
}

TEST(DeeperListening, AskingOnlyHappensInStepSix) {
  SessionDriver d;
  d.to_share();
  d.refused(kB, make::ask_more(), R::REFUSAL_CODE_WRONG_STEP);
  d.refused(kA, make::answer_more(true), R::REFUSAL_CODE_WRONG_STEP);
  d.refused(kB, make::write_listening("a", "b"), R::REFUSAL_CODE_WRONG_STEP);
  d.refused(kB, make::finish_validation(), R::REFUSAL_CODE_WRONG_STEP);
}

TEST(DeeperListening, NotQuiteStartsTheNextReflectionWithTheMirror) {
  SessionDriver d;
  d.to_reflect();
  d.ok(kB, make::ask_more());
  d.ok(kA, make::answer_more(false));
  d.ok(kB, make::finish_validation());
  d.ok(kB, make::finish_reflection());
  d.ok(kA, make::not_quite());
  EXPECT_EQ(d.state().step(), v1::STEP_SHARE);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A) << "the speaker holds the floor to clarify";
  d.ok(kA, make::pass_floor());
  EXPECT_EQ(d.state().step(), v1::STEP_REFLECT);
  EXPECT_EQ(round(d).listening(), v1::LISTEN_STAGE_UNSPECIFIED);
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_B);
  d.refused(kB, make::finish_reflection(), R::REFUSAL_CODE_NOT_READY);
  d.reflect_through();
  EXPECT_TRUE(round(d).reflected());
}

TEST(DeeperListening, APauseWhileTheSpeakerAddsResumesWithThem) {
  SessionDriver d;
  d.to_reflect();
  d.ok(kB, make::ask_more());
  d.ok(kA, make::answer_more(true));
  d.ok(kCoach, make::pause());
  d.finish_pause();
  d.both_check_in_calm();
  EXPECT_EQ(d.state().floor(), v1::ROLE_PARTNER_A);
  d.ok(kA, make::write("I also needed to be asked."));
}

// What the listener writes is kept cleaned, as the speaker's share is: a
// bidi override or an escape can't reorder or hide words on the other screen.
TEST(Listening, ControlAndBidiCharactersAreDroppedFromWhatTheListenerWrites) {
  SessionDriver d;
  d.to_reflect();
  d.ok(kB, make::ask_more());
  d.ok(kA, make::answer_more(false));
  d.ok(kB, make::write_listening("It makes\x1B[2J sense \u202Eto me", ""));
  EXPECT_EQ(round(d).validation_text(), "It makes[2J sense to me");
  d.ok(kB, make::finish_validation());
  d.ok(kB, make::write_listening(round(d).validation_text(), "I imagine\x07 you \u2066felt\r\nleft out."));
  EXPECT_EQ(round(d).empathy_text(), "I imagine you felt\nleft out.");
}

}  // namespace
}  // namespace attune::test
