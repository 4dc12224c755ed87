// Small helpers the benchmark programs share.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace attune::bench {

// The sample at quantile q (0..1) of samples sorted ascending (nearest rank
// below); samples must not be empty.
inline double quantile(const std::vector<double>& sorted, double q) {
  return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
}

inline std::vector<double> sorted(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples;
}

}  // namespace attune::bench
