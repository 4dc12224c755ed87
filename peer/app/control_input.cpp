#include "app/control_input.hpp"

#include <GLFW/glfw3.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <utility>

#include "app/device_window.hpp"
#include "app/frame_report.hpp"

namespace attune::app {

ControlInput::ControlInput(const std::string& path, std::string shot_dir)
    : file_(path), shot_dir_(std::move(shot_dir)) {}

void ControlInput::poll() {
  for (ControlLine& line : file_.read_new()) {
    if (!line.problem.empty()) spdlog::warn("control line {} refused: {}", seq_ + 1, line.problem);
    queue_.push_back(Command{++seq_, std::move(line.text), 0, !line.problem.empty()});
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
  if (current_->refused) {
    ok_ = false;  // Answered in the ack; nothing goes in.
  } else if (verb == "click") {
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
    ok_ = usable_shot_name(arg);
    if (ok_) shot_path_ = (std::filesystem::path(shot_dir_) / (arg + ".png")).string();
  } else if (verb == "clock") {
    ok_ = move_session_clock(arg);
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
