#include "network_interfaces.hpp"

#include <gtest/gtest.h>

namespace attune::discovery {
namespace {

TEST(NetworkInterfaces, LoopbackOnlyWhenAsked) {
  const auto with = list_interfaces(true);
  const auto lo = std::find_if(with.begin(), with.end(), [](const auto& i) { return i.loopback; });
  ASSERT_NE(lo, with.end()) << "every Linux machine has an up loopback interface";
  EXPECT_GT(lo->index, 0u);
  EXPECT_TRUE(lo->on_v4_subnet(asio::ip::make_address_v4("127.0.0.1")));
  for (const auto& i : list_interfaces(false)) EXPECT_FALSE(i.loopback) << i.name;
}

TEST(NetworkInterfaces, InviteAddressesSkipLoopbackAndLinkLocal) {
  NetworkInterface lo;
  lo.name = "lo";
  lo.loopback = true;
  lo.v4 = {{asio::ip::make_address_v4("127.0.0.1"), asio::ip::make_address_v4("255.0.0.0")}};
  NetworkInterface wg;
  wg.name = "wg0";
  wg.v4 = {{asio::ip::make_address_v4("10.8.0.2"), asio::ip::make_address_v4("255.255.255.0")}};
  wg.v6 = {asio::ip::make_address_v6("fe80::1"), asio::ip::make_address_v6("fd7a:115c::2")};
  EXPECT_EQ(invite_addresses({lo, wg}), (std::vector<std::string>{"10.8.0.2", "fd7a:115c::2"}));
  EXPECT_TRUE(wg.on_v4_subnet(asio::ip::make_address_v4("10.8.0.77")));
  EXPECT_FALSE(wg.on_v4_subnet(asio::ip::make_address_v4("10.9.0.77")));
  EXPECT_TRUE(wg.has_v6_link_local());
}

}  // namespace
}  // namespace attune::discovery
