// What the host allows one paired device, as pure rules with time passed in
// (issue 12, item 4; the host core of issue 11 can carry it as is):
//  - intents: a burst, then a steady rate (a token bucket per device, kept
//    as a "theoretical arrival time"); beyond it an intent is answered with
//    words and not judged, stored or remembered;
//  - a device the partners declined stays declined for the session: its
//    Join is refused with words, even when it comes back with its pinned key;
//  - a link may hold at most kMaxUnsentBytesPerLink the device hasn't read;
//    beyond it the host closes that link (the device catches up from a
//    snapshot when it reconnects).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "attune/engine.hpp"

namespace attune::host {

// A few full-size states (64 KiB each) and many small changes fit; a device
// that falls this far behind is not reading.
inline constexpr std::size_t kMaxUnsentBytesPerLink = 2 * 1024 * 1024;

struct DeviceLimitsConfig {
  int intent_burst = 60;                                               // Quick taps in a row.
  std::chrono::milliseconds intent_every = std::chrono::milliseconds(100);  // Then 10 a second.
  std::size_t max_devices = 64;  // Buckets remembered at once; full ones are forgotten first.
};

// The words a device hears when it sends intents faster than the host takes them.
std::string too_fast_message();
// The words a declined device hears when it asks to join again.
std::string declined_message();

class DeviceLimits {
 public:
  explicit DeviceLimits(DeviceLimitsConfig config = {}) : config_(config) {}

  // May this device's next intent be judged now? Takes one from its bucket.
  bool allow_intent(std::string_view device_id, TimePoint now);

  void declined(std::string_view device_id) { declined_.emplace(device_id); }
  bool is_declined(std::string_view device_id) const { return declined_.find(device_id) != declined_.end(); }
  const std::set<std::string, std::less<>>& declined_devices() const { return declined_; }
  // A new session: nobody is declined any more.
  void clear_declined() { declined_.clear(); }

  std::size_t tracked_devices() const { return buckets_.size(); }

 private:
  DeviceLimitsConfig config_;
  std::map<std::string, TimePoint, std::less<>> buckets_;
  std::set<std::string, std::less<>> declined_;
};

}  // namespace attune::host
