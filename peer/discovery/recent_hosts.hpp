// Hosts this device joined before, kept in a small SQLite file in the data
// folder, so the join list can try them directly in the background (useful
// over VPNs, where LAN discovery never reaches).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite.hpp"

namespace attune::discovery {

struct RecentHost {
  std::string address;  // As typed or from the invite: "host:port".
  std::string label;    // Session or host name shown to the user.
  int64_t last_used_ms = 0;
};

class RecentHosts {
 public:
  static constexpr size_t kKeep = 20;

  // Opens (creating if needed) the store at `path`. On failure, the store
  // works in memory only and problem() says why; joining never depends on it.
  explicit RecentHosts(const std::string& path);
  RecentHosts(const RecentHosts&) = delete;
  RecentHosts& operator=(const RecentHosts&) = delete;

  void remember(const std::string& address, const std::string& label, int64_t now_ms);
  void forget(const std::string& address);
  // Newest first, at most kKeep.
  std::vector<RecentHost> list() const;
  const std::string& problem() const { return problem_; }

 private:
  // Runs `body`; a failure is kept in problem() and otherwise ignored.
  template <typename Body>
  void quietly(Body&& body) const;

  mutable store::Database db_;
  mutable std::string problem_;
};

}  // namespace attune::discovery
