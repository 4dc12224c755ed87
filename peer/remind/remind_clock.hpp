// The clock the reminders read: the wall clock, plus an offset a test may
// set with the hidden --clock-offset-ms option (peer/main.cpp), so a
// process test can bring the agreed moment to now without waiting for it.
// Only the reminders read it; the session's timers, invitations' offered
// times and everything else keep the plain wall clock.
#pragma once

#include <atomic>
#include <cstdint>

#include "wall_clock.hpp"

namespace attune::remind {

inline std::atomic<int64_t>& clock_offset() {
  static std::atomic<int64_t> offset{0};
  return offset;
}

// Set once at start-up, before any thread reads it.
inline void set_clock_offset_ms(int64_t ms) { clock_offset().store(ms); }
inline int64_t clock_offset_ms() { return clock_offset().load(); }

inline int64_t remind_now_ms() { return wall_ms() + clock_offset_ms(); }

}  // namespace attune::remind
