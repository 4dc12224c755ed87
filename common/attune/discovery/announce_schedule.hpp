// When to send: a quick burst so a new host is heard at once even if a packet
// is lost, then a steady beat so browsers can tell it is still there. A pure
// function of time since start; the shell arms one timer at a time from it.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace attune::discovery {

using Millis = std::chrono::milliseconds;

class AnnounceSchedule {
 public:
  // Beacons: 0, 100 ms, 500 ms, 2 s, then every `interval` after the burst.
  static AnnounceSchedule beacons(Millis interval);
  // Browser queries: 0, 150 ms, 1 s, then none (beacons keep the list fresh).
  static AnnounceSchedule queries();

  AnnounceSchedule(std::vector<Millis> burst, std::optional<Millis> steady);

  // Offset from start of the n-th send (0-based); nullopt when no more.
  std::optional<Millis> offset(size_t n) const;
  // How many sends are due at or before `elapsed`.
  size_t due_by(Millis elapsed) const;
  // The first send strictly after `elapsed`; nullopt when no more.
  std::optional<Millis> next_after(Millis elapsed) const;

 private:
  std::vector<Millis> burst_;     // Increasing, starting at 0.
  std::optional<Millis> steady_;  // Positive when set.
};

}  // namespace attune::discovery
