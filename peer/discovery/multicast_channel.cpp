#include "multicast_channel.hpp"

#include <asio/ip/multicast.hpp>
#include <asio/ip/v6_only.hpp>
#include <set>

namespace attune::discovery {

namespace {

uint64_t sender_id(const v1::DiscoveryPacket& p) {
  switch (p.body_case()) {
    case v1::DiscoveryPacket::kBeacon:
      return p.beacon().instance_id();
    case v1::DiscoveryPacket::kQuery:
      return p.query().browser_id();
    case v1::DiscoveryPacket::kGoodbye:
      return p.goodbye().instance_id();
    case v1::DiscoveryPacket::BODY_NOT_SET:
      return 0;
  }
  return 0;
}

}  // namespace

MulticastChannel::MulticastChannel(asio::io_context& io, ChannelOptions options, uint64_t self_id,
                                   Handler handler)
    : io_(io),
      options_(std::move(options)),
      self_id_(self_id),
      handler_(std::move(handler)),
      v4_(io),
      v6_(io),
      rescan_timer_(io) {}

MulticastChannel::~MulticastChannel() {
  *alive_ = false;
  stop();
}

void MulticastChannel::start() {
  asio::error_code ec;
  v4_.open(asio::ip::udp::v4(), ec);
  if (!ec) v4_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) v4_.bind(asio::ip::udp::endpoint(asio::ip::address_v4::any(), options_.port), ec);
  if (!ec) v4_.set_option(asio::ip::multicast::hops(1), ec);
  if (!ec) v4_.set_option(asio::ip::multicast::enable_loopback(true), ec);
  if (ec) {
    socket_problem_ = "IPv4 port " + std::to_string(options_.port) + ": " + ec.message();
    v4_.close(ec);
  } else {
    receive(v4_, buf_v4_, from_v4_);
  }
  if (options_.use_v6) {
    v6_.open(asio::ip::udp::v6(), ec);
    if (!ec) v6_.set_option(asio::ip::v6_only(true), ec);
    if (!ec) v6_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) v6_.bind(asio::ip::udp::endpoint(asio::ip::address_v6::any(), options_.port), ec);
    if (!ec) v6_.set_option(asio::ip::multicast::hops(1), ec);
    if (!ec) v6_.set_option(asio::ip::multicast::enable_loopback(true), ec);
    if (ec) {
      // A machine without IPv6 is normal; only mention it when IPv4 failed too.
      if (!v4_.is_open()) socket_problem_ += "; IPv6: " + ec.message();
      v6_.close(ec);
    } else {
      receive(v6_, buf_v6_, from_v6_);
    }
  }
  rescan();
  arm_rescan();
}

void MulticastChannel::stop() {
  asio::error_code ec;
  rescan_timer_.cancel();
  v4_.close(ec);
  v6_.close(ec);
}

void MulticastChannel::arm_rescan() {
  rescan_timer_.expires_after(options_.rescan_every);
  rescan_timer_.async_wait([this, alive = alive_](const asio::error_code& ec) {
    if (ec || !*alive) return;
    rescan();
    arm_rescan();
  });
}

void MulticastChannel::rescan() {
  std::set<unsigned> present;
  for (auto& iface : list_interfaces(options_.include_loopback || options_.only_loopback)) {
    if (!iface.multicast && !iface.loopback) continue;
    if (options_.only_loopback && !iface.loopback) continue;
    present.insert(iface.index);
    auto [it, inserted] = links_.try_emplace(iface.index);
    Link& link = it->second;
    link.iface = std::move(iface);
    link.report.name = link.iface.name;
    link.report.addresses = link.iface.address_texts();
    asio::error_code ec;
    if (!link.joined_v4 && v4_.is_open() && !link.iface.v4.empty()) {
      v4_.set_option(asio::ip::multicast::join_group(options_.group_v4, link.iface.v4.front().first), ec);
      // "Address in use" means this interface already joined (e.g. re-added).
      link.joined_v4 = !ec || ec == asio::error::address_in_use;
      if (!link.joined_v4) link.report.join_error = "IPv4: " + ec.message();
    }
    if (!link.joined_v6 && v6_.is_open() && link.iface.has_v6_link_local()) {
      v6_.set_option(asio::ip::multicast::join_group(options_.group_v6, link.iface.index), ec);
      link.joined_v6 = !ec || ec == asio::error::address_in_use;
      if (!link.joined_v6)
        link.report.join_error += (link.report.join_error.empty() ? "" : "; ") + ("IPv6: " + ec.message());
    }
    link.report.joined = link.joined_v4 || link.joined_v6;
  }
  // Interfaces that went away keep their report (history) but are not sent on.
  for (auto& [index, link] : links_) {
    if (!present.contains(index)) {
      link.joined_v4 = false;
      link.joined_v6 = false;
    }
  }
}

