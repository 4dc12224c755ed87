// The clock the reminders read: the wall clock, plus a test-only offset
// (ATTUNE_TEST_CLOCK_OFFSET_MS) so a process test can bring the agreed
// moment to now without waiting for it. Only the reminders read it; the
// session's timers keep the plain wall clock.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

#include "wall_clock.hpp"

namespace attune::remind {

inline int64_t remind_now_ms() {
  const char* offset = std::getenv("ATTUNE_TEST_CLOCK_OFFSET_MS");
  if (!offset || !*offset) return wall_ms();
  char* end = nullptr;
  const long long value = std::strtoll(offset, &end, 10);
  return end && *end == '\0' ? wall_ms() + value : wall_ms();
}

}  // namespace attune::remind
