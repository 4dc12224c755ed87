// "Start now" on a reminder, through the window app's real network launcher
// on loopback: two devices that paired once (with the code) meet again with
// no code. The one that hosted hosts; the one that joined finds the
// partner's session at the machine it last reached it at (nearby or by
// address) and joins over the pinned keys, never a neighbour's session.
#include <gtest/gtest.h>
#include <unistd.h>

#include <asio.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "app/net_launcher.hpp"
#include "app/partner_hosts.hpp"
#include "recent_hosts.hpp"
#include "wall_clock.hpp"
#include "identity/port_file.hpp"
#include "launcher_support.hpp"
#include "loopback_relay.hpp"

namespace attune::app {
namespace {

using test::TempDir;
using test::wait_for;

// Discovery on loopback only, on this process's own group port.
discovery::ChannelOptions loopback_channel() {
  discovery::ChannelOptions channel;
  channel.port = static_cast<uint16_t>(43000 + (::getpid() % 18000));
  channel.use_v6 = false;
  channel.only_loopback = true;
  channel.rescan_every = std::chrono::milliseconds(200);
  return channel;
}

// The one pairing, with the code the invite carries; both then let go.
void pair_once(NetLauncher& alex, NetLauncher& sam, std::string* alex_id, std::string* sam_id) {
  std::string error;
  auto host = alex.host(HostRequest{"Alex", "", v1::ROLE_PARTNER_A, {}}, &error);
  ASSERT_TRUE(host) << error;
  ASSERT_TRUE(wait_for(*host, [&](const NodeView&) { return !alex.pairing_code().empty(); }));
  auto partner = sam.join(JoinRequest{"Sam", alex.invite(), "", v1::ROLE_PARTNER_B}, &error);
  ASSERT_TRUE(partner) << error;
  ASSERT_TRUE(wait_for(*host, [](const NodeView& s) { return s.state.participants_size() == 2; }));
  ASSERT_TRUE(wait_for(*partner, [](const NodeView& s) { return !s.my_id.empty(); }));
  *alex_id = host->snapshot()->my_id;
  *sam_id = partner->snapshot()->my_id;
  ASSERT_TRUE(wait_for(*partner, [](const NodeView& s) { return s.link == LinkState::Connected; }));
  partner.reset();
  sam.released();
  host.reset();
  alex.released();
}

bool admitted(const NodeView& s, const std::string& id) {
  for (const auto& p : s.state.participants())
    if (p.id() == id) return p.admitted();
  return false;
}

// Sam is Connected only once the host welcomes it again, over the pinned
// keys, with no code; and is let in with no "Let in" on Alex's side.
void expect_they_meet(NodeApi& host, NodeApi& partner, const std::string& sam_id) {
  EXPECT_TRUE(wait_for(partner, [](const NodeView& s) { return s.link == LinkState::Connected; }));
  EXPECT_TRUE(wait_for(host, [&](const NodeView& s) {
    for (const auto& p : s.state.participants())
      if (p.id() == sam_id) return p.connected();
    return false;
  }));
  EXPECT_TRUE(wait_for(host, [&](const NodeView& s) { return admitted(s, sam_id); }))
      << "Alex still had to let Sam in";
  EXPECT_TRUE(wait_for(partner, [&](const NodeView& s) { return admitted(s, sam_id); }))
      << "Sam's screen still waits to be let in";
}

// Two devices with discovery off (the VPN case), to be paired once.
struct PairedOffNetwork {
  TempDir a, b;
  NetLauncher alex{{a.path, "127.0.0.1", 0, false}};
  NetLauncher sam{{b.path, "127.0.0.1", 0, false}};
  std::string error, alex_id, sam_id;
};

// Sam waits (at most 10 s) until Alex's session is listed nearby, then taps
// "Start now", and the two meet.
void sam_finds_alex_and_they_meet(NetLauncher& sam, NodeApi& host, const std::string& alex_id,
                                  const std::string& sam_id) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sam.nearby().empty() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::string error;
  auto partner = sam.start_with_partner(alex_id, "Sam", &error);
  ASSERT_TRUE(partner) << error;
  expect_they_meet(host, *partner, sam_id);
}

// Both tap "Start now"; Alex hosts, Sam joins, and they meet with no code.
void both_start_and_meet(PairedOffNetwork& paired) {
  auto& [a, b, alex, sam, error, alex_id, sam_id] = paired;
  auto host = alex.start_with_partner(sam_id, "Alex", &error);
  ASSERT_TRUE(host) << error;
  auto partner = sam.start_with_partner(alex_id, "Sam", &error);
  ASSERT_TRUE(partner) << error;
  expect_they_meet(*host, *partner, sam_id);
}

TEST(StartWithPartner, TwoPairedDevicesMeetAgainWithNoCode) {
  TempDir a, b;
  NetLauncher alex({a.path, "127.0.0.1", 0, true}, loopback_channel());
  NetLauncher sam({b.path, "127.0.0.1", 0, true}, loopback_channel());
  std::string error;
  std::string alex_id, sam_id;
  ASSERT_NO_FATAL_FAILURE(pair_once(alex, sam, &alex_id, &sam_id));
  // Later, at the agreed time, each taps "Start now".
  auto host = alex.start_with_partner(sam_id, "Alex", &error);
  ASSERT_TRUE(host) << error;
  EXPECT_EQ(host->snapshot()->link, LinkState::Hosting);
  EXPECT_EQ(alex.partner_session().name, "Sam") << "the lobby should wait for Sam by name";
  EXPECT_EQ(alex.partner_session().device_id, sam_id);
  ASSERT_NO_FATAL_FAILURE(sam_finds_alex_and_they_meet(sam, *host, alex_id, sam_id));
}

// Over a VPN discovery's multicast never arrives: with discovery off on
// both, Sam's "Start now" finds Alex at the address it last reached Alex,
// and Alex hosts again on the port it used then.
TEST(StartWithPartner, WithoutDiscoveryTheRememberedAddressFindsThePartner) {
  PairedOffNetwork paired;
  ASSERT_NO_FATAL_FAILURE(pair_once(paired.alex, paired.sam, &paired.alex_id, &paired.sam_id));
  auto& [a, b, alex, sam, error, alex_id, sam_id] = paired;
  EXPECT_TRUE(sam.nearby().empty()) << "nothing is found by discovery";
  ASSERT_NO_FATAL_FAILURE(both_start_and_meet(paired));
}

// Sam later joined someone else's session with a code (Casey's), so Sam's
// host pin is Casey's device now. "Start now" still has Sam join Alex, as
// in their own latest pairing, proving itself with Alex's pin, not Casey's.
TEST(StartWithPartner, JoiningSomeoneElseSinceStillLetsThemMeet) {
  TempDir a, b, c;
  NetLauncher alex({a.path, "127.0.0.1", 0, true}, loopback_channel());
  NetLauncher sam({b.path, "127.0.0.1", 0, true}, loopback_channel());
  NetLauncher casey({c.path, "127.0.0.1", 0, false});
  std::string error, alex_id, sam_id, casey_id, sam_again;
  ASSERT_NO_FATAL_FAILURE(pair_once(alex, sam, &alex_id, &sam_id));
  ASSERT_NO_FATAL_FAILURE(pair_once(casey, sam, &casey_id, &sam_again));
  auto host = alex.start_with_partner(sam_id, "Alex", &error);
  ASSERT_TRUE(host) << error;
  EXPECT_EQ(host->snapshot()->link, LinkState::Hosting);
  ASSERT_NO_FATAL_FAILURE(sam_finds_alex_and_they_meet(sam, *host, alex_id, sam_id));
}

// An ordinary hosted session lets nobody in by itself, even the paired partner.
TEST(StartWithPartner, AnOrdinarySessionStillAsksTheHostToLetThePartnerIn) {
  PairedOffNetwork paired;
  ASSERT_NO_FATAL_FAILURE(pair_once(paired.alex, paired.sam, &paired.alex_id, &paired.sam_id));
  auto& [a, b, alex, sam, error, alex_id, sam_id] = paired;
  // On the port Sam knows (else Sam's "Start now" finds nobody and says so).
  const auto port = identity::read_port_file(a.path / "last_host_port");
  ASSERT_TRUE(port);
  NetLauncher alex_again({a.path, "127.0.0.1", *port, false});
  auto host = alex_again.host(HostRequest{"Alex", "", v1::ROLE_PARTNER_A, {}}, &error);
  ASSERT_TRUE(host) << error;
  EXPECT_EQ(alex_again.partner_session().device_id, "");
  auto partner = sam.start_with_partner(alex_id, "Sam", &error);
  ASSERT_TRUE(partner) << error;
  ASSERT_TRUE(wait_for(*host, [&](const NodeView& s) { return s.state.participants_size() == 2; }));
  EXPECT_FALSE(admitted(*host->snapshot(), sam_id));
}

// A free loopback port, to plant in last_host_port.
uint16_t free_loopback_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// A garbled last_host_port, or a link planted in its place, is no port: the
// host picks a free one and keeps it in a plain 0600 file of its own.
TEST(StartWithPartner, AGarbledOrLinkedLastHostPortIsIgnoredAndReplaced) {
  PairedOffNetwork paired;
  ASSERT_NO_FATAL_FAILURE(pair_once(paired.alex, paired.sam, &paired.alex_id, &paired.sam_id));
  auto& [a, b, alex, sam, error, alex_id, sam_id] = paired;
  const auto file = a.path / "last_host_port";
  for (const bool as_link : {false, true}) {
    const uint16_t planted = free_loopback_port();
    std::filesystem::remove(file);
    if (as_link) {
      std::ofstream(a.path / "planted") << planted << "\n";
      std::filesystem::create_symlink(a.path / "planted", file);
    } else {
      std::ofstream(file) << planted << "junk\n";
    }
    auto host = alex.start_with_partner(sam_id, "Alex", &error);
    ASSERT_TRUE(host) << error;
    EXPECT_FALSE(std::filesystem::is_symlink(file));
    const auto kept = identity::read_port_file(file);
    ASSERT_TRUE(kept) << "the port hosted on wasn't kept";
    EXPECT_NE(*kept, planted) << (as_link ? "followed a planted link" : "took a port from a garbled file");
    host.reset();
    alex.released();
  }
}

// Another host this device joined since (here: one that accepts and says
// nothing, the newest in the join list) is never dialled for the partner:
// only the address learned from the partner's own session is.
TEST(StartWithPartner, OnlyTheAddressLearnedFromThePartnerIsDialledForThePartner) {
  PairedOffNetwork paired;
  ASSERT_NO_FATAL_FAILURE(pair_once(paired.alex, paired.sam, &paired.alex_id, &paired.sam_id));
  auto& [a, b, alex, sam, error, alex_id, sam_id] = paired;
  asio::io_context io;
  asio::ip::tcp::acceptor stranger(io, {asio::ip::make_address("127.0.0.1"), 0});
  {
    discovery::RecentHosts joined((b.path / "recent_hosts.sqlite").string());
    joined.remember("127.0.0.1:" + std::to_string(stranger.local_endpoint().port()), "", wall_ms() + 60'000);
    ASSERT_EQ(joined.list().front().address, "127.0.0.1:" + std::to_string(stranger.local_endpoint().port()));
  }
  ASSERT_NO_FATAL_FAILURE(both_start_and_meet(paired));
}

// Nobody at the partner's address any more: "Start now" says so in plain
// words within seconds instead of dialling a dead address for ever; and an
// address kept for another device is never used for this one.
TEST(StartWithPartner, AStaleAddressFailsQuicklyInPlainWords) {
  PairedOffNetwork paired;
  ASSERT_NO_FATAL_FAILURE(pair_once(paired.alex, paired.sam, &paired.alex_id, &paired.sam_id));
  auto& [a, b, alex, sam, error, alex_id, sam_id] = paired;
  ASSERT_NE(partner_host(b.path, alex_id), "") << "the pairing didn't keep the partner's address";
  const auto started = std::chrono::steady_clock::now();
  auto partner = sam.start_with_partner(alex_id, "Sam", &error);
  ASSERT_TRUE(partner) << error;
  EXPECT_TRUE(wait_for(
      *partner, [](const NodeView& s) { return s.link == LinkState::Offline; }, std::chrono::seconds(5)))
      << "still dialling an address where nobody is";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_NE(partner->snapshot()->link_detail.find("isn't at the address it had last time"), std::string::npos)
      << partner->snapshot()->link_detail;
  partner.reset();
  sam.released();
  // Alex hosts again, but the address is filed under another device only.
  auto host = alex.start_with_partner(sam_id, "Alex", &error);
  ASSERT_TRUE(host) << error;
  const std::string address = partner_host(b.path, alex_id);
  std::filesystem::remove(b.path / "partner_hosts.json");
  remember_partner_host(b.path, "dev-someone-else", address);
  EXPECT_FALSE(sam.start_with_partner(alex_id, "Sam", &error)) << "used another device's address";
  EXPECT_NE(error.find("hasn't reached your partner's session before"), std::string::npos) << error;
}

// A free port on 127.0.0.2, where nobody listens once this returns.
std::string nobody_at_another_machine() {
  asio::io_context io;
  asio::ip::tcp::acceptor gone(io, {asio::ip::make_address("127.0.0.2"), 0});
  return "127.0.0.2:" + std::to_string(gone.local_endpoint().port());
}

// Alex and Sam paired once, Alex isn't hosting, and Casey, a neighbour,
// hosts an ordinary session that Sam's device lists nearby.
struct NeighbourNearby {
  TempDir a, b, c;
  NetLauncher alex{{a.path, "127.0.0.1", 0, false}};
  NetLauncher sam{{b.path, "127.0.0.1", 0, true}, loopback_channel()};
  NetLauncher casey{{c.path, "127.0.0.1", 0, true}, loopback_channel()};
  std::string error, alex_id, sam_id, casey_at;
  std::shared_ptr<NodeApi> neighbour;
};

void casey_hosts_nearby(NeighbourNearby& n) {
  ASSERT_NO_FATAL_FAILURE(pair_once(n.alex, n.sam, &n.alex_id, &n.sam_id));
  n.neighbour = n.casey.host(HostRequest{"Casey", "", v1::ROLE_PARTNER_A, {}}, &n.error);
  ASSERT_TRUE(n.neighbour) << n.error;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (n.sam.nearby().empty() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_FALSE(n.sam.nearby().empty()) << "Casey's session never showed nearby";
  n.casey_at = n.sam.nearby().front().id;
}

// Sam's "Start now" never dials Casey's session: a pinned dial shows Sam's
// device id and key to whichever host answers, and nothing in a beacon says
// whose session it is. Only the machine Sam last reached Alex's session at
// is tried (here a port on 127.0.0.2 with nobody there), then Sam is told
// in words.
TEST(StartWithPartner, ANeighboursSessionNearbyIsNeverDialled) {
  NeighbourNearby n;
  ASSERT_NO_FATAL_FAILURE(casey_hosts_nearby(n));
  remember_partner_host(n.b.path, n.alex_id, nobody_at_another_machine());
  auto partner = n.sam.start_with_partner(n.alex_id, "Sam", &n.error);
  ASSERT_TRUE(partner) << n.error;
  EXPECT_TRUE(wait_for(
      *partner, [](const NodeView& s) { return s.link == LinkState::Offline; }, std::chrono::seconds(10)))
      << "Sam's device went on to some session: " << partner->snapshot()->link_detail;
  EXPECT_NE(partner->snapshot()->link_detail.find("isn't at the address it had last time"), std::string::npos)
      << partner->snapshot()->link_detail;
  for (const auto& kept : discovery::RecentHosts((n.b.path / "recent_hosts.sqlite").string()).list())
    EXPECT_NE(kept.address, n.casey_at) << "Sam's device reached Casey's session";
}

// With no address kept for the partner (pins from an older build, or a
// folder whose partner_hosts.json was lost), no session nearby can be told
// for the partner's, so none is dialled; Sam is asked to pair once more.
TEST(StartWithPartner, WithNoAddressKeptNothingNearbyIsDialled) {
  NeighbourNearby n;
  ASSERT_NO_FATAL_FAILURE(casey_hosts_nearby(n));
  std::filesystem::remove(n.b.path / "partner_hosts.json");
  EXPECT_FALSE(n.sam.start_with_partner(n.alex_id, "Sam", &n.error)) << "Sam's device joined a session nearby";
  EXPECT_NE(n.error.find("Pair once more with a code"), std::string::npos) << n.error;
}

// Picking a session from "Sessions nearby" never shows this device's pinned
// proof to a host at another machine (HANDSHAKE.md section 5, "Which mode a
// joiner uses"). Sam's host pin is Alex, last reached at 127.0.0.2; Casey's
// session, nearby at 127.0.0.1, is joined only with Casey's code. Without
// one, Sam is asked for it and nothing is dialled at all.
TEST(NearbyJoin, ASessionAtAnotherMachineIsJoinedOnlyWithItsCode) {
  NeighbourNearby n;
  ASSERT_NO_FATAL_FAILURE(casey_hosts_nearby(n));
  remember_partner_host(n.b.path, n.alex_id, nobody_at_another_machine());
  EXPECT_FALSE(n.sam.join(JoinRequest{"Sam", n.casey_at, "", v1::ROLE_PARTNER_B, true}, &n.error))
      << "Sam's device went to Casey's session over Alex's pin";
  EXPECT_NE(n.error.find("Type the code shown on the host's screen"), std::string::npos) << n.error;
  for (const auto& kept : discovery::RecentHosts((n.b.path / "recent_hosts.sqlite").string()).list())
    EXPECT_NE(kept.address, n.casey_at) << "Sam's device dialled Casey's session";

  // With Casey's code it pairs with Casey's host, and that host is Sam's host pin now.
  ASSERT_TRUE(wait_for(*n.neighbour, [&](const NodeView&) { return !n.casey.pairing_code().empty(); }));
  auto joined = n.sam.join(JoinRequest{"Sam", n.casey_at, n.casey.pairing_code(), v1::ROLE_PARTNER_B, true}, &n.error);
  ASSERT_TRUE(joined) << n.error;
  EXPECT_TRUE(wait_for(*n.neighbour, [](const NodeView& s) { return s.state.participants_size() == 2; }));
  EXPECT_TRUE(wait_for(*joined, [](const NodeView& s) { return s.link == LinkState::Connected; }));
}

// The window's thread never waits on the dial: against an address whose
// listen queue is full (a connect there is never answered), "Start now"
// hands back the joining device at once, still connecting.
TEST(StartWithPartner, TheWindowNeverWaitsOnTheDial) {
  PairedOffNetwork paired;
  ASSERT_NO_FATAL_FAILURE(pair_once(paired.alex, paired.sam, &paired.alex_id, &paired.sam_id));
  auto& [a, b, alex, sam, error, alex_id, sam_id] = paired;
  test::LoopbackRelay hole(0, test::LoopbackRelay::Kind::BlackHole);
  remember_partner_host(b.path, alex_id, hole.address());
  const auto started = std::chrono::steady_clock::now();
  auto partner = sam.start_with_partner(alex_id, "Sam", &error);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(partner) << error;
  EXPECT_LT(took, std::chrono::milliseconds(300)) << "the window waited on the dial";
  const LinkState link = partner->snapshot()->link;
  EXPECT_TRUE(link == LinkState::Connecting || link == LinkState::Reconnecting) << "it gave up on the dial";
}

// Alex hosts again; Sam's remembered address for Alex is a relay of `kind`
// in front of Alex's port; both tap "Start now" and meet through it.
void meet_through_relay(PairedOffNetwork& paired, test::LoopbackRelay::Kind kind,
                        std::unique_ptr<test::LoopbackRelay>* relay) {
  auto& [a, b, alex, sam, error, alex_id, sam_id] = paired;
  ASSERT_NO_FATAL_FAILURE(pair_once(alex, sam, &alex_id, &sam_id));
  auto host = alex.start_with_partner(sam_id, "Alex", &error);
  ASSERT_TRUE(host) << error;
  *relay = std::make_unique<test::LoopbackRelay>(*identity::read_port_file(a.path / "last_host_port"), kind);
  remember_partner_host(b.path, alex_id, (*relay)->address());
  auto partner = sam.start_with_partner(alex_id, "Sam", &error);
  ASSERT_TRUE(partner) << error;
  expect_they_meet(*host, *partner, sam_id);
}

// Over a slow VPN a connect may take more than a second to be answered:
// the partner is still reached at the address remembered for them.
TEST(StartWithPartner, ASlowToAnswerHostIsStillReachedAtItsRememberedAddress) {
  PairedOffNetwork paired;
  std::unique_ptr<test::LoopbackRelay> slow;
  ASSERT_NO_FATAL_FAILURE(meet_through_relay(paired, test::LoopbackRelay::Kind::Slow, &slow));
  EXPECT_GE(slow->first_connection_after(), std::chrono::milliseconds(1000)) << "the relay wasn't slow";
}

// The host sees only the partner's real dial: no bare connection that
// never says hello (which would count against the host's tries).
TEST(StartWithPartner, NoProbeConnectionReachesTheHost) {
  PairedOffNetwork paired;
  std::unique_ptr<test::LoopbackRelay> counted;
  ASSERT_NO_FATAL_FAILURE(meet_through_relay(paired, test::LoopbackRelay::Kind::Quick, &counted));
  EXPECT_EQ(counted->connections(), 1) << "a connection besides the partner's own dial reached the host";
}

// A damaged or hostile partner_hosts.json gives no address (nothing garbled
// is dialled), and the next address kept replaces it with a plain file.
TEST(PartnerHosts, ADamagedFileGivesNoAddressAndIsReplaced) {
  TempDir a;
  const auto file = a.path / "partner_hosts.json";
  for (const std::string bad : {"", "{", "[1,2]", "{\"dev-sam\": 42}", "{\"dev-sam\": \"not an address\"}",
                                "{\"dev-sam\": \"127.0.0.1:0\"}", "{\"dev-sam\": \"127.0.0.1:99999\"}"}) {
    std::ofstream(file, std::ios::trunc) << bad;
    EXPECT_EQ(partner_host(a.path, "dev-sam"), "") << bad;
  }
  remember_partner_host(a.path, "dev-sam", "127.0.0.1:40123");
  EXPECT_EQ(partner_host(a.path, "dev-sam"), "127.0.0.1:40123");
  EXPECT_EQ(partner_host(a.path, "dev-other"), "");
}

TEST(StartWithPartner, ADeviceNeverPairedIsToldItNeedsACode) {
  TempDir a;
  NetLauncher alex({a.path, "127.0.0.1", 0, false});
  std::string error;
  EXPECT_FALSE(alex.start_with_partner("dev-stranger", "Alex", &error));
  EXPECT_NE(error.find("needs a code"), std::string::npos) << error;
}

}  // namespace
}  // namespace attune::app
