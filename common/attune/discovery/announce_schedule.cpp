#include "attune/discovery/announce_schedule.hpp"

#include <algorithm>

namespace attune::discovery {

AnnounceSchedule AnnounceSchedule::beacons(Millis interval) {
  return AnnounceSchedule({Millis(0), Millis(100), Millis(500), Millis(2000)}, interval);
}

AnnounceSchedule AnnounceSchedule::queries() {
  return AnnounceSchedule({Millis(0), Millis(150), Millis(1000)}, std::nullopt);
}

AnnounceSchedule::AnnounceSchedule(std::vector<Millis> burst, std::optional<Millis> steady)
    : burst_(std::move(burst)), steady_(steady) {
  std::sort(burst_.begin(), burst_.end());
  burst_.erase(std::unique(burst_.begin(), burst_.end()), burst_.end());
  if (burst_.empty()) burst_.push_back(Millis(0));
  // A zero or negative beat would mean an endless burst; treat it as none.
  if (steady_ && *steady_ <= Millis(0)) steady_.reset();
}

std::optional<Millis> AnnounceSchedule::offset(size_t n) const {
  if (n < burst_.size()) return burst_[n];
  if (!steady_) return std::nullopt;
  const auto k = static_cast<Millis::rep>(n - burst_.size() + 1);
  return burst_.back() + k * *steady_;
}

size_t AnnounceSchedule::due_by(Millis elapsed) const {
  if (elapsed < burst_.front()) return 0;
  const auto in_burst =
      static_cast<size_t>(std::upper_bound(burst_.begin(), burst_.end(), elapsed) - burst_.begin());
  if (in_burst < burst_.size() || !steady_) return in_burst;
  return burst_.size() + static_cast<size_t>((elapsed - burst_.back()) / *steady_);
}

std::optional<Millis> AnnounceSchedule::next_after(Millis elapsed) const { return offset(due_by(elapsed)); }

}  // namespace attune::discovery
