// Joining by an invite that carries several addresses, through the window
// app's real network launcher on loopback: a partner across a VPN gets an
// invite whose first address is the host's LAN address, which they can't
// reach. The next address is tried, the partner gets in, and the address
// that answered is the one kept for next time.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "app/net_launcher.hpp"
#include "app/partner_hosts.hpp"
#include "attune/discovery/invite_code.hpp"
#include "attune/discovery/join_target.hpp"
#include "launcher_support.hpp"
#include "loopback_relay.hpp"
#include "recent_hosts.hpp"

namespace attune::app {
namespace {

using test::TempDir;
using test::wait_for;

// Alex hosts on 127.0.0.1 (discovery off, as over a VPN), and Sam is to join.
struct HostAndPartner {
  TempDir a, b;
  NetLauncher alex{{a.path, "127.0.0.1", 0, false}};
  NetLauncher sam{{b.path, "127.0.0.1", 0, false}};
  std::shared_ptr<NodeApi> host;
  uint16_t port = 0;
  std::string error;

  // Alex's invite with `first` ahead of Alex's own address, on Alex's port.
  std::string invite_with_first(const std::string& first) {
    const std::string shown = alex.invite();
    const auto target = discovery::parse_join_target(shown.substr(0, shown.find("  (or ")));
    EXPECT_TRUE(target.error.empty()) << shown;
    discovery::InviteInfo info;
    info.addresses = {first, "127.0.0.1"};
    info.port = target.port;
    info.session_code = target.code;
    const auto encoded = discovery::encode_invite(info);
    EXPECT_EQ(encoded.error, discovery::InviteError::None);
    return encoded.text;
  }
  std::string real_address() const { return "127.0.0.1:" + std::to_string(port); }
};

void host_with_code(HostAndPartner& pair) {
  pair.host = pair.alex.host(HostRequest{"Alex", "", v1::ROLE_PARTNER_A, {}}, &pair.error);
  ASSERT_TRUE(pair.host) << pair.error;
  ASSERT_TRUE(wait_for(*pair.host, [&](const NodeView&) { return !pair.alex.pairing_code().empty(); }));
  const std::string shown = pair.alex.invite();
  pair.port = discovery::parse_join_target(shown.substr(0, shown.find("  (or "))).port;
  ASSERT_NE(pair.port, 0) << shown;
}

// Sam is in Alex's session, connected at Alex's real address; that address
// (and never the first one) is kept as Alex's and among the recent hosts.
void expect_in_and_kept(HostAndPartner& pair, NodeApi& partner) {
  ASSERT_TRUE(wait_for(*pair.host, [](const NodeView& s) { return s.state.participants_size() == 2; }))
      << partner.snapshot()->link_detail;
  ASSERT_TRUE(wait_for(partner, [](const NodeView& s) { return s.link == LinkState::Connected; }))
      << partner.snapshot()->link_detail;
  EXPECT_EQ(partner.snapshot()->link_detail, "Connected to the host at " + pair.real_address() + ".");
  const std::string alex_id = pair.host->snapshot()->my_id;
  EXPECT_TRUE(wait_for(partner, [&](const NodeView&) { return !partner_host(pair.b.path, alex_id).empty(); }));
  EXPECT_EQ(partner_host(pair.b.path, alex_id), pair.real_address()) << "kept an address that didn't answer";
  const auto recent = discovery::RecentHosts((pair.b.path / "recent_hosts.sqlite").string()).list();
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent.front().address, pair.real_address());
}

TEST(JoinByInvite, AFirstAddressThatRefusesIsPassedOverAndTheOneThatAnsweredIsKept) {
  HostAndPartner pair;
  ASSERT_NO_FATAL_FAILURE(host_with_code(pair));
  // Nothing listens on 127.0.0.2: that address refuses at once.
  auto partner = pair.sam.join(JoinRequest{"Sam", pair.invite_with_first("127.0.0.2"), "", v1::ROLE_PARTNER_B},
                               &pair.error);
  ASSERT_TRUE(partner) << pair.error;
  ASSERT_NO_FATAL_FAILURE(expect_in_and_kept(pair, *partner));
}

// An address where nothing answers at all (its listen queue is full) holds
// up the next only briefly, not for its whole 10-second dial timeout.
TEST(JoinByInvite, AFirstAddressThatNeverAnswersHoldsUpTheNextOnlyBriefly) {
  HostAndPartner pair;
  ASSERT_NO_FATAL_FAILURE(host_with_code(pair));
  test::LoopbackRelay hole(0, test::LoopbackRelay::Kind::BlackHole, "127.0.0.2", pair.port);
  const auto started = std::chrono::steady_clock::now();
  auto partner = pair.sam.join(JoinRequest{"Sam", pair.invite_with_first("127.0.0.2"), "", v1::ROLE_PARTNER_B},
                               &pair.error);
  ASSERT_TRUE(partner) << pair.error;
  ASSERT_TRUE(wait_for(*partner, [](const NodeView& s) { return s.link == LinkState::Connected; }))
      << partner->snapshot()->link_detail;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5))
      << "the second address waited for the first one's whole dial timeout";
  EXPECT_EQ(hole.connections(), 0);
  ASSERT_NO_FATAL_FAILURE(expect_in_and_kept(pair, *partner));
}

}  // namespace
}  // namespace attune::app
