// Tries recently used hosts directly, in the background, while the join list
// is open: over a VPN multicast never arrives, but the host from last time may
// still answer at its old address. Results feed the list and the diagnostics.
#pragma once

#include <asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "attune/discovery/diagnosis.hpp"
#include "recent_hosts.hpp"

namespace attune::discovery {

class RecentProber {
 public:
  using OnResult = std::function<void(const RecentHost&, const DirectCheck&)>;

  RecentProber(asio::io_context& io, std::chrono::milliseconds timeout, OnResult on_result);
  ~RecentProber();
  RecentProber(const RecentProber&) = delete;
  RecentProber& operator=(const RecentProber&) = delete;

  // Tries each host once (in parallel); results arrive through on_result.
  void probe(const std::vector<RecentHost>& hosts);
  // Finished checks so far, for Browser::diagnose().
  const std::vector<DirectCheck>& results() const { return results_; }

 private:
  asio::io_context& io_;
  std::chrono::milliseconds timeout_;
  OnResult on_result_;
  std::vector<DirectCheck> results_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace attune::discovery
