#include "partner_finder.hpp"

#include <sodium.h>

namespace attune::discovery {

PartnerFinder::PartnerFinder(asio::io_context& io, invite::PairKey key, crypto::PublicKey self,
                             crypto::PublicKey partner, std::uint16_t announce_port,
                             PartnerFinderOptions options, Found found)
    : io_(io),
      key_(key),
      self_(self),
      partner_(partner),
      announce_port_(announce_port),
      options_(std::move(options)),
      found_(std::move(found)),
      socket_(io),
      timer_(io) {}

std::string PartnerFinder::start() {
  namespace mc = asio::ip::multicast;
  asio::error_code ec;
  const auto group = asio::ip::make_address_v4(options_.group, ec);
  if (ec) return "not a multicast group: " + options_.group;
  socket_.open(asio::ip::udp::v4(), ec);
  if (!ec) socket_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) socket_.bind({asio::ip::address_v4::any(), options_.group_port}, ec);
  // This socket only hears; each beacon goes out on a socket of its own (announce).
  const auto iface = options_.only_loopback ? asio::ip::address_v4::loopback() : asio::ip::address_v4::any();
  if (!ec) socket_.set_option(mc::join_group(group, iface), ec);
  if (ec) return "partner beacons are off: " + ec.message();
  receive();
  announce();
  return {};
}

void PartnerFinder::stop() {
  stopped_ = true;
  timer_.cancel();
  asio::error_code ignored;
  socket_.close(ignored);
}

// Each beacon goes out on a socket of its own, connected to the group: the
// kernel picks the interface and source address as it would for any
// datagram to the group, and the socket tells which address that is, so the
// beacon can seal it (INVITE.md section 2). A fresh socket every time follows
// a laptop that moves between networks; with no route, no beacon goes out.
void PartnerFinder::announce() {
  if (stopped_) return;
  namespace mc = asio::ip::multicast;
  asio::error_code ec;
  const asio::ip::udp::endpoint to(asio::ip::make_address_v4(options_.group, ec), options_.group_port);
  asio::ip::udp::socket out(io_);
  if (!ec) out.open(asio::ip::udp::v4(), ec);
  if (!ec) out.set_option(mc::hops(1), ec);
  if (!ec) out.set_option(mc::enable_loopback(true), ec);
  if (!ec && options_.only_loopback)
    out.set_option(mc::outbound_interface(asio::ip::address_v4::loopback()), ec);
  if (!ec) out.connect(to, ec);
  const auto from = ec ? asio::ip::udp::endpoint{} : out.local_endpoint(ec);
  if (!ec && from.address().is_v4() && !from.address().is_unspecified()) {
    std::array<std::uint8_t, invite::kBeaconNonceBytes> nonce{};
    randombytes_buf(nonce.data(), nonce.size());
    const std::string beacon = invite::make_beacon(
        key_, self_, partner_, announce_port_, from.address().to_v4().to_bytes(), options_.clock(), nonce);
    out.send(asio::buffer(beacon), 0, ec);
  }
  timer_.expires_after(options_.every);
  timer_.async_wait([this](const asio::error_code& e) {
    if (!e) announce();
  });
}

void PartnerFinder::receive() {
  socket_.async_receive_from(asio::buffer(buffer_), from_, [this](const asio::error_code& ec, std::size_t n) {
    if (stopped_ || ec == asio::error::operation_aborted) return;
    if (!ec && from_.address().is_v4()) {
      // Opened with the address it came from: one sent again from anywhere
      // else does not open.
      const auto port = invite::open_beacon(key_, self_, partner_, std::string_view(buffer_.data(), n),
                                            from_.address().to_v4().to_bytes(), options_.clock());
      if (port) found_(from_.address().to_string(), *port);
    }
    receive();
  });
}

}  // namespace attune::discovery
