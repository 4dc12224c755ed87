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
  const std::string typed =
      "When you looked at your phone while I was telling you about my day, I felt small and alone, and "
      "I told myself a story that I did not matter to you as much as the thing on the screen did.";
  type(alex_, typed);
  frames(alex_, "writing-1-long-line-alex");
  EXPECT_EQ(draft_of(alex_), typed) << "the box changed what was typed";
  ASSERT_EQ(click(alex_, "Show them what I wrote"), DeviceWindow::Click::Done);
  frames(alex_);
  EXPECT_EQ(f_.host_state().rounds(0).share_text(), typed) << "line breaks went out with the words";
  frames(robin_, "writing-1-long-line-robin");
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
}

TEST_F(WritingBox, TheFirstShareStaysInViewThroughNotQuite) {
  ASSERT_EQ(f_.to_share(), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::write("I felt alone when you left.")), "");
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.alex, intents::pass_floor()), "");
  ASSERT_EQ(f_.both_check_in(2, 2), "");
  f_.advance_seconds(180);
  ASSERT_EQ(f_.send(*f_.sam, intents::finish_reflection()), "");
  frames(alex_);
  ASSERT_EQ(alex_.window->click("Not quite"), DeviceWindow::Click::Done);
  frames(alex_);
  ASSERT_EQ(f_.host_state().step(), v1::STEP_SHARE);
  frames(alex_, "writing-3-not-quite-alex");
  EXPECT_TRUE(alex_.window->drawn().shows("I felt alone when you left."))
      << "the speaker's first share is gone from their screen";
  // What they add keeps the first share: the box starts from it.
  EXPECT_EQ(draft_of(alex_), "I felt alone when you left.");
}

TEST_F(WritingBox, WhatTheOtherWroteInOwnYourPartShowsWhenTheyPass) {
  ASSERT_EQ(f_.to_share(), "");
  const Intent pass = intents::pass_floor();
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.alex, pass), "");
  ASSERT_EQ(f_.both_check_in(2, 2), "");
  f_.advance_seconds(180);
  ASSERT_EQ(f_.send(*f_.sam, intents::finish_reflection()), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::heard()), "");
  ASSERT_EQ(f_.both_check_in(2, 3), "");
  f_.advance_seconds(240);
  ASSERT_EQ(f_.send(*f_.sam, pass), "");
  ASSERT_EQ(f_.both_check_in(1, 2), "");
  f_.advance_seconds(150);
  ASSERT_EQ(f_.send(*f_.alex, intents::finish_reflection()), "");
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

}  // namespace
}  // namespace attune::app
