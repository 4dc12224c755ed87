// Reading the hidden test-only --control file (control_input.hpp) without
// trusting it: a line is at most kMaxLine bytes of plain UTF-8 text; longer
// lines, binary bytes and control characters come back refused (the ack
// says ok:false) rather than crashing the report or being dropped unseen.
// A file that is truncated, replaced or removed while the app runs is read
// again from its start once it is back; each poll reads a bounded amount.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attune::app {

struct ControlLine {
  std::string text;     // Always valid UTF-8 (shown in the ack).
  std::string problem;  // Why the line is refused; empty when it may run.
};

class ControlFile {
 public:
  static constexpr std::size_t kMaxLine = 4096;
  static constexpr std::size_t kReadPerPoll = 64 * 1024;

  explicit ControlFile(std::string path) : path_(std::move(path)) {}
  // The whole lines added since the last call (a line still being written
  // waits for its newline). Empty lines are skipped.
  std::vector<ControlLine> read_new();

 private:
  void take(std::string_view chunk, std::vector<ControlLine>& out);
  void finish_line(std::vector<ControlLine>& out);

  std::string path_;
  off_t offset_ = 0;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  std::string partial_;
  bool skipping_ = false;  // Inside a too-long line already reported.
};

// The most `clock +S` lines may move the session clock on in one process: a
// day. The shift is never stored, so a pause or break timed by the moved
// clock lies at most a day ahead for a process started again without it.
inline constexpr int64_t kMaxClockShiftMs = 86'400'000;

// "+125": moves this process's session clock on by whole seconds (forward
// only, at most an hour a line and kMaxClockShiftMs in all). False, and the
// clock untouched, for anything else.
bool move_session_clock(std::string_view arg);

// A `shot NAME` name that stays inside the shot folder: letters, digits,
// '-', '_' and inner '.', at most 100 characters.
bool usable_shot_name(std::string_view name);

}  // namespace attune::app
