#include "app/device_window.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <utility>
#include <vector>

#include "app/app_frame.hpp"
#include "app/start_phases.hpp"
#include "app/focus_ring.hpp"

namespace attune::app {

namespace {

DeviceWindow* owner(GLFWwindow* w) { return static_cast<DeviceWindow*>(glfwGetWindowUserPointer(w)); }

// Each window has its own ImGui context; route GLFW's events to the right one.
struct ContextSwitch {
  ImGuiContext* previous;
  explicit ContextSwitch(ImGuiContext* next) : previous(ImGui::GetCurrentContext()) {
    ImGui::SetCurrentContext(next);
  }
  ~ContextSwitch() { ImGui::SetCurrentContext(previous); }
};

}  // namespace

std::unique_ptr<DeviceWindow> DeviceWindow::create(const std::string& title, const WindowGeometry& g,
                                                   std::string* error) {
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  // WM_CLASS: the dock matches it to the launcher entry (StartupWMClass) and shows its icon.
  glfwWindowHintString(GLFW_X11_CLASS_NAME, ATTUNE_APP_ID);
  glfwWindowHintString(GLFW_X11_INSTANCE_NAME, "attune");
  GLFWwindow* window = glfwCreateWindow(g.width, g.height, title.c_str(), nullptr, nullptr);
  if (!window) {
    const char* why = nullptr;
    glfwGetError(&why);
    if (error) *error = std::string("Couldn't open a window: ") + (why ? why : "no display found");
    return nullptr;
  }
  if (g.x >= 0 && g.y >= 0) glfwSetWindowPos(window, g.x, g.y);
  glfwSetWindowSizeLimits(window, 640, 520, GLFW_DONT_CARE, GLFW_DONT_CARE);
  glfwShowWindow(window);
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  mark_start_phase("gl_context");

  std::unique_ptr<DeviceWindow> self(new DeviceWindow());
  self->window_ = window;
  self->title_ = title;
  glfwSetWindowUserPointer(window, self.get());

  ImGuiContext* previous = ImGui::GetCurrentContext();
  self->imgui_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(self->imgui_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // We remember geometry ourselves.
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui_ImplGlfw_InitForOpenGL(window, /*install_callbacks=*/false);
  ImGui_ImplOpenGL3_Init("#version 330");
  install_callbacks(window);
  ImGui::SetCurrentContext(previous);
  return self;
}

DeviceWindow::~DeviceWindow() {
  if (!window_) return;
  glfwMakeContextCurrent(window_);
  {
    ContextSwitch sw(imgui_);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
  }
  if (ImGui::GetCurrentContext() == imgui_) ImGui::SetCurrentContext(nullptr);
  ImGui::DestroyContext(imgui_);
  glfwDestroyWindow(window_);
}

void DeviceWindow::set_title(const std::string& title) {
  if (title == title_) return;
  title_ = title;
  glfwSetWindowTitle(window_, title.c_str());
}

void DeviceWindow::come_forward() {
  if (glfwGetWindowAttrib(window_, GLFW_ICONIFIED)) glfwRestoreWindow(window_);
  glfwShowWindow(window_);
  glfwFocusWindow(window_);
  glfwRequestWindowAttention(window_);
  request_frames();
}

void DeviceWindow::install_callbacks(GLFWwindow* w) {
  glfwSetWindowFocusCallback(w, [](GLFWwindow* win, int focused) {
    ContextSwitch sw(owner(win)->imgui_);
    ImGui_ImplGlfw_WindowFocusCallback(win, focused);
    owner(win)->request_frames();
  });
  glfwSetCursorEnterCallback(w, [](GLFWwindow* win, int entered) {
    ContextSwitch sw(owner(win)->imgui_);
    ImGui_ImplGlfw_CursorEnterCallback(win, entered);
    owner(win)->request_frames();
  });
  glfwSetCursorPosCallback(w, [](GLFWwindow* win, double, double) { owner(win)->request_frames(2); });
  glfwSetMouseButtonCallback(w, [](GLFWwindow* win, int button, int action, int mods) {
    ContextSwitch sw(owner(win)->imgui_);
    ImGui_ImplGlfw_MouseButtonCallback(win, button, action, mods);
    owner(win)->request_frames();
  });
  glfwSetScrollCallback(w, [](GLFWwindow* win, double x, double y) {
    ContextSwitch sw(owner(win)->imgui_);
    ImGui_ImplGlfw_ScrollCallback(win, x, y);
    owner(win)->request_frames();
  });
  glfwSetKeyCallback(w, [](GLFWwindow* win, int key, int scancode, int action, int mods) {
    ContextSwitch sw(owner(win)->imgui_);
    // Tab and Space go to the focus ring only (ImGui 1.86 would Tab its own way).
    if (!owner(win)->focus_key(key, action, mods)) ImGui_ImplGlfw_KeyCallback(win, key, scancode, action, mods);
    owner(win)->request_frames();
  });
  glfwSetCharCallback(w, [](GLFWwindow* win, unsigned int c) {
    ContextSwitch sw(owner(win)->imgui_);
    ImGui_ImplGlfw_CharCallback(win, c);
    owner(win)->request_frames();
  });
  glfwSetWindowSizeCallback(w, [](GLFWwindow* win, int, int) { owner(win)->request_frames(); });
  glfwSetWindowRefreshCallback(w, [](GLFWwindow* win) { owner(win)->request_frames(1); });
  glfwSetWindowContentScaleCallback(w, [](GLFWwindow* win, float, float) { owner(win)->request_frames(); });
}

bool DeviceWindow::focus_key(int key, int action, int mods) {
  const bool down = action == GLFW_PRESS || (action == GLFW_REPEAT && key == GLFW_KEY_TAB);
  if (key == GLFW_KEY_TAB && !(mods & GLFW_MOD_CONTROL)) {
    if (down) focus_keys_.push_back((mods & GLFW_MOD_SHIFT) ? FocusKey::Previous : FocusKey::Next);
    return true;
  }
  if (key == GLFW_KEY_SPACE && !(mods & GLFW_MOD_CONTROL)) {
    if (down) focus_keys_.push_back(FocusKey::Space);  // (A text box still gets the space it types.)
    return true;
  }
  if ((key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) && down) focus_keys_.push_back(FocusKey::Enter);
  return false;  // Enter goes on to ImGui too: a new line in a writing box.
}

void DeviceWindow::rebuild_fonts_if_needed(float text_scale) {
  float sx = 1, sy = 1;
  glfwGetWindowContentScale(window_, &sx, &sy);
  const float scale = std::clamp(std::max(sx, sy), 1.0f, 4.0f) * std::clamp(text_scale, 0.7f, 2.0f);
  if (std::fabs(scale - built_scale_) < 0.01f) return;
  built_scale_ = scale;
  fonts_ = load_fonts(ImGui::GetIO(), scale);
  set_fonts(fonts_);
  apply_style(scale);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  // The GL texture has it now; the atlas's own pixels (alpha and RGBA) would
  // only sit in memory until the next rebuild, which makes them afresh.
  ImGui::GetIO().Fonts->ClearTexData();
  if (!swapped_once_) mark_start_phase("fonts");
}

bool DeviceWindow::render(const NodeView& snap, UiState& ui, FrameContext& ctx, const std::string* png_path) {
  glfwMakeContextCurrent(window_);
  ContextSwitch sw(imgui_);
  rebuild_fonts_if_needed(ui.text_scale);

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  apply_queued_input();
  ImGui::NewFrame();
  if (!swapped_once_) mark_start_phase("gl_objects");  // The first NewFrame compiles ImGui's shaders.
  focus_frame_begin(focus_keys_);
  focus_keys_.clear();

  // Text size: Ctrl and +/-, Ctrl+0 to reset (GLFW key codes are ASCII here).
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl) {
    if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD, false))
      ui.text_scale = std::min(2.0f, ui.text_scale + 0.1f);
    if (ImGui::IsKeyPressed(GLFW_KEY_MINUS, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT, false))
      ui.text_scale = std::max(0.7f, ui.text_scale - 0.1f);
    if (ImGui::IsKeyPressed(GLFW_KEY_0, false)) ui.text_scale = 1.0f;
  }

  ctx.regions.clear();
  DrawnFrame drawn;
  record_frame_into(&drawn);
  draw_app(snap, ui, ctx);
  record_frame_into(nullptr);
  focus_frame_end();
  drawn.focused = focused_label();
  drawn_ = std::move(drawn);
  ImGui::Render();
  regions_ = ctx.regions;

  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  glViewport(0, 0, w, h);
  const ImVec4 bg = to_vec4(palette().background);
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

  const std::string pending = std::exchange(pending_png_, std::string());
  if (!png_path && !pending.empty()) png_path = &pending;
  bool saved = true;
  if (png_path) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * h * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    stbi_flip_vertically_on_write(1);
    saved = stbi_write_png(png_path->c_str(), w, h, 3, pixels.data(), w * 3) != 0;
  }
  glfwSwapBuffers(window_);
  if (!swapped_once_) mark_start_phase("first_swap");
  swapped_once_ = true;

  // Input needs a few frames to settle; keep going while ImGui is busy.
  if (pending_frames_ > 0) --pending_frames_;
  if (io.WantTextInput) ctx.wake_in(0.5);
  if (ImGui::IsAnyItemActive()) request_frames(1);
  return saved;
}

