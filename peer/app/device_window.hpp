// One OS window showing one device: a GLFW window with its own GL and ImGui
// contexts, so several can live in one process (the demo, the tests).
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/focus_ring.hpp"
#include "app/frame_context.hpp"
#include "app/theme.hpp"
#include "app/ui_state.hpp"
#include "app/widgets.hpp"

struct GLFWwindow;
struct ImGuiContext;

namespace attune::app {

struct WindowGeometry {
  int x = -1;  // -1: let the system place it.
  int y = -1;
  int width = 1120;
  int height = 800;
};

class DeviceWindow {
 public:
  // Needs glfwInit() done. Returns nullptr with a reason if no window opens.
  static std::unique_ptr<DeviceWindow> create(const std::string& title, const WindowGeometry& geometry,
                                              std::string* error);
  ~DeviceWindow();
  DeviceWindow(const DeviceWindow&) = delete;
  DeviceWindow& operator=(const DeviceWindow&) = delete;

  // Draws one frame of draw_app and shows it. If png_path is given, the
  // frame is also saved there before it is shown. Returns false if saving failed.
  bool render(const NodeView& snap, UiState& ui, FrameContext& ctx, const std::string* png_path = nullptr);

  // Input, a new snapshot, or a resize asks for a few frames (ImGui settles
  // hover and focus over two or three).
  void request_frames(int n = 3) { pending_frames_ = std::max(pending_frames_.load(), n); }
  bool wants_frame() const { return pending_frames_.load() > 0; }

  // Shows the title once it changes (it names the session).
  void set_title(const std::string& title);
  // Un-minimizes, raises and focuses the window (a second launch asked).
  void come_forward();

  // The words and buttons the last frame drew.
  const DrawnFrame& drawn() const { return drawn_; }
  // Input as a person gives it, fed to ImGui at the start of the coming
  // frames, one step a frame, so it runs through the same widget code as a
  // real click or key. For tests and the journey's script.
  enum class Click { Done, NotDrawn, OutOfView };
  // OutOfView: the button is drawn but scrolled out of sight; the window
  // scrolls toward it (a mouse wheel turn), so try again after a frame.
  Click click(const std::string& label);
  void click_at(ImVec2 pos);
  // With Ctrl and/or Shift held for that press (Ctrl+0, Shift+Tab).
  void press_key(int glfw_key, bool ctrl = false, bool shift = false);
  void type_text(const std::string& utf8);
  bool input_pending() const { return !queued_.empty(); }
  // The next frame drawn is also saved as a PNG there.
  void save_next_frame(const std::string& path) {
    pending_png_ = path;
    request_frames(2);
  }
  bool save_pending() const { return !pending_png_.empty(); }

  bool should_close() const;
  WindowGeometry geometry() const;
  GLFWwindow* glfw() const { return window_; }
  const std::map<std::string, Region>& regions() const { return regions_; }
  const Fonts& fonts_in_use() const { return fonts_; }

 private:
  DeviceWindow() = default;
  void rebuild_fonts_if_needed(float text_scale);
  static void install_callbacks(GLFWwindow* w);
  void apply_queued_input();
  // Tab, Space and Enter for the focus ring (focus_ring.hpp); true: ImGui mustn't see it.
  bool focus_key(int key, int action, int mods);
  std::vector<FocusKey> focus_keys_;

  struct InputStep {
    enum Kind { Move, Down, Up, Leave, Key, Text, Wheel } kind;
    ImVec2 pos{};
    int key = 0;
    std::string text;
    bool ctrl = false;
    bool shift = false;
  };
  std::deque<InputStep> queued_;
  bool simulated_mouse_ = false;
  bool mouse_down_ = false;
  ImVec2 mouse_pos_{};
  int key_held_ = -1;
  bool mods_held_ = false;
  bool swapped_once_ = false;  // For the start phases: the first frame is on screen.
  DrawnFrame drawn_;
  std::string pending_png_;

  GLFWwindow* window_ = nullptr;
  ImGuiContext* imgui_ = nullptr;
  Fonts fonts_;
  float built_scale_ = 0;
  std::string title_;
  std::atomic<int> pending_frames_{3};
  std::map<std::string, Region> regions_;
};

}  // namespace attune::app
