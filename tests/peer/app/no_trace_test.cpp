// The product's central promise, read from what the windows drew: nobody
// learns anyone's number, and nobody learns who went over the line. Each
// device is a real window; choices go in as clicks through the same widget
// code a person's click goes through. Run under xvfb-run.
#include <GLFW/glfw3.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "app/device_window.hpp"
#include "app/view_model.hpp"
#include "local_flow.hpp"

namespace attune::app {
namespace {

namespace fs = std::filesystem;

// GLFW starts once per process (it won't start again after glfwTerminate),
// so every window test in this program shares it and it ends here.
class GlfwOnce : public ::testing::Environment {
 public:
  void TearDown() override { glfwTerminate(); }
};
const auto* const glfw_once = ::testing::AddGlobalTestEnvironment(new GlfwOnce);

// One device: its window, its node and what it remembers between frames.
struct Device {
  std::unique_ptr<DeviceWindow> window;
  NodeApi* node = nullptr;
  UiState ui;
};

class NoTrace : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(glfwInit()) << "No display: run this test under xvfb-run."; }

  void SetUp() override {
    ASSERT_EQ(f_.admit_everyone(), "");
    int x = 0;
    for (auto* d : {&alex_, &sam_, &robin_}) {
      std::string error;
      d->window = DeviceWindow::create("Attune", WindowGeometry{x, 0, 1000, 780}, &error);
      ASSERT_TRUE(d->window) << error;
      x += 40;
    }
    alex_.node = f_.alex.get();
    sam_.node = f_.sam.get();
    robin_.node = f_.robin.get();
  }

  // Draws frames until the queued input has gone in and ImGui has settled.
  void frames(Device& d, const std::string& png = "") {
    for (int i = 0; i < 40 && (d.window->input_pending() || i < 4); ++i) {
      FrameContext ctx;
      ctx.now_ms = f_.now_ms();
      ctx.time_s = 2.0;
      ctx.dispatch.node = d.node;
      ctx.dispatch.save_history = [](const HistoryEntry&) {};
      ctx.dispatch.load_history = [] { return std::vector<HistoryEntry>{}; };
      const bool last = !d.window->input_pending() && i >= 3;
      const std::string path = (out_dir() / (png + ".png")).string();
      ASSERT_TRUE(d.window->render(*d.node->snapshot(), d.ui, ctx, last && !png.empty() ? &path : nullptr));
      if (last) break;
    }
    ASSERT_FALSE(d.window->input_pending()) << "input still queued after 40 frames";
  }
  void all_frames(const std::string& moment) {
    frames(alex_, moment + "-alex");
    frames(sam_, moment + "-sam");
    frames(robin_, moment + "-robin");
  }
  static fs::path out_dir() {
    const char* dir = std::getenv("ATTUNE_SCREENSHOT_DIR");
    const fs::path p = dir ? fs::path(dir) : fs::current_path() / "screenshots";
    fs::create_directories(p);
    return p;
  }
  // A partner picks a number and presses "Check in", both by clicking.
  void check_in_by_clicking(Device& d, int level) {
    frames(d);
    ASSERT_TRUE(d.window->click(std::to_string(level))) << "no button " << level << " on screen";
    frames(d);
    ASSERT_TRUE(d.window->click("Check in")) << "no Check in button, or it was not enabled";
    frames(d);
  }
  // No number, and no words for a number, anywhere on this screen.
  static void expect_no_number(const Device& d, const std::string& who) {
    for (const std::string& line : d.window->drawn().lines) {
      for (int level = 0; level <= 10; ++level) {
        EXPECT_NE(line, std::to_string(level)) << who << "'s screen shows a number";
        EXPECT_NE(line, level_words(level)) << who << "'s screen shows \"" << line << "\"";
      }
    }
  }
  void confirm_both() {
    Intent confirm;
    confirm.mutable_confirm();
    ASSERT_EQ(f_.send(*f_.alex, confirm), "");
    ASSERT_EQ(f_.send(*f_.sam, confirm), "");
  }

  test::LocalFlow f_;
  Device alex_, sam_, robin_;
};

TEST_F(NoTrace, AGatePauseLooksTheSameOnBothPartnersScreens) {
  Intent share;
  share.mutable_share_with_coach()->set_share(true);
  ASSERT_EQ(f_.send(*f_.sam, share), "");  // Only Sam shares with the coach.
  ASSERT_EQ(f_.start(), "");
  confirm_both();
  f_.advance_seconds(20);

  // Sam checks in low, then Alex above the line: the gate pauses.
  check_in_by_clicking(sam_, 2);
  check_in_by_clicking(alex_, 6);
  ASSERT_EQ(f_.alex->snapshot()->state.phase(), v1::PHASE_PAUSED);
  all_frames("no-trace-1-gate-paused");
  expect_no_number(alex_, "Alex");
  expect_no_number(sam_, "Sam");
  EXPECT_EQ(alex_.window->drawn().lines, sam_.window->drawn().lines)
      << "the two partners' pause screens differ, so a glance tells who went over";

  // The coach knows a check-in asked for a pause; Sam's low number next to
  // it would say it was Alex's, so no number shows while only Sam shares.
  expect_no_number(robin_, "Robin (coach)");
  for (const std::string& line : robin_.window->drawn().lines)
    EXPECT_EQ(line.find("Sam at "), std::string::npos) << "the coach sees Sam's number: " << line;
  EXPECT_TRUE(robin_.window->drawn().shows("once both partners share"));

  // The pause ends and the check-in opens again: both screens blank alike.
  ASSERT_EQ(f_.finish_pause(), "");
  ASSERT_EQ(f_.alex->snapshot()->state.phase(), v1::PHASE_CHECK_IN);
  all_frames("no-trace-2-check-in-again");
  expect_no_number(alex_, "Alex");
  expect_no_number(sam_, "Sam");
  EXPECT_EQ(alex_.window->drawn().lines, sam_.window->drawn().lines);
  for (Device* d : {&alex_, &sam_}) {
    const DrawnButton* button = d->window->drawn().button("Check in");
    ASSERT_NE(button, nullptr);
    EXPECT_FALSE(button->enabled) << "an old number is still chosen: one click would send it again";
  }
}

TEST_F(NoTrace, ASentNumberDoesNotCarryIntoTheNextCheckIn) {
  ASSERT_EQ(f_.start(), "");
  confirm_both();
  f_.advance_seconds(20);
  check_in_by_clicking(alex_, 1);
  check_in_by_clicking(sam_, 3);  // The last one in: the gate opens at once.
  ASSERT_EQ(f_.sam->snapshot()->state.phase(), v1::PHASE_ACTIVE);
  all_frames("no-trace-3-gate-passed");
  expect_no_number(sam_, "Sam");

  confirm_both();
  ASSERT_EQ(f_.sam->snapshot()->state.phase(), v1::PHASE_CHECK_IN);
  all_frames("no-trace-4-next-check-in");
  expect_no_number(sam_, "Sam");
  expect_no_number(alex_, "Alex");
  const DrawnButton* button = sam_.window->drawn().button("Check in");
  ASSERT_NE(button, nullptr);
  EXPECT_FALSE(button->enabled) << "Sam's 3 is still chosen at the next check-in";
}

}  // namespace
}  // namespace attune::app
