// Finding the partner's device on the same network without telling anyone
// else who either device is (issue 17, item 3). Every few seconds it sends
// a partner beacon (common/attune/invite/partner_beacon.hpp: a fresh nonce
// and an AEAD over the port, bound to the time window, nothing stable) to
// its own multicast group, and tries to open every beacon it hears with the
// pair key. One that opens is the partner: `found` gets its address and
// port. Everything else is ignored. IPv4 only, hop limit 1.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "attune/invite/partner_beacon.hpp"

namespace attune::discovery {

struct PartnerFinderOptions {
  std::string group = "224.0.0.178";
  std::uint16_t group_port = 47178;
  bool only_loopback = false;  // Tests: never a real network.
  std::chrono::milliseconds every{3000};
  std::function<int64_t()> clock;  // UTC ms.
};

class PartnerFinder {
 public:
  using Found = std::function<void(const std::string& address, std::uint16_t port)>;

  PartnerFinder(asio::io_context& io, invite::PairKey key, crypto::PublicKey self, crypto::PublicKey partner,
                std::uint16_t announce_port, PartnerFinderOptions options, Found found);
  // Opens the socket and starts; an error text if it can't (finding by
  // address still works then).
  std::string start();
  void stop();

 private:
  void announce();
  void receive();

  asio::io_context& io_;
  invite::PairKey key_;
  crypto::PublicKey self_;
  crypto::PublicKey partner_;
  std::uint16_t announce_port_;
  PartnerFinderOptions options_;
  Found found_;
  asio::ip::udp::socket socket_;
  asio::steady_timer timer_;
  std::array<char, 512> buffer_{};
  asio::ip::udp::endpoint from_;
  bool stopped_ = false;
};

}  // namespace attune::discovery
