// Real windows for the three devices of a LocalFlow session (Alex and Sam,
// partners; Robin, coach), driven by clicks through the widget code and
// read back from what each frame drew. Run under xvfb-run.
#pragma once

#include <GLFW/glfw3.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "app/device_window.hpp"
#include "app/history_store.hpp"
#include "app/view_model.hpp"
#include "local_flow.hpp"

namespace attune::app::test {

namespace fs = std::filesystem;

// GLFW starts once per process (it won't start again after glfwTerminate),
// so every window test in this program shares it and it ends here.
class GlfwOnce : public ::testing::Environment {
 public:
  void TearDown() override { glfwTerminate(); }
};
inline const auto* const glfw_once = ::testing::AddGlobalTestEnvironment(new GlfwOnce);

// One device: its window, its node and what it remembers between frames.
struct Device {
  std::unique_ptr<DeviceWindow> window;
  NodeApi* node = nullptr;
  UiState ui;
  std::vector<HistoryEntry> history;  // What this device saved to its history, newest last.
};

class WindowDevices : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(glfwInit()) << "No display: run this test under xvfb-run."; }

  void SetUp() override {
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
    // (Until a frame drawn with no input left, so the PNG is always saved.)
    for (int i = 0; i < 40; ++i) {
      FrameContext ctx;
      ctx.now_ms = f_.now_ms();
      ctx.time_s = 2.0;
      ctx.dispatch.node = d.node;
      ctx.dispatch.save_history = [&d](const HistoryEntry& e) { d.history.push_back(e); };
      ctx.dispatch.load_history = [&d] { return d.history; };
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
    ASSERT_EQ(d.window->click(std::to_string(level)), DeviceWindow::Click::Done) << "no button " << level;
    frames(d);
    ASSERT_EQ(d.window->click("Check in"), DeviceWindow::Click::Done) << "no Check in button, or it was not enabled";
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
  // What the screen says, less the link chip (the host's says "Hosting").
  static std::vector<std::string> screen_lines(const Device& d) {
    std::vector<std::string> lines;
    for (const std::string& line : d.window->drawn().lines)
      if (line != "Hosting" && line != "Connected") lines.push_back(line);
    return lines;
  }
  void confirm_both() {
    Intent confirm;
    confirm.mutable_confirm();
    ASSERT_EQ(f_.send(*f_.alex, confirm), "");
    ASSERT_EQ(f_.send(*f_.sam, confirm), "");
  }

  LocalFlow f_;
  Device alex_, sam_, robin_;
};

}  // namespace attune::app::test
