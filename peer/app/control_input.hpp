// A hidden test seam (--control FILE): commands appended to a file become a
// person's input in the window, through the same widget code a click or key
// goes through; never a call into the model. One command a line:
//   click LABEL   press the button drawn with this label
//   key CODE      one key press (a GLFW key code); "key ctrl+48", "key shift+258"
//                 hold Ctrl or Shift for it
//   type TEXT     characters into the focused text box
//   shot NAME     save the window as NAME.png once input has settled
//   close         close the window, as its close button does
//   clock +SECS   move this process's session clock on (pauses, breaks): forward
//                 only, at most an hour a line and a day in all
// A line that is too long or not plain text, an unknown verb, a shot name
// with a path in it or a bad clock step is answered ok:false and does nothing.
// Each command is answered in the frame report once it has gone in:
//   {"event":"ack","seq":N,"command":...,"ok":true|false,...what was drawn}
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "app/control_file.hpp"
#include "node_api.hpp"

namespace attune::app {

class DeviceWindow;
class FrameReport;

class ControlInput {
 public:
  ControlInput(const std::string& path, std::string shot_dir);
  // Reads any new whole lines from the file.
  void poll();
  // Before a frame: starts the next command when the last one has settled.
  void before_frame(DeviceWindow& window);
  // After a frame: answers a command whose input has gone in.
  void after_frame(DeviceWindow& window, const NodeView& snap, FrameReport* report);
  bool busy() const { return !queue_.empty() || current_.has_value(); }

 private:
  void press(DeviceWindow& window, std::string arg);
  struct Command {
    uint64_t seq = 0;
    std::string text;
    int scrolls = 0;  // Wheel turns taken to bring a button into view.
    bool refused = false;  // The file's line was unusable (see ControlFile).
  };
  ControlFile file_;
  std::string shot_dir_;
  uint64_t seq_ = 0;
  std::deque<Command> queue_;
  std::optional<Command> current_;
  bool ok_ = true;
  int settle_frames_ = 0;
  std::string shot_path_;
};

}  // namespace attune::app
