// When each part of a cold start finished, on the clock of the frame
// report's "t_us" (CLOCK_MONOTONIC, the same in every process), so a
// benchmark can say where the time to the first frame goes. Marks are taken
// on the main thread only, before and up to the first frame; the frame
// report writes them once, as one "phases" line beside that frame.
#pragma once

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

namespace attune::app {

inline std::vector<std::pair<const char*, int64_t>>& start_phases() {
  static std::vector<std::pair<const char*, int64_t>> marks;
  return marks;
}

// `what` is a string literal: "glfw_init", "window", "fonts", ...
inline void mark_start_phase(const char* what) {
  const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
  start_phases().emplace_back(what, us);
}

}  // namespace attune::app
