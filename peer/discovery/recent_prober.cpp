#include "recent_prober.hpp"

#include "direct_connector.hpp"

namespace attune::discovery {

namespace {
// Port assumed when a remembered address has none (as typed by the user).
constexpr uint16_t kDefaultPort = 47000;
}  // namespace

RecentProber::RecentProber(asio::io_context& io, std::chrono::milliseconds timeout, OnResult on_result)
    : io_(io), timeout_(timeout), on_result_(std::move(on_result)) {}

RecentProber::~RecentProber() { *alive_ = false; }

void RecentProber::probe(const std::vector<RecentHost>& hosts) {
  for (const auto& host : hosts) {
    const auto parsed = parse_host_address(host.address, kDefaultPort);
    if (!parsed.address) continue;  // Stored text no longer parses: nothing to try.
    DirectConnector::connect(io_, {*parsed.address}, timeout_,
                             [this, host, alive = alive_](ConnectOutcome o) {
                               if (!*alive) return;
                               DirectCheck check{host.address, o.socket.has_value(), "connected"};
                               if (!check.reachable)
                                 check.detail = o.attempts.empty() ? "no answer" : o.attempts.back().detail;
                               results_.push_back(check);
                               if (on_result_) on_result_(host, check);
                             });
  }
}

}  // namespace attune::discovery
