// The keyboard, as the README promises: Tab and Shift+Tab move between the
// controls in the order they read, Enter or Space presses the focused one,
// a writing box keeps its typing, and the focus ring shows on every button
// colour. Keys go in through the window's input seam (the same path a real
// key takes); what was focused and pressed is read back from what the
// window drew and from the session. Run under xvfb-run.
#include <GLFW/glfw3.h>
#include <stb/stb_image.h>

#include <chrono>
#include <set>
#include <thread>

#include "app/theme.hpp"
#include "attune/intents.hpp"
#include "window_devices.hpp"

namespace attune::app {
namespace {

using Keyboard = test::WindowDevices;

std::string focused(const test::Device& d) { return d.window->drawn().focused; }

// WCAG's relative luminance and contrast ratio of two opaque colours.
double luminance(ImU32 c) {
  auto channel = [](unsigned v) {
    const double s = v / 255.0;
    return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c & 0xFF) + 0.7152 * channel((c >> 8) & 0xFF) + 0.0722 * channel((c >> 16) & 0xFF);
}
double contrast(ImU32 a, ImU32 b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

class KeyboardTest : public Keyboard {
 protected:
  void key(test::Device& d, int k, bool shift = false) {
    d.window->press_key(k, false, shift);
    frames(d);
  }
  // Tab (bounded) until the ring is on `label`; the labels passed on the way.
  std::vector<std::string> tab_to(test::Device& d, const std::string& label, bool back = false) {
    std::vector<std::string> seen;
    for (int i = 0; i < 60 && focused(d) != label; ++i) {
      key(d, GLFW_KEY_TAB, back);
      seen.push_back(focused(d));
    }
    EXPECT_EQ(focused(d), label) << "Tab never reached \"" << label << "\"";
    return seen;
  }
  // Waits (bounded) for the host to hold what the window sent.
  bool host_holds(test::Device& d, const std::function<bool(const State&)>& done) {
    for (int i = 0; i < 100; ++i) {
      if (done(f_.host_state())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      frames(d);
    }
    return false;
  }
  static bool ready(const State& s, const std::string& name) {
    for (const auto& p : s.participants())
      if (p.display_name() == name) return p.ready();
    return false;
  }
};

TEST_F(KeyboardTest, TabReachesImReadyInTheLobbyInReadingOrderAndEnterPressesIt) {
  ASSERT_EQ(f_.admit_everyone(), "");
  frames(alex_);
  EXPECT_EQ(focused(alex_), "") << "a ring before any key was pressed";
  const std::vector<std::string> seen = tab_to(alex_, "I'm ready to begin");
  ASSERT_FALSE(seen.empty());
  // Reading order: each control Tab passed is drawn above (or left of) the next.
  for (std::size_t i = 1; i < seen.size(); ++i) {
    const DrawnButton* a = alex_.window->drawn().button(seen[i - 1]);
    const DrawnButton* b = alex_.window->drawn().button(seen[i]);
    if (!a || !b) continue;  // (Sliders and text boxes aren't buttons.)
    EXPECT_TRUE(a->min.y < b->min.y - 1 || (std::abs(a->min.y - b->min.y) <= 8 && a->min.x < b->min.x))
        << "\"" << seen[i - 1] << "\" then \"" << seen[i] << "\" is out of reading order";
  }
  frames(alex_, "keys-1-lobby-ready-focused-alex");
  // Shift+Tab goes back one; Tab comes forward again.
  const std::string before = seen.size() >= 2 ? seen[seen.size() - 2] : "";
  key(alex_, GLFW_KEY_TAB, /*shift=*/true);
  if (!before.empty()) {
    EXPECT_EQ(focused(alex_), before) << "Shift+Tab didn't go back one";
  }
  key(alex_, GLFW_KEY_TAB);
  ASSERT_EQ(focused(alex_), "I'm ready to begin");
  ASSERT_FALSE(ready(f_.host_state(), "Alex"));
  key(alex_, GLFW_KEY_ENTER);
  EXPECT_TRUE(host_holds(alex_, [](const State& s) { return ready(s, "Alex"); }))
      << "Enter on \"I'm ready to begin\" didn't make Alex ready";
}

TEST_F(KeyboardTest, InACheckInTabToALevelThenEnterOrSpacePicksItAndChecksIn) {
  ASSERT_EQ(f_.admit_everyone(), "");
  ASSERT_EQ(f_.start(), "");
  confirm_both();
  frames(sam_);
  tab_to(sam_, "4");
  frames(sam_, "keys-2-check-in-level-focused-sam");
  key(sam_, GLFW_KEY_KP_ENTER);
  EXPECT_EQ(sam_.ui.check_in_level, 4) << "keypad Enter on 4 didn't pick it";
  tab_to(sam_, "6");
  key(sam_, GLFW_KEY_SPACE);
  EXPECT_EQ(sam_.ui.check_in_level, 6) << "Space on 6 didn't pick it";
  tab_to(sam_, "Check in");
  frames(sam_, "keys-3-check-in-button-focused-sam");
  key(sam_, GLFW_KEY_ENTER);
  EXPECT_TRUE(host_holds(sam_, [](const State& s) { return s.gate().checked_in_b(); }))
      << "Enter on \"Check in\" didn't check in";
  expect_no_number(sam_, "Sam");
}

TEST_F(KeyboardTest, TheStopDialogCanBeAnsweredByKeyboardAndKeepsTheFocusInside) {
  ASSERT_EQ(f_.admit_everyone(), "");
  ASSERT_EQ(f_.start(), "");
  frames(alex_);
  tab_to(alex_, "I need to stop");
  key(alex_, GLFW_KEY_ENTER);
  frames(alex_);
  ASSERT_TRUE(alex_.window->drawn().shows("Stop here for now?")) << "Enter on \"I need to stop\" opened nothing";
  EXPECT_EQ(focused(alex_), "Keep going") << "the keyboard landed on stopping, one Enter from the end";
  std::set<std::string> inside;
  for (int i = 0; i < 4; ++i) {
    key(alex_, GLFW_KEY_TAB);
    inside.insert(focused(alex_));
  }
  EXPECT_EQ(inside, (std::set<std::string>{"Yes, stop now", "Keep going"})) << "Tab left the dialog";
  tab_to(alex_, "Keep going");
  frames(alex_, "keys-4-stop-dialog-keep-going-alex");
  key(alex_, GLFW_KEY_ENTER);
  frames(alex_);
  EXPECT_FALSE(alex_.window->drawn().shows("Stop here for now?")) << "Enter on \"Keep going\" didn't close it";
  EXPECT_NE(f_.host_state().phase(), v1::PHASE_ENDED);
  // Again, and this time stop.
  tab_to(alex_, "I need to stop");
  key(alex_, GLFW_KEY_SPACE);
  frames(alex_);
  tab_to(alex_, "Yes, stop now");
  key(alex_, GLFW_KEY_ENTER);
  EXPECT_TRUE(host_holds(alex_, [](const State& s) { return s.phase() == v1::PHASE_ENDED; }))
      << "Enter on \"Yes, stop now\" didn't stop the session";
}

TEST_F(KeyboardTest, AWritingBoxTakesEnterAsANewLineAndTabMovesOut) {
  ASSERT_EQ(f_.to_share(), "");
  frames(alex_);
  tab_to(alex_, "draft");
  alex_.window->type_text("I felt");
  frames(alex_);
  key(alex_, GLFW_KEY_ENTER);
  alex_.window->type_text("alone 3");  // A digit in the box is typed, never a level.
  frames(alex_, "keys-5-writing-box-focused-alex");
  const auto draft = std::find_if(alex_.ui.drafts.begin(), alex_.ui.drafts.end(),
                                  [](const auto& kv) { return !kv.second.empty(); });
  ASSERT_NE(draft, alex_.ui.drafts.end()) << "nothing typed reached the box";
  EXPECT_EQ(draft->second, "I felt\nalone 3");
  const v1::Role floor = f_.host_state().floor();
  key(alex_, GLFW_KEY_TAB);
  EXPECT_NE(focused(alex_), "draft") << "Tab stayed in the writing box";
  EXPECT_EQ(draft->second.find('\t'), std::string::npos) << "Tab went into the text";
  EXPECT_EQ(f_.host_state().floor(), floor) << "Enter in the box pressed a button";
}

TEST_F(KeyboardTest, TheVocabularysTabsAreReachedByTabAndOpenedWithEnter) {
  ASSERT_EQ(f_.to_share(), "");
  alex_.ui.vocabulary_open = true;
  frames(alex_);
  ASSERT_NE(alex_.window->drawn().button("lonely"), nullptr) << "the feelings weren't showing first";
  tab_to(alex_, "Needs");
  key(alex_, GLFW_KEY_ENTER);
  frames(alex_);
  EXPECT_NE(alex_.window->drawn().button("respect"), nullptr) << "Enter on \"Needs\" didn't open the needs";
  EXPECT_EQ(alex_.window->drawn().button("lonely"), nullptr) << "the feelings still show under \"Needs\"";
  tab_to(alex_, "Feelings", /*back=*/true);
  key(alex_, GLFW_KEY_SPACE);
  frames(alex_);
  EXPECT_NE(alex_.window->drawn().button("lonely"), nullptr) << "Space on \"Feelings\" didn't open the feelings";
}

TEST_F(KeyboardTest, ASliderIsHeldWithSpaceMovedWithArrowsAndLetGoWithTab) {
  ASSERT_EQ(f_.admit_everyone(), "");
  frames(alex_);
  const uint32_t agreed = f_.host_state().settings().threshold();
  tab_to(alex_, "threshold");
  key(alex_, GLFW_KEY_SPACE);
  key(alex_, GLFW_KEY_RIGHT);
  EXPECT_EQ(alex_.ui.settings_draft.threshold(), agreed + 1) << "the arrow didn't move the held slider";
  key(alex_, GLFW_KEY_TAB);
  EXPECT_EQ(focused(alex_), "pause") << "Tab didn't let go of the slider for the next one";
  key(alex_, GLFW_KEY_RIGHT);
  EXPECT_EQ(alex_.ui.settings_draft.threshold(), agreed + 1) << "the arrow still moves a slider let go of";
}

// Enter (or keypad Enter) on a slider never opens ImGui's type-a-number
// box: it takes hold as Space does, typed digits do nothing, and Tab moves on.
TEST_F(KeyboardTest, EnterOnASliderOpensNoBoxToTypeANumberIn) {
  ASSERT_EQ(f_.admit_everyone(), "");
  frames(alex_);
  const uint32_t agreed = f_.host_state().settings().threshold();
  ASSERT_NE(agreed, 9u);
  for (int enter : {GLFW_KEY_ENTER, GLFW_KEY_KP_ENTER}) {
    tab_to(alex_, "threshold");
    key(alex_, enter);
    alex_.window->type_text("9");
    frames(alex_, enter == GLFW_KEY_ENTER ? "keys-7-enter-on-a-slider-alex"
                                          : "keys-8-keypad-enter-on-a-slider-alex");
    key(alex_, enter);
    EXPECT_EQ(alex_.ui.settings_draft.threshold(), agreed) << "Enter opened the slider for typing a number";
    EXPECT_FALSE(alex_.ui.settings_dirty) << "the settings changed by themselves";
    EXPECT_EQ(focused(alex_), "threshold") << "Enter moved the focus";
    key(alex_, GLFW_KEY_TAB);
    EXPECT_EQ(focused(alex_), "pause") << "Tab is stuck after Enter on the slider";
  }
  // What Enter does do, as Space: take hold, so the arrows move it.
  tab_to(alex_, "threshold", /*back=*/true);
  key(alex_, GLFW_KEY_ENTER);
  key(alex_, GLFW_KEY_RIGHT);
  EXPECT_EQ(alex_.ui.settings_draft.threshold(), agreed + 1) << "Enter didn't take hold of the slider";
}

TEST_F(KeyboardTest, TheRingShowsOnEveryButtonColourAndEveryCard) {
  const Palette& p = palette();
  // What a focused control can be, and what can be around it.
  const std::vector<std::pair<const char*, ImU32>> buttons = {
      {"primary", p.accent},         {"primary hovered", p.accent_hover}, {"secondary", p.surface_alt},
      {"secondary hovered", IM_COL32(226, 219, 207, 255)},                 {"quiet", p.background},
      {"quiet on a card", p.surface}, {"chosen level", p.accent},        {"calm level", p.accent_soft},
      {"warm level", p.notice_soft},  {"field", p.field},                {"alert", p.alert}};
  const std::vector<std::pair<const char*, ImU32>> around = {
      {"window", p.background},   {"card", p.surface},           {"soft card", p.surface_alt},
      {"listening", p.listen},    {"accent card", p.accent_soft}, {"notice card", p.notice_soft},
      {"alert card", p.alert_soft}, {"pause", p.breath_soft}};
  EXPECT_GE(contrast(p.focus_ring, p.focus_ring_inner), 3.0) << "the ring's two tones blur together";
  for (const auto& [name, bg] : around)
    EXPECT_GE(contrast(p.focus_ring, bg), 3.0) << "the ring's outside is faint on the " << name;
  for (const auto& [name, bg] : buttons)
    EXPECT_GE(std::max(contrast(p.focus_ring_inner, bg), contrast(p.focus_ring, bg)), 3.0)
        << "the ring is faint against a " << name << " button";

  // And it is really drawn: the pixels just outside a focused primary button are the ring's.
  ASSERT_EQ(f_.admit_everyone(), "");
  frames(alex_);
  tab_to(alex_, "I'm ready to begin");
  frames(alex_, "keys-6-ring-on-primary-alex");
  const DrawnButton* b = alex_.window->drawn().button("I'm ready to begin");
  ASSERT_NE(b, nullptr);
  int w = 0, h = 0, n = 0;
  const std::string png = (out_dir() / "keys-6-ring-on-primary-alex.png").string();
  unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 3);
  ASSERT_NE(px, nullptr) << png;
  const float scale = alex_.window->fonts_in_use().scale;
  auto at = [&](float x, float y) {
    const int xi = static_cast<int>(x), yi = static_cast<int>(y);
    const unsigned char* q = px + (static_cast<std::size_t>(yi) * w + xi) * 3;
    return IM_COL32(q[0], q[1], q[2], 255);
  };
  const float mid_y = (b->min.y + b->max.y) * 0.5f;
  const ImU32 outer = at(b->min.x - 4.0f * scale, mid_y), inner = at(b->min.x - 1.5f * scale, mid_y);
  stbi_image_free(px);
  EXPECT_GE(contrast(outer, p.background), 3.0) << "no dark ring left of the focused button";
  EXPECT_GE(contrast(inner, p.focus_ring), 3.0) << "no light ring between the button and the dark one";
}

}  // namespace
}  // namespace attune::app
