#include "attune/discovery/discovery_table.hpp"

#include <gtest/gtest.h>

namespace attune::discovery {
namespace {

using namespace std::chrono_literals;

v1::Beacon beacon(uint64_t id, uint32_t interval_ms = 1000, uint32_t seats = 2) {
  v1::Beacon b;
  b.set_protocol_version(1);
  b.set_session_name("Evening");
  b.set_host_name("Host " + std::to_string(id));
  b.set_port(47000);
  b.set_open_seats(seats);
  b.set_instance_id(id);
  b.set_interval_ms(interval_ms);
  return b;
}

const Sighting kEth0{"10.77.0.1", "eth0"};

TEST(DiscoveryTable, NewHostIsAddedThenRefreshed) {
  DiscoveryTable t;
  EXPECT_EQ(t.observe(beacon(1), kEth0, 0ms), ObserveResult::Added);
  EXPECT_EQ(t.observe(beacon(1), kEth0, 500ms), ObserveResult::Refreshed);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t.entries().at(1).first_seen, 0ms);
  EXPECT_EQ(t.entries().at(1).last_seen, 500ms);
}

TEST(DiscoveryTable, ChangedSeatsOrNewPathIsAnUpdate) {
  DiscoveryTable t;
  t.observe(beacon(1, 1000, 2), kEth0, 0ms);
  EXPECT_EQ(t.observe(beacon(1, 1000, 1), kEth0, 10ms), ObserveResult::Updated);
  EXPECT_EQ(t.entries().at(1).beacon.open_seats(), 1u);
  EXPECT_EQ(t.observe(beacon(1, 1000, 1), Sighting{"fe80::1%eth1", "eth1"}, 20ms), ObserveResult::Updated);
  EXPECT_EQ(t.entries().at(1).sightings.size(), 2u);
}

// proto/discovery.md: a beacon with no open seat (older senders) is not
// listed, since nobody could join from it; a listed host that says so keeps
// its last count and leaves when its beacons would have run out.
TEST(DiscoveryTable, ABeaconWithNoOpenSeatIsNotListed) {
  DiscoveryTable t;
  EXPECT_EQ(t.observe(beacon(1, 1000, 0), kEth0, 0ms), ObserveResult::Ignored);
  EXPECT_EQ(t.size(), 0u);
  t.observe(beacon(2, 1000, 2), kEth0, 0ms);
  EXPECT_EQ(t.observe(beacon(2, 1000, 0), kEth0, 3000ms), ObserveResult::Ignored);
  EXPECT_EQ(t.entries().at(2).beacon.open_seats(), 2u);
  EXPECT_EQ(t.expire(3500ms).size(), 1u);
}

TEST(DiscoveryTable, HostExpiresAfterAboutThreeMissedBeacons) {
  DiscoveryTable t;
  t.observe(beacon(1, 1000), kEth0, 0ms);
  EXPECT_EQ(t.next_expiry(), 3500ms);
  EXPECT_TRUE(t.expire(3499ms).empty());
  const auto gone = t.expire(3500ms);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].reason, RemoveReason::Expired);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_FALSE(t.next_expiry().has_value());
}

TEST(DiscoveryTable, BeaconsKeepAHostAlive) {
  DiscoveryTable t;
  for (int i = 0; i < 100; ++i) {
    t.observe(beacon(1, 1000), kEth0, Millis(i * 1000));
    EXPECT_TRUE(t.expire(Millis(i * 1000 + 999)).empty());
  }
  EXPECT_EQ(t.size(), 1u);
}

TEST(DiscoveryTable, GoodbyeRemovesAtOnceAndLateBeaconsStayOut) {
  DiscoveryTable t;
  t.observe(beacon(1), kEth0, 0ms);
  t.observe(beacon(2), kEth0, 0ms);
  const auto removed = t.goodbye(1, kEth0, 100ms).removed;
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->reason, RemoveReason::Goodbye);
  EXPECT_EQ(removed->entry.beacon.host_name(), "Host 1");
  EXPECT_EQ(t.size(), 1u);
  // A beacon that was already in flight must not bring it back.
  EXPECT_EQ(t.observe(beacon(1), kEth0, 150ms), ObserveResult::Ignored);
  EXPECT_EQ(t.size(), 1u);
  // Long after, the id is forgotten (ids are random per run, so this is a new host).
  EXPECT_EQ(t.observe(beacon(1), kEth0, 150ms + DiscoveryTable::kTombstone), ObserveResult::Added);
}

TEST(DiscoveryTable, GoodbyeForUnknownHostIsHarmless) {
  DiscoveryTable t;
  EXPECT_FALSE(t.goodbye(42, kEth0, 0ms).removed.has_value());
  EXPECT_EQ(t.observe(beacon(42), kEth0, 1ms), ObserveResult::Ignored);
}

// One sender address per host here, so only the list's own bound applies.
Sighting sender(uint64_t n) {
  return Sighting{"10.1." + std::to_string(n / 250) + "." + std::to_string(n % 250), "eth0"};
}

TEST(DiscoveryTable, TableSizeIsBounded) {
  DiscoveryTable t;
  for (uint64_t id = 1; id <= DiscoveryTable::kMaxHosts + 10; ++id)
    t.observe(beacon(id), sender(id), Millis(id));
  EXPECT_EQ(t.size(), DiscoveryTable::kMaxHosts);
  EXPECT_EQ(t.evicted(), 10u);
  EXPECT_EQ(t.entries().begin()->first, 11u) << "the ten heard from least recently made room";
}

TEST(DiscoveryTable, SightingsAreBounded) {
  DiscoveryTable t;
  for (int i = 0; i < 20; ++i)
    t.observe(beacon(1), Sighting{"10.0.0." + std::to_string(i), "eth0"}, Millis(i));
  EXPECT_EQ(t.entries().at(1).sightings.size(), DiscoveryTable::kMaxSightings);
  EXPECT_EQ(t.entries().at(1).sightings.back().address, "10.0.0.19");
}

TEST(DiscoveryTable, LongerIntervalMeansLaterExpiry) {
  DiscoveryTable t;
  t.observe(beacon(1, 4000), kEth0, 0ms);
  t.observe(beacon(2, 1000), kEth0, 0ms);
  const auto gone = t.expire(5000ms);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].entry.instance_id, 2u);
  EXPECT_EQ(t.next_expiry(), 14000ms);
}

TEST(DiscoveryTable, JoinTargetsPreferIpv4AndKeepScopes) {
  DiscoveryTable t;
  t.observe(beacon(1), Sighting{"fe80::1%eth0", "eth0"}, 0ms);
  t.observe(beacon(1), kEth0, 1ms);
  t.observe(beacon(1), kEth0, 2ms);
  const auto targets = join_targets(t.entries().at(1));
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].to_string(), "10.77.0.1:47000");
  EXPECT_EQ(targets[1].to_string(), "[fe80::1%eth0]:47000");
}

}  // namespace
}  // namespace attune::discovery
