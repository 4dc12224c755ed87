#include "app/control_input.hpp"

#include <GLFW/glfw3.h>

#include <filesystem>
#include <utility>

#include "app/device_window.hpp"
#include "app/frame_report.hpp"
#include "wall_clock.hpp"

namespace attune::app {
namespace {

// "clock +125": moves this process's session clock on by whole seconds
// (forward only, at most a day at a time), as if that long had passed.
bool move_clock(const std::string& arg) {
  if (arg.size() < 2 || arg[0] != '+' || arg.find_first_not_of("0123456789", 1) != std::string::npos ||
      arg.size() > 6)
    return false;
  const int64_t seconds = std::stoll(arg.substr(1));
  if (seconds > 86'400) return false;
  session_clock_shift_ms() += seconds * 1000;
  return true;
}

}  // namespace

ControlInput::ControlInput(const std::string& path, std::string shot_dir)
    : path_(path), shot_dir_(std::move(shot_dir)) {}

void ControlInput::poll() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return;
  in.seekg(read_);
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // A line still being written: read it next time.
    read_ = in.tellg();
    if (!line.empty()) queue_.push_back(Command{++seq_, line});
  }
}

// "key 48", "key ctrl+48", "key shift+258": one press, with any modifiers held.
void ControlInput::press(DeviceWindow& window, std::string arg) {
  bool ctrl = false, shift = false;
  for (;;) {
    if (arg.rfind("ctrl+", 0) == 0) {
      ctrl = true;
      arg.erase(0, 5);
    } else if (arg.rfind("shift+", 0) == 0) {
      shift = true;
      arg.erase(0, 6);
    } else {
      break;
    }
  }
  try {
    window.press_key(std::stoi(arg), ctrl, shift);
  } catch (const std::exception&) {
    ok_ = false;
  }
}

void ControlInput::before_frame(DeviceWindow& window) {
  if (current_ || queue_.empty() || window.input_pending()) return;
  current_ = queue_.front();
  queue_.pop_front();
  const std::string& text = current_->text;
  const auto space = text.find(' ');
  const std::string verb = text.substr(0, space);
  const std::string arg = space == std::string::npos ? "" : text.substr(space + 1);
  ok_ = true;
  settle_frames_ = 3;  // ImGui settles hover, press and layout over a few frames.
  if (verb == "click") {
    const DeviceWindow::Click done = window.click(arg);
    if (done == DeviceWindow::Click::OutOfView && current_->scrolls < 20) {
      ++current_->scrolls;
      queue_.push_front(*current_);  // Again once the wheel has turned.
      current_.reset();
      window.request_frames(4);
      return;
    }
    ok_ = done == DeviceWindow::Click::Done;
  } else if (verb == "key") {
    press(window, arg);
  } else if (verb == "type") {
    window.type_text(arg);
  } else if (verb == "shot") {
    shot_path_ = (std::filesystem::path(shot_dir_) / (arg + ".png")).string();
  } else if (verb == "clock") {
    ok_ = move_clock(arg);
  } else if (verb == "close") {
    glfwSetWindowShouldClose(window.glfw(), GLFW_TRUE);
  } else {
    ok_ = false;
  }
  window.request_frames(settle_frames_ + 1);
}

void ControlInput::after_frame(DeviceWindow& window, const NodeView& snap, FrameReport* report) {
  if (!current_) return;
  if (window.input_pending() || settle_frames_-- > 0) {
    window.request_frames(2);
    return;
  }
  if (!shot_path_.empty()) {  // Input has settled: the next frame is the picture.
    window.save_next_frame(shot_path_);
    shot_path_.clear();
    return;
  }
  if (window.save_pending()) {
    window.request_frames(1);
    return;
  }
  if (report) report->ack(current_->seq, current_->text, ok_, snap, window.drawn());
  current_.reset();
}

}  // namespace attune::app