DeviceWindow::Click DeviceWindow::click(const std::string& label) {
  const DrawnButton* b = drawn_.button(label);
  if (!b || !b->enabled) return Click::NotDrawn;
  const ImVec2 at((b->min.x + b->max.x) * 0.5f, (b->min.y + b->max.y) * 0.5f);
  int w = 0, h = 0;
  glfwGetWindowSize(window_, &w, &h);
  if (at.y < 0 || at.y >= static_cast<float>(h) - 4) {
    // Out of sight, as for a person: turn the wheel over the window.
    const ImVec2 middle(static_cast<float>(w) * 0.5f, static_cast<float>(h) * 0.5f);
    queued_.push_back(InputStep{InputStep::Move, middle, 0, {}});
    queued_.push_back(InputStep{InputStep::Wheel, middle, at.y < 0 ? 3 : -3, {}});
    queued_.push_back(InputStep{InputStep::Leave, middle, 0, {}});
    request_frames(4);
    return Click::OutOfView;
  }
  if (at.x < 0 || at.x >= static_cast<float>(w)) return Click::NotDrawn;
  click_at(at);
  return Click::Done;
}

void DeviceWindow::click_at(ImVec2 pos) {
  // Hover first (ImGui needs a frame to see it), press, release, move away.
  for (auto kind : {InputStep::Move, InputStep::Down, InputStep::Up, InputStep::Leave})
    queued_.push_back(InputStep{kind, pos, 0, {}});
  request_frames(6);
}

