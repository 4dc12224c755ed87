// What a window drew, as one JSON line per change (a hidden option for the
// journey test and reviews): the screen, my role, the lines of text, the
// buttons and whether each is enabled. Read by tests instead of pixels.
// Every line carries "t_us", the monotonic clock (CLOCK_MONOTONIC, the same
// in every process) when it was written: for a frame, just after it was
// drawn and swapped.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "app/widgets.hpp"
#include "node_api.hpp"

namespace attune::app {

class FrameReport {
 public:
  explicit FrameReport(const std::string& path);
  bool open() const { return out_.is_open(); }
  // Appends a line for this window if what it drew changed since last time.
  // `started_us`: when the frame began, on the same clock (its line's
  // "started_us"; "t_us" minus it is what drawing the frame took).
  void frame(const std::string& window, const NodeView& snap, const DrawnFrame& drawn, int64_t started_us = 0);
  // The clock of "t_us".
  static int64_t now_us();
  // This window sent an intent (a click or key went through): a line with
  // the time, so a benchmark can time a click to the other window's frame.
  void sent(const std::string& window);
  // Once, after the first frame: a "phases" line with each start phase's
  // time (see start_phases.hpp).
  void start_phases_once(const std::vector<std::pair<const char*, int64_t>>& phases);
  // Answers a control command (see control_input.hpp), with what was drawn.
  void ack(uint64_t seq, const std::string& command, bool ok, const NodeView& snap, const DrawnFrame& drawn);

 private:
  std::ofstream out_;
  std::map<std::string, std::string> last_;  // Per window, the last line written.
  bool phases_written_ = false;
};

}  // namespace attune::app
