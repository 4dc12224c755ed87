// The writing box and what is written, through real windows: it keeps
// exactly what was typed and wraps only on screen, a chosen word goes in
// at the caret, and what one partner wrote is in view when it matters.
// Run under xvfb-run.
#include <GLFW/glfw3.h>

#include "window_devices.hpp"
#include "attune/intents.hpp"

namespace attune::app {
namespace {

using Writing = test::WindowDevices;

// The one draft this device has typed into.
std::string draft_of(const test::Device& d) {
  for (const auto& [key, text] : d.ui.drafts)
    if (!text.empty()) return text;
  return {};
}

// Clicks into the writing box, as a person does before typing.
void focus_box(test::WindowDevices& t, test::Device& d) {
  const auto it = d.window->regions().find("writing_box");
  ASSERT_NE(it, d.window->regions().end()) << "no writing box on this screen";
  const Region& r = it->second;
  d.window->click_at(ImVec2((r.min.x + r.max.x) * 0.5f, (r.min.y + r.max.y) * 0.5f));
  (void)t;
}

// Longer than the box is wide, so it wraps on screen.
const std::string kLongLine =
    "When you looked at your phone while I was telling you about my day, I felt small and alone, and "
    "I told myself a story that I did not matter to you as much as the thing on the screen did.";

class WritingBox : public Writing {
 protected:
  void type(test::Device& d, const std::string& text) {
    frames(d);
    focus_box(*this, d);
    frames(d);
    d.window->type_text(text);
    frames(d);
  }
  // Clicks a button, turning the wheel first if it is out of view.
  DeviceWindow::Click click(test::Device& d, const std::string& label) {
    DeviceWindow::Click done = d.window->click(label);
    for (int i = 0; i < 20 && done == DeviceWindow::Click::OutOfView; ++i) {
      frames(d);
      done = d.window->click(label);
    }
    frames(d);
    return done;
  }
};

TEST_F(WritingBox, KeepsExactlyWhatWasTypedAndWrapsOnlyOnScreen) {
  ASSERT_EQ(f_.to_share(), "");
  const std::string typed = kLongLine;
  type(alex_, typed);
  frames(alex_, "writing-1-long-line-alex");
  EXPECT_EQ(draft_of(alex_), typed) << "the box changed what was typed";
  ASSERT_EQ(click(alex_, "Show them what I wrote"), DeviceWindow::Click::Done);
  frames(alex_);
  EXPECT_EQ(f_.host_state().rounds(0).share_text(), typed) << "line breaks went out with the words";
  frames(robin_, "writing-1-long-line-robin");
}

// Select all, then Ctrl+C (and Ctrl+X): the clipboard holds exactly what
// was typed, with no line break where the box wraps it on screen.
TEST_F(WritingBox, CopyingFromTheBoxTakesWhatWasTypedWithoutTheWrapsBreaks) {
  ASSERT_EQ(f_.to_share(), "");
  const std::string typed = kLongLine;
  type(alex_, typed);
  glfwMakeContextCurrent(alex_.window->glfw());
  for (const int key : {GLFW_KEY_C, GLFW_KEY_X}) {
    glfwSetClipboardString(alex_.window->glfw(), "");
    alex_.window->press_key(GLFW_KEY_A, /*ctrl=*/true);
    frames(alex_);
    alex_.window->press_key(key, /*ctrl=*/true);
    frames(alex_);
    const char* copied = glfwGetClipboardString(alex_.window->glfw());
    ASSERT_NE(copied, nullptr) << "nothing was copied";
    EXPECT_EQ(std::string(copied), typed) << (key == GLFW_KEY_C ? "Ctrl+C" : "Ctrl+X")
                                          << " copied breaks the box put in on screen";
    if (key == GLFW_KEY_X) {
      EXPECT_EQ(draft_of(alex_), "") << "a cut left words behind";
    }
  }
}

TEST_F(WritingBox, AFeelingWordGoesInAtTheCaret) {
  ASSERT_EQ(f_.to_share(), "");
  type(alex_, "I felt when you left.");
  // The caret back to just before "when", by the arrow key.
  for (int i = 0; i < 14; ++i) {
    alex_.window->press_key(GLFW_KEY_LEFT);
    frames(alex_);  // (A key held over two frames would be one press.)
  }
  alex_.ui.vocabulary_open = true;  // The words' drawer, open (a window state, not the session).
  alex_.ui.vocabulary_search = "lonely";
  frames(alex_);
  ASSERT_EQ(click(alex_, "lonely"), DeviceWindow::Click::Done);
  frames(alex_, "writing-2-word-at-the-caret-alex");
  EXPECT_EQ(draft_of(alex_), "I felt lonely when you left.");
  // The box and the words' drawer sit inside their card, clear of its edge.
  const Region& card = alex_.window->regions().at("writing");
  for (const char* inside : {"writing_box", "vocabulary"}) {
    ASSERT_TRUE(alex_.window->regions().count(inside)) << inside;
    const Region& r = alex_.window->regions().at(inside);
    EXPECT_LE(r.max.x, card.max.x - 12.0f) << inside << " runs into the card's edge";
    EXPECT_GE(r.min.x, card.min.x + 12.0f) << inside << " runs past the card's left";
  }
  // A click on the drawer closes it, and another opens it again.
  ASSERT_EQ(click(alex_, "Find words for feelings and needs"), DeviceWindow::Click::Done);
  EXPECT_FALSE(alex_.ui.vocabulary_open);
  ASSERT_EQ(click(alex_, "Find words for feelings and needs"), DeviceWindow::Click::Done);
  EXPECT_TRUE(alex_.ui.vocabulary_open);
}

TEST_F(WritingBox, TheFirstShareStaysInViewThroughNotQuiteOnceAndLabelled) {
  ASSERT_EQ(f_.to_share(), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::write("I felt alone when you left.")), "");
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.alex, intents::pass_floor()), "");
  ASSERT_EQ(f_.both_check_in(2, 2), "");
  f_.advance_seconds(180);
  ASSERT_EQ(f_.reflect_through(*f_.sam), "");
  frames(alex_);
  ASSERT_EQ(alex_.window->click("Not quite"), DeviceWindow::Click::Done);
  frames(alex_);
  ASSERT_EQ(f_.host_state().step(), v1::STEP_SHARE);
  frames(alex_, "writing-3-not-quite-alex");
  // Once, in the box they add in (which keeps it), labelled as what they
  // shared before; not a second time in a card above it.
  EXPECT_EQ(draft_of(alex_), "I felt alone when you left.") << "the box lost the first share";
  EXPECT_TRUE(alex_.window->drawn().shows("What you shared before")) << "the first share isn't labelled";
  EXPECT_FALSE(alex_.window->drawn().shows("I felt alone when you left."))
      << "the first share shows twice: in a card and in the box";
}

