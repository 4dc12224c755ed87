#include "attune/host/device_limits.hpp"

#include <algorithm>

namespace attune::host {

std::string too_fast_message() {
  return "That came a little too fast after the others, so it wasn't applied. Please wait a moment and try "
         "again.";
}

std::string declined_message() {
  return "The partners didn't let this device into this session, so it can't join it again. A new session "
         "will have a new code.";
}

bool DeviceLimits::allow_intent(std::string_view device_id, TimePoint now) {
  auto it = buckets_.find(device_id);
  if (it == buckets_.end()) {
    if (buckets_.size() >= config_.max_devices) {
      std::erase_if(buckets_, [now](const auto& entry) { return entry.second <= now; });
    }
    // Still full: a bounded table matters more than one more bucket, so the
    // newcomer is judged as if full (it is a paired device either way).
    if (buckets_.size() >= config_.max_devices) return true;
    it = buckets_.emplace(std::string(device_id), now).first;
  }
  const auto burst = config_.intent_every * (config_.intent_burst - 1);
  // Even a flood leaves the mark at most burst + one step ahead of now; any
  // further and the clock was set back. Judge from now, or a changed clock
  // would hold the device's every tap back until it caught up.
  if (it->second - now > burst + config_.intent_every) it->second = now;
  const TimePoint start = std::max(it->second, now);
  if (start - now > burst) return false;
  it->second = start + config_.intent_every;
  return true;
}

}  // namespace attune::host
