// The machine's network interfaces, as discovery needs them: which are up,
// can multicast, and what addresses they hold. A thin wrapper over getifaddrs.
#pragma once

#include <asio/ip/address_v4.hpp>
#include <asio/ip/address_v6.hpp>
#include <optional>
#include <string>
#include <vector>

namespace attune::discovery {

struct NetworkInterface {
  std::string name;
  unsigned index = 0;
  bool loopback = false;
  bool multicast = false;
  std::vector<std::pair<asio::ip::address_v4, asio::ip::address_v4>> v4;  // (address, netmask)
  std::vector<asio::ip::address_v6> v6;                                   // Link-local ones carry scope ids.

  bool has_v6_link_local() const;
  // True when `address` is inside one of this interface's IPv4 subnets.
  bool on_v4_subnet(const asio::ip::address_v4& address) const;
  std::vector<std::string> address_texts() const;
};

// Up interfaces, sorted by index. Loopback is left out unless asked for.
std::vector<NetworkInterface> list_interfaces(bool include_loopback = false);

// Addresses worth putting in an invite: global/unique-local IPv6 and IPv4
// from up, non-loopback interfaces (VPN tunnels included), IPv4 first.
std::vector<std::string> invite_addresses(const std::vector<NetworkInterface>& interfaces);

}  // namespace attune::discovery
