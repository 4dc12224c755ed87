// The one place the shell reads the wall clock (common/ never does: time
// goes into the core as an argument). Milliseconds since the Unix epoch.
#pragma once

#include <chrono>
#include <cstdint>

namespace attune {

inline int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace attune
