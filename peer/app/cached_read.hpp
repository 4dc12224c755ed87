// What a start-screen card last read from one of this device's files (the
// reminders, the invitations, the preparations), so a frame never waits on
// SQLite: the card reads again only when this window wrote (changed()) or
// every few seconds (another process, the postbox or `attune invite`, may
// have written). A failed read keeps the last good list and says why in
// plain words, for the card to show. Plain data, kept in UiState.
#pragma once

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

namespace attune::app {

template <typename T>
struct CachedRead {
  static constexpr double kReadEveryS = 2.0;

  T value{};          // The last good read (empty before the first).
  std::string error;  // Why the last read failed, in plain words; "" when it worked.
  double read_at_s = -1;  // Monotonic seconds of the last read; < 0: never.
  bool stale = true;      // This window wrote: read again on the next frame.

  void changed() { stale = true; }
  bool due(double now_s) const { return stale || read_at_s < 0 || now_s - read_at_s >= kReadEveryS; }
  // Seconds until the next timed read (for the frame's wake-up).
  double next_in(double now_s) const { return stale ? 0 : std::max(0.05, read_at_s + kReadEveryS - now_s); }

  // The value, read again first if it is due. `read` returns a T or throws;
  // `cant_read` is the sentence shown when it throws.
  template <typename Read>
  const T& get(double now_s, Read&& read, const char* cant_read) {
    if (!due(now_s)) return value;
    stale = false;
    read_at_s = now_s;
    try {
      value = std::forward<Read>(read)();
      error.clear();
    } catch (const std::exception&) {
      error = cant_read;
    }
    return value;
  }
};

}  // namespace attune::app