void DeviceWindow::press_key(int glfw_key, bool ctrl, bool shift) {
  queued_.push_back(InputStep{InputStep::Key, {}, glfw_key, {}, ctrl, shift});
  request_frames(3);
}

void DeviceWindow::type_text(const std::string& utf8) {
  queued_.push_back(InputStep{InputStep::Text, {}, 0, utf8});
  request_frames(3);
}

void DeviceWindow::apply_queued_input() {
  ImGuiIO& io = ImGui::GetIO();
  if (key_held_ >= 0) io.KeysDown[key_held_] = false;  // A key press lasts one frame.
  key_held_ = -1;
  if (mods_held_) io.KeyCtrl = io.KeyShift = false;
  mods_held_ = false;
  if (!queued_.empty()) {
    const InputStep step = queued_.front();
    queued_.pop_front();
    switch (step.kind) {
      case InputStep::Move:
        simulated_mouse_ = true;
        mouse_pos_ = step.pos;
        break;
      case InputStep::Down:
        mouse_down_ = true;
        break;
      case InputStep::Up:
        mouse_down_ = false;
        break;
      case InputStep::Leave:
        simulated_mouse_ = false;
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        break;
      case InputStep::Key:
        if (focus_key(step.key, GLFW_PRESS, (step.ctrl ? GLFW_MOD_CONTROL : 0) | (step.shift ? GLFW_MOD_SHIFT : 0)))
          break;
        if (step.key >= 0 && step.key < static_cast<int>(IM_ARRAYSIZE(io.KeysDown))) {
          io.KeysDown[step.key] = true;
          key_held_ = step.key;
          io.KeyCtrl = step.ctrl;
          io.KeyShift = step.shift;
          mods_held_ = step.ctrl || step.shift;
        }
        break;
      case InputStep::Text:
        io.AddInputCharactersUTF8(step.text.c_str());
        break;
      case InputStep::Wheel:
        io.MouseWheel += static_cast<float>(step.key);
        break;
    }
    request_frames(3);
  }
  if (simulated_mouse_) {
    io.MousePos = mouse_pos_;
    io.MouseDown[0] = mouse_down_;
  }
}

bool DeviceWindow::should_close() const { return glfwWindowShouldClose(window_); }

WindowGeometry DeviceWindow::geometry() const {
  WindowGeometry g;
  glfwGetWindowPos(window_, &g.x, &g.y);
  glfwGetWindowSize(window_, &g.width, &g.height);
  return g;
}

}  // namespace attune::app