TEST_F(WritingBox, WhatTheOtherWroteInOwnYourPartShowsWhenTheyPass) {
  ASSERT_EQ(f_.to_share(), "");
  const Intent pass = intents::pass_floor();
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.alex, pass), "");
  ASSERT_EQ(f_.both_check_in(2, 2), "");
  f_.advance_seconds(180);
  ASSERT_EQ(f_.reflect_through(*f_.sam), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::heard()), "");
  ASSERT_EQ(f_.both_check_in(2, 3), "");
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.sam, pass), "");
  ASSERT_EQ(f_.both_check_in(1, 2), "");
  f_.advance_seconds(150);
  ASSERT_EQ(f_.reflect_through(*f_.alex), "");
  ASSERT_EQ(f_.send(*f_.sam, intents::heard()), "");
  ASSERT_EQ(f_.both_check_in(1, 2), "");
  ASSERT_EQ(f_.host_state().step(), v1::STEP_OWN_PATTERN);
  ASSERT_EQ(f_.send(*f_.alex, intents::write("When I feel cornered, I go quiet.")), "");
  f_.advance_seconds(120);
  ASSERT_EQ(f_.send(*f_.alex, pass), "");
  frames(sam_, "writing-4-own-part-passed-sam");
  EXPECT_TRUE(sam_.window->drawn().shows("When I feel cornered, I go quiet."))
      << "Sam can't see what Alex wrote until the next check-in";
  EXPECT_TRUE(sam_.window->drawn().shows("What Alex wrote"));
}

// The end of a whole conversation: the summary says what was agreed, and
// this device's history keeps the private note and who it was with.
TEST_F(WritingBox, TheSummaryAndHistoryKeepTheGestureTheNoteAndTheName) {
  // Sam's note at "benefit of the doubt", as typed into its box (window
  // state: it never goes to the session).
  sam_.ui.private_note = "Alex was tired after work; that was not about me.";
  ASSERT_EQ(f_.to_share(), "");
  ASSERT_EQ(f_.share_to_complete(), "");
  frames(sam_, "summary-1-sam");
  EXPECT_TRUE(sam_.window->drawn().shows("The gesture you agreed")) << "the summary doesn't say what was agreed";
  EXPECT_TRUE(sam_.window->drawn().shows("a long hug"));
  ASSERT_EQ(sam_.history.size(), 1u);
  EXPECT_EQ(sam_.history[0].private_note, "Alex was tired after work; that was not about me.");
  EXPECT_EQ(sam_.history[0].gesture, "a long hug");
  // Kept on Sam's device only: the session (what the host holds and sends
  // everyone) never carried it.
  EXPECT_EQ(f_.host_state().SerializeAsString().find("not about me"), std::string::npos);
  EXPECT_EQ(f_.alex->snapshot()->state.SerializeAsString().find("not about me"), std::string::npos);
  ASSERT_EQ(click(sam_, "Past sessions"), DeviceWindow::Click::Done);
  // Leaving the session (the window app's part) brings the start screen,
  // on the past sessions.
  ASSERT_EQ(sam_.ui.start_panel, StartPanel::History);
  const NodeView left;
  for (int i = 0; i < 4; ++i) {
    FrameContext ctx;
    ctx.now_ms = f_.now_ms();
    ctx.dispatch.load_history = [this] { return sam_.history; };
    const std::string png = (out_dir() / "summary-2-past-sessions-sam.png").string();
    ASSERT_TRUE(sam_.window->render(left, sam_.ui, ctx, i == 3 ? &png : nullptr));
  }
  const DrawnFrame& past = sam_.window->drawn();
  EXPECT_TRUE(past.shows("with Alex")) << "past sessions don't say who it was with";
  EXPECT_FALSE(past.shows("Partner B")) << "past sessions use a role's jargon";
  EXPECT_TRUE(past.shows("Alex was tired after work"));
  EXPECT_TRUE(past.shows("The gesture you agreed: a long hug"));
}

}  // namespace
}  // namespace attune::app
