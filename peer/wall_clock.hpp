// The one place the shell reads the wall clock (common/ never does: time
// goes into the core as an argument). Milliseconds since the Unix epoch.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace attune {

inline int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// How far the session clock (the one pauses and breaks are timed by) has
// been moved on in this process. Only the window's hidden test input
// (--control, "clock +SECONDS") moves it, so a journey needn't sit through
// a real two-minute pause; for everyone else it stays zero.
inline std::atomic<int64_t>& session_clock_shift_ms() {
  static std::atomic<int64_t> shift{0};
  return shift;
}

// The session clock: the wall clock, plus any shift a test made.
inline int64_t session_ms() { return wall_ms() + session_clock_shift_ms().load(); }

}  // namespace attune
