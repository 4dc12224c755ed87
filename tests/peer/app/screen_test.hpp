// A test that draws the real views in one window under the virtual display,
// clicks their buttons, and saves stills in <build>/screenshots (or
// $ATTUNE_SCREENSHOT_DIR). A test fills in the frame's dispatch (its stores,
// its callbacks) in prepare().
#pragma once

#include <GLFW/glfw3.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "app/device_window.hpp"

namespace attune::app {

inline std::filesystem::path screenshot_dir() {
  const char* dir = std::getenv("ATTUNE_SCREENSHOT_DIR");
  return dir ? std::filesystem::path(dir) : std::filesystem::current_path() / "screenshots";
}

class ScreenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(glfwInit()) << "No display: run this test under xvfb-run.";
    std::filesystem::create_directories(screenshot_dir());
  }
  void open_window(const std::string& title) {
    std::string error;
    window_ = DeviceWindow::create(title, WindowGeometry{0, 0, 1100, 800}, &error);
    ASSERT_TRUE(window_) << error;
  }
  virtual void prepare(FrameContext& ctx) = 0;

  // A few frames of `snap` at `now` (clicks queued before run through
  // them); the last is saved as name.png when a name is given.
  void frames(const NodeView& snap, UiState& ui, int64_t now, const std::string& name = "", int n = 8) {
    for (int i = 0; i < n; ++i) {
      FrameContext ctx;
      ctx.now_ms = now;
      ctx.time_s = time_s_ += 0.05;
      prepare(ctx);
      const std::string path = (screenshot_dir() / (name + ".png")).string();
      ASSERT_TRUE(window_->render(snap, ui, ctx, i == n - 1 && !name.empty() ? &path : nullptr));
    }
    expect_everything_fits();
  }
  void frames(UiState& ui, int64_t now, const std::string& name = "", int n = 8) {
    frames(NodeView{}, ui, now, name, n);
  }
  void click(const NodeView& snap, UiState& ui, int64_t now, const std::string& label) {
    for (int tries = 0; tries < 6; ++tries) {
      const auto result = window_->click(label);
      if (result == DeviceWindow::Click::Done) return frames(snap, ui, now);
      ASSERT_NE(result, DeviceWindow::Click::NotDrawn) << "no button \"" << label << "\" on screen";
      frames(snap, ui, now);
    }
    FAIL() << "\"" << label << "\" stayed out of view";
  }
  void click(UiState& ui, int64_t now, const std::string& label) { click(NodeView{}, ui, now, label); }
  bool shows(const std::string& text) const { return window_->drawn().shows(text); }
  bool drawn(const std::string& region) const { return window_->regions().count(region) > 0; }
  void expect_everything_fits() const {
    int w = 0, h = 0;
    glfwGetWindowSize(window_->glfw(), &w, &h);
    for (const auto& b : window_->drawn().buttons)
      EXPECT_LE(b.max.x, static_cast<float>(w)) << "\"" << b.label << "\" runs off the window";
  }

  std::unique_ptr<DeviceWindow> window_;
  double time_s_ = 1;
};

}  // namespace attune::app
