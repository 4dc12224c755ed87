// Every line fits the role and the moment, and the screen says what was
// decided: read from what each real window drew, in the order it drew it.
// Run under xvfb-run.
#include <utility>

#include "window_devices.hpp"
#include "attune/intents.hpp"

namespace attune::app {
namespace {

using Lines = test::WindowDevices;

// Index of the first line containing text, or -1.
int line_of(const test::Device& d, const std::string& text) {
  const auto& lines = d.window->drawn().lines;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].find(text) != std::string::npos) return static_cast<int>(i);
  return -1;
}

TEST_F(Lines, TheSpeakerIsNeverToldToListenAndSeesTheirOwnWordsAsTheirs) {
  ASSERT_EQ(f_.to_share(), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::write("I felt alone.")), "");
  f_.advance_seconds(240);
  frames(alex_);
  ASSERT_EQ(alex_.window->click("I'm done sharing"), DeviceWindow::Click::Done);
  frames(alex_, "lines-1-after-sharing-alex");
  ASSERT_EQ(f_.alex->snapshot()->state.phase(), v1::PHASE_CHECK_IN);
  all_frames("lines-1-after-sharing");
  EXPECT_EQ(line_of(alex_, "Just listen"), -1) << "the speaker is told to listen";
  EXPECT_EQ(line_of(alex_, "What Sam wrote"), -1) << "Alex's own words are labelled as Sam's";
  EXPECT_EQ(line_of(alex_, "What your partner wrote"), -1);
  EXPECT_NE(line_of(alex_, "What you wrote"), -1);
  EXPECT_NE(line_of(sam_, "What Alex wrote"), -1);
  // Who starts, and how it was decided, on every screen.
  EXPECT_NE(line_of(alex_, "You offered to go first."), -1);
  EXPECT_NE(line_of(sam_, "Alex offered to go first."), -1);
  EXPECT_NE(line_of(robin_, "Alex offered to go first."), -1);
}

TEST_F(Lines, AQuestionComesAfterWhatItAsksAbout) {
  ASSERT_EQ(f_.to_who_first(), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::offer_first()), "");
  frames(sam_, "lines-0-who-first-sam");
  const int offer = line_of(sam_, "Alex offered to go first.");
  const int question = line_of(sam_, "Is that all right with you?");
  ASSERT_NE(offer, -1);
  ASSERT_NE(question, -1);
  EXPECT_LT(offer, question) << "\"Is that all right with you?\" comes before what it asks about";
}

TEST_F(Lines, NotQuiteSaysWhyAndTheQuestionFollowsTheReflection) {
  ASSERT_EQ(f_.to_share(), "");
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.alex, intents::pass_floor()), "");
  ASSERT_EQ(f_.both_check_in(2, 2), "");
  ASSERT_EQ(f_.send(*f_.sam, intents::write("I heard you felt alone.")), "");
  f_.advance_seconds(180);
  ASSERT_EQ(f_.reflect_through(*f_.sam), "");
  frames(alex_, "lines-2-did-that-capture-it-alex");
  const int reflection = line_of(alex_, "I heard you felt alone.");
  const int question = line_of(alex_, "Did that capture it?");
  ASSERT_NE(reflection, -1);
  ASSERT_NE(question, -1);
  EXPECT_LT(reflection, question) << "the question comes before the reflection it asks about";

  ASSERT_EQ(alex_.window->click("Not quite"), DeviceWindow::Click::Done);
  frames(alex_);
  all_frames("lines-3-not-quite");
  EXPECT_NE(line_of(sam_, "didn't quite capture it yet"), -1) << "Sam isn't told why the dots moved back";
}

TEST_F(Lines, TheSecondReflectorIsNotToldTheirSideComesLater) {
  ASSERT_EQ(f_.to_share(), "");
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.alex, intents::pass_floor()), "");
  ASSERT_EQ(f_.both_check_in(2, 2), "");
  frames(sam_, "lines-4-first-reflect-sam");
  EXPECT_NE(line_of(sam_, "Your side comes later"), -1);  // Sam hasn't spoken yet.
  f_.advance_seconds(180);
  ASSERT_EQ(f_.reflect_through(*f_.sam), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::heard()), "");
  ASSERT_EQ(f_.both_check_in(2, 3), "");
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.sam, intents::pass_floor()), "");
  ASSERT_EQ(f_.both_check_in(1, 2), "");
  ASSERT_EQ(f_.alex->snapshot()->state.step(), v1::STEP_REFLECT);
  frames(alex_, "lines-5-second-reflect-alex");
  EXPECT_EQ(line_of(alex_, "Your side comes later"), -1) << "Alex has shared already";
  EXPECT_EQ(line_of(alex_, "offered to go first"), -1) << "who started is news only in the first round";
}

TEST_F(Lines, OwnYourPartDoesNotPromiseWhatTheTurnsDoNot) {
  ASSERT_EQ(f_.to_share(), "");
  const Intent pass = intents::pass_floor();
  const Intent heard = intents::heard();
  for (auto [speaker, listener] : {std::pair{f_.alex, f_.sam}, std::pair{f_.sam, f_.alex}}) {
    f_.advance_seconds(240);
    ASSERT_EQ(f_.send(*speaker, pass), "");
    ASSERT_EQ(f_.both_check_in(2, 2), "");
    f_.advance_seconds(180);
    ASSERT_EQ(f_.reflect_through(*listener), "");
    ASSERT_EQ(f_.send(*speaker, heard), "");
    ASSERT_EQ(f_.both_check_in(2, 2), "");
  }
  ASSERT_EQ(f_.alex->snapshot()->state.step(), v1::STEP_OWN_PATTERN);
  frames(alex_, "lines-6-own-your-part-alex");
  EXPECT_EQ(line_of(alex_, "No need for anyone to go first"), -1);
  EXPECT_NE(line_of(alex_, "take turns"), -1);
}

TEST_F(Lines, ASettingChangedByTheOtherSaysWhoChangedWhat) {
  ASSERT_EQ(f_.admit_everyone(), "");
  frames(alex_);
  ASSERT_EQ(f_.send(*f_.alex, intents::ready(true)), "");
  frames(alex_, "lines-7-alex-ready-alex");
  ASSERT_TRUE(f_.alex->snapshot()->state.participants(0).ready());
  v1::Settings changed = f_.sam->snapshot()->state.settings();
  changed.set_threshold(5);
  const Intent propose = intents::settings(changed);
  ASSERT_EQ(f_.send(*f_.sam, propose), "");
  frames(alex_, "lines-8-sam-changed-a-setting-alex");
  EXPECT_NE(line_of(alex_, "Sam changed the check-in line from 3 to 5"), -1);
  frames(sam_);
  EXPECT_EQ(line_of(sam_, "changed the check-in line"), -1) << "Sam made the change and knows it";
}

}  // namespace
}  // namespace attune::app
