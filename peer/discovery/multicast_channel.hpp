// The discovery group on every up interface: one IPv4 and one IPv6 socket,
// joined per interface, sending a datagram out of each interface in turn.
//
// Runs on the caller's io_context (one thread). Keeps per-interface counts of
// what was sent and heard, which is what the diagnostics explain to the user.
// Rescans interfaces every few seconds, so Wi-Fi or a VPN coming up later is
// picked up without a restart.
#pragma once

#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "attune/discovery/diagnosis.hpp"
#include "attune/discovery/packet_codec.hpp"
#include "network_interfaces.hpp"

namespace attune::discovery {

struct ChannelOptions {
  asio::ip::address_v4 group_v4 = asio::ip::make_address_v4("224.0.0.177");
  asio::ip::address_v6 group_v6 = asio::ip::make_address_v6("ff02::177");
  uint16_t port = 47177;
  bool use_v6 = true;
  bool include_loopback = false;  // Only for machines without any network.
  bool only_loopback = false;     // Tests: never a real network.
  std::chrono::milliseconds rescan_every{5000};
};

// One received, decoded Attune packet that was not our own.
struct Received {
  Decoded decoded;
  asio::ip::udp::endpoint from;
  std::string interface;  // Best guess at the arrival interface ("" if unknown).
};

class MulticastChannel {
 public:
  using Handler = std::function<void(const Received&)>;

  // `self_id`: our instance/browser id; packets carrying it are counted as
  // our own echo and not delivered.
  MulticastChannel(asio::io_context& io, ChannelOptions options, uint64_t self_id, Handler handler);
  ~MulticastChannel();
  MulticastChannel(const MulticastChannel&) = delete;
  MulticastChannel& operator=(const MulticastChannel&) = delete;

  // Opens sockets and joins the group. Errors are recorded, never thrown:
  // a machine without IPv6 still discovers over IPv4.
  void start();
  void stop();

  // Sends one datagram out of every joined interface (both families).
  void send_everywhere(const std::string& datagram);

  // What happened so far, per interface, for the diagnostics.
  std::vector<InterfaceReport> interface_reports() const;
  const DecodeCounters& counters() const { return counters_; }
  std::string socket_problem() const { return socket_problem_; }

 private:
  struct Link {
    NetworkInterface iface;
    InterfaceReport report;
    bool joined_v4 = false;
    bool joined_v6 = false;
  };

  void rescan();
  void arm_rescan();
  void receive(asio::ip::udp::socket& socket, std::array<char, 2048>& buffer, asio::ip::udp::endpoint& from);
  void on_datagram(std::string_view bytes, const asio::ip::udp::endpoint& from);
  Link* link_for(const asio::ip::udp::endpoint& from);

  asio::io_context& io_;
  ChannelOptions options_;
  uint64_t self_id_;
  Handler handler_;
  asio::ip::udp::socket v4_;
  asio::ip::udp::socket v6_;
  std::array<char, 2048> buf_v4_{};
  std::array<char, 2048> buf_v6_{};
  asio::ip::udp::endpoint from_v4_;
  asio::ip::udp::endpoint from_v6_;
  asio::steady_timer rescan_timer_;
  std::map<unsigned, Link> links_;  // By interface index.
  DecodeCounters counters_;
  std::string socket_problem_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace attune::discovery
