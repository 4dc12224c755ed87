// The reminder card through the real views and real clicks, under a virtual
// display: nothing before the agreed moment, a calm card at it, "Start now"
// asks for the session with the partner's device, "Not now" puts it away for
// good. PNGs land in <build>/screenshots.
#include <GLFW/glfw3.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "app/device_window.hpp"
#include "peer_process.hpp"
#include "remind/reminder_store.hpp"

namespace attune::app {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kAgreed = 1'800'000'000'000;

fs::path out_dir() {
  const char* dir = std::getenv("ATTUNE_SCREENSHOT_DIR");
  return dir ? fs::path(dir) : fs::current_path() / "screenshots";
}

class ReminderScreens : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(glfwInit()) << "No display: run this test under xvfb-run.";
    fs::create_directories(out_dir());
  }
  void SetUp() override {
    std::string error;
    window_ = DeviceWindow::create("Attune reminder", WindowGeometry{0, 0, 1100, 800}, &error);
    ASSERT_TRUE(window_) << error;
    store_ = remind::ReminderStore::open(remind::reminder_file(dir_.path()), &error);
    ASSERT_TRUE(store_) << error;
  }
  void frames(UiState& ui, int64_t now, const std::string& name = "", int n = 8) {
    for (int i = 0; i < n; ++i) {
      FrameContext ctx;
      ctx.now_ms = now;
      ctx.time_s = time_s_ += 0.05;
      ctx.dispatch.reminders = store_.get();
      ctx.dispatch.notify_desktop = false;
      ctx.dispatch.start_with_partner = [this](const std::string& partner, const std::string& name) {
        started_.emplace_back(partner, name);
      };
      const std::string path = (out_dir() / (name + ".png")).string();
      ASSERT_TRUE(window_->render(NodeView{}, ui, ctx, i == n - 1 && !name.empty() ? &path : nullptr));
    }
  }
  void click(UiState& ui, int64_t now, const std::string& label) {
    for (int tries = 0; tries < 6; ++tries) {
      const auto result = window_->click(label);
      if (result == DeviceWindow::Click::Done) return frames(ui, now);
      ASSERT_NE(result, DeviceWindow::Click::NotDrawn) << "no button \"" << label << "\" on screen";
      frames(ui, now);
    }
    FAIL() << "\"" << label << "\" stayed out of view";
  }
  bool shows(const std::string& text) const { return window_->drawn().shows(text); }

  test::TempDir dir_;
  std::unique_ptr<DeviceWindow> window_;
  std::unique_ptr<remind::ReminderStore> store_;
  std::vector<std::pair<std::string, std::string>> started_;
  double time_s_ = 0;
};

TEST_F(ReminderScreens, TheCardComesAtTheAgreedTimeAndStartsWithThePartner) {
  ASSERT_FALSE(store_->add({"after-dinner", "dev-sam", "Sam", kAgreed}));
  UiState ui;
  ui.display_name = "Alex";
  frames(ui, kAgreed - 60'000);
  EXPECT_FALSE(shows("Time to come back to each other")) << "a minute early";
  time_s_ += 10;  // The window looks again a few seconds later.
  frames(ui, kAgreed + 1000, "reminder-1-card");
  ASSERT_TRUE(shows("Time to come back to each other"));
  EXPECT_TRUE(shows("Sam"));
  for (const char* intimate : {"journal", "rupture", "invitation"}) EXPECT_FALSE(shows(intimate)) << intimate;
  click(ui, kAgreed + 2000, "Start now");
  ASSERT_EQ(started_.size(), 1u);
  EXPECT_EQ(started_[0].first, "dev-sam");
  EXPECT_EQ(started_[0].second, "Alex");
}

TEST_F(ReminderScreens, NotNowPutsItAwayAndItNeverComesBack) {
  ASSERT_FALSE(store_->add({"after-dinner", "dev-sam", "Sam", kAgreed}));
  UiState ui;
  frames(ui, kAgreed, "reminder-2-no-name");
  ASSERT_TRUE(shows("Time to come back to each other"));
  EXPECT_TRUE(shows("Add your name below, then start.")) << "Start now needs a name first";
  click(ui, kAgreed, "Not now");
  EXPECT_FALSE(shows("Time to come back to each other"));
  // The window opens again later (a restart): still put away.
  std::string error;
  store_ = remind::ReminderStore::open(remind::reminder_file(dir_.path()), &error);
  UiState fresh;
  time_s_ += 10;
  frames(fresh, kAgreed + 60'000);
  EXPECT_FALSE(shows("Time to come back to each other"));
}

}  // namespace
}  // namespace attune::app
