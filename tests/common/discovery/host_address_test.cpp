#include "attune/discovery/host_address.hpp"

#include <gtest/gtest.h>

namespace attune::discovery {
namespace {

using Kind = HostAddress::Kind;

HostAddress ok(std::string_view text) {
  const auto p = parse_host_address(text, 47000);
  EXPECT_TRUE(p.address.has_value()) << text << ": " << p.error;
  return p.address.value_or(HostAddress{});
}

TEST(HostAddress, ParsesTheFormsPeopleType) {
  EXPECT_EQ(ok("10.0.0.5"), (HostAddress{Kind::Ipv4, "10.0.0.5", 47000}));
  EXPECT_EQ(ok(" 10.0.0.5:5000 "), (HostAddress{Kind::Ipv4, "10.0.0.5", 5000}));
  EXPECT_EQ(ok("[fd00::5]:5000"), (HostAddress{Kind::Ipv6, "fd00::5", 5000}));
  EXPECT_EQ(ok("[fd00::5]"), (HostAddress{Kind::Ipv6, "fd00::5", 47000}));
  EXPECT_EQ(ok("fd00::5"), (HostAddress{Kind::Ipv6, "fd00::5", 47000}));
  EXPECT_EQ(ok("::1"), (HostAddress{Kind::Ipv6, "::1", 47000}));
  EXPECT_EQ(ok("[fe80::1%wlan0]:6000"), (HostAddress{Kind::Ipv6, "fe80::1%wlan0", 6000}));
  EXPECT_EQ(ok("laptop.local"), (HostAddress{Kind::Name, "laptop.local", 47000}));
  EXPECT_EQ(ok("sams-pc.tailnet.ts.net:47001"), (HostAddress{Kind::Name, "sams-pc.tailnet.ts.net", 47001}));
  EXPECT_EQ(ok("localhost"), (HostAddress{Kind::Name, "localhost", 47000}));
}

TEST(HostAddress, PrintsBackInCanonicalForm) {
  EXPECT_EQ(ok("fd00::5").to_string(), "[fd00::5]:47000");
  EXPECT_EQ(ok("10.0.0.5:1").to_string(), "10.0.0.5:1");
  EXPECT_EQ(ok("box:2").to_string(), "box:2");
}

TEST(HostAddress, RejectsWithAReason) {
  for (const char* bad : {"", "   ", "10.0.0.5:", "10.0.0.5:0", "10.0.0.5:65536", "10.0.0.5:http",
                          "300.1.2.3", "1.2.3", "[fd00::5", "[fd00::5]x", "[notv6]:1", "fd00:::5::1",
                          "two words", "-bad.example", "bad-.example", "a..b", ":47000", "[fe80::1%]:1"}) {
    const auto p = parse_host_address(bad, 47000);
    EXPECT_FALSE(p.address.has_value()) << bad;
    EXPECT_FALSE(p.error.empty()) << bad;
  }
  EXPECT_FALSE(parse_host_address(std::string(1000, 'a'), 1).address.has_value());
  EXPECT_FALSE(is_valid_host_name(std::string(64, 'a')));
  EXPECT_TRUE(is_valid_host_name(std::string(63, 'a') + ".example."));
}

}  // namespace
}  // namespace attune::discovery
