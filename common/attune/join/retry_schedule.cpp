#include "attune/join/retry_schedule.hpp"

#include <algorithm>

namespace attune::join {

std::chrono::milliseconds retry_delay(int attempt, std::chrono::milliseconds cap, double draw) {
  const auto base = kFirstRetry * (1 << std::clamp(attempt, 0, 16));
  const auto ceiling = std::min(base, cap).count();
  const double unit = std::clamp(draw, 0.0, 1.0);
  const auto half = ceiling / 2;
  return std::chrono::milliseconds(half + static_cast<long long>(unit * static_cast<double>(ceiling - half)));
}

}  // namespace attune::join