void MulticastChannel::send_everywhere(const std::string& datagram) {
  for (auto& [index, link] : links_) {
    asio::error_code ec;
    if (link.joined_v4 && v4_.is_open()) {
      v4_.set_option(asio::ip::multicast::outbound_interface(link.iface.v4.front().first), ec);
      if (!ec)
        v4_.send_to(asio::buffer(datagram), asio::ip::udp::endpoint(options_.group_v4, options_.port), 0, ec);
      ++link.report.sent;
      if (ec) {
        ++link.report.send_errors;
        link.report.last_send_error = ec.message();
      }
    }
    if (link.joined_v6 && v6_.is_open()) {
      asio::ip::address_v6 group = options_.group_v6;
      group.scope_id(index);
      v6_.set_option(asio::ip::multicast::outbound_interface(index), ec);
      if (!ec) v6_.send_to(asio::buffer(datagram), asio::ip::udp::endpoint(group, options_.port), 0, ec);
      ++link.report.sent;
      if (ec) {
        ++link.report.send_errors;
        link.report.last_send_error = ec.message();
      }
    }
  }
}

void MulticastChannel::receive(asio::ip::udp::socket& socket, std::array<char, 2048>& buffer,
                               asio::ip::udp::endpoint& from) {
  socket.async_receive_from(
      asio::buffer(buffer), from,
      [this, &socket, &buffer, &from, alive = alive_](const asio::error_code& ec, size_t n) {
        if (!*alive || ec == asio::error::operation_aborted || !socket.is_open()) return;
        // Other errors (e.g. ICMP-induced) are transient; keep listening.
        if (!ec) on_datagram(std::string_view(buffer.data(), n), from);
        receive(socket, buffer, from);
      });
}

MulticastChannel::Link* MulticastChannel::link_for(const asio::ip::udp::endpoint& from) {
  const auto address = from.address();
  if (address.is_v6() && address.to_v6().scope_id() != 0) {
    auto it = links_.find(static_cast<unsigned>(address.to_v6().scope_id()));
    return it == links_.end() ? nullptr : &it->second;
  }
  if (address.is_v4()) {
    for (auto& [index, link] : links_) {
      if (link.iface.on_v4_subnet(address.to_v4())) return &link;
    }
  }
  return nullptr;
}

void MulticastChannel::on_datagram(std::string_view bytes, const asio::ip::udp::endpoint& from) {
  Received r{decode_packet(bytes), from, {}};
  Link* link = link_for(from);
  if (link != nullptr) r.interface = link->iface.name;
  const bool attune = r.decoded.outcome == DecodeOutcome::Beacon ||
                      r.decoded.outcome == DecodeOutcome::Query ||
                      r.decoded.outcome == DecodeOutcome::Goodbye;
  if (attune && sender_id(r.decoded.packet) == self_id_) {
    if (link != nullptr) ++link->report.heard_own;
    return;
  }
  counters_.count(r.decoded.outcome);
  if (link != nullptr && r.decoded.outcome != DecodeOutcome::NotAttune) ++link->report.heard_others;
  if (attune) handler_(r);
}

std::vector<InterfaceReport> MulticastChannel::interface_reports() const {
  std::vector<InterfaceReport> out;
  for (const auto& [index, link] : links_) out.push_back(link.report);
  return out;
}

}  // namespace attune::discovery
