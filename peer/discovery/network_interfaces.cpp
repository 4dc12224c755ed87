#include "network_interfaces.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <map>

namespace attune::discovery {

bool NetworkInterface::has_v6_link_local() const {
  return std::any_of(v6.begin(), v6.end(), [](const auto& a) { return a.is_link_local(); });
}

bool NetworkInterface::on_v4_subnet(const asio::ip::address_v4& address) const {
  return std::any_of(v4.begin(), v4.end(), [&](const auto& am) {
    return (am.first.to_uint() & am.second.to_uint()) == (address.to_uint() & am.second.to_uint());
  });
}

std::vector<std::string> NetworkInterface::address_texts() const {
  std::vector<std::string> out;
  for (const auto& [a, m] : v4) out.push_back(a.to_string());
  for (const auto& a : v6) out.push_back(a.to_string());
  return out;
}

std::vector<NetworkInterface> list_interfaces(bool include_loopback) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return {};
  std::map<std::string, NetworkInterface> by_name;
  for (ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
    if (it->ifa_name == nullptr || (it->ifa_flags & IFF_UP) == 0) continue;
    const bool loopback = (it->ifa_flags & IFF_LOOPBACK) != 0;
    if (loopback && !include_loopback) continue;
    auto& iface = by_name[it->ifa_name];
    iface.name = it->ifa_name;
    iface.index = if_nametoindex(it->ifa_name);
    iface.loopback = loopback;
    iface.multicast = (it->ifa_flags & IFF_MULTICAST) != 0;
    if (it->ifa_addr == nullptr) continue;
    if (it->ifa_addr->sa_family == AF_INET && it->ifa_netmask != nullptr) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
      const auto* mask = reinterpret_cast<const sockaddr_in*>(it->ifa_netmask);
      iface.v4.emplace_back(asio::ip::address_v4(ntohl(sin->sin_addr.s_addr)),
                            asio::ip::address_v4(ntohl(mask->sin_addr.s_addr)));
    } else if (it->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(it->ifa_addr);
      asio::ip::address_v6::bytes_type bytes;
      std::copy(std::begin(sin6->sin6_addr.s6_addr), std::end(sin6->sin6_addr.s6_addr), bytes.begin());
      asio::ip::address_v6 address(bytes, sin6->sin6_scope_id);
      iface.v6.push_back(address);
    }
  }
  freeifaddrs(list);
  std::vector<NetworkInterface> out;
  for (auto& [name, iface] : by_name) out.push_back(std::move(iface));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  return out;
}

std::vector<std::string> invite_addresses(const std::vector<NetworkInterface>& interfaces) {
  std::vector<std::string> v4;
  std::vector<std::string> v6;
  for (const auto& iface : interfaces) {
    if (iface.loopback) continue;
    for (const auto& [a, m] : iface.v4) v4.push_back(a.to_string());
    for (const auto& a : iface.v6) {
      if (!a.is_link_local() && !a.is_loopback() && !a.is_multicast()) v6.push_back(a.to_string());
    }
  }
  v4.insert(v4.end(), v6.begin(), v6.end());
  return v4;
}

}  // namespace attune::discovery
