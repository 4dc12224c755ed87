// proto/discovery.md, "Timing" (issue 15, L8): a hostile neighbour on the
// LAN against the join list. Its Goodbye speaks only for the address it
// came from, so it can't make a real host vanish from another device's
// list or keep it from appearing; and its flood of made-up hosts crowds out
// only its own, while a full list makes room instead of turning newcomers away.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "attune/discovery/discovery_table.hpp"
#include "doc_section.hpp"

namespace attune::discovery {
namespace {

using namespace std::chrono_literals;

v1::Beacon beacon(uint64_t id) {
  v1::Beacon b;
  b.set_protocol_version(1);
  b.set_port(47000);
  b.set_open_seats(1);
  b.set_instance_id(id);
  b.set_interval_ms(4000);
  return b;
}

const Sighting kHost{"10.77.0.1", "eth0"};
const Sighting kHostV6{"fe80::1%eth0", "eth0"};
const Sighting kNeighbour{"10.77.0.66", "eth0"};

std::string discovery_doc() {
  return contract::read_squeezed(contract::source_dir() / "proto" / "discovery.md");
}

TEST(DiscoveryTable, TheDocumentStatesWhoseGoodbyeCountsAndHowAFullListMakesRoom) {
  const std::string doc = discovery_doc();
  for (const char* sentence :
       {"So a `Goodbye` speaks only for the **sender address** it came from",
        "for a listed host never heard at that address, it does nothing",
        "for an id that is not listed, it starts a 30-s ignore of that id **at that address only**",
        "At most 1024 ids are ignored at once",
        "At most 256 hosts, and at most **16** whose first beacon came from one sender address.",
        "A beacon from a new `instance_id` is always listed"}) {
    EXPECT_NE(doc.find(sentence), std::string::npos) << sentence;
  }
  EXPECT_EQ(DiscoveryTable::kMaxHosts, 256u);
  EXPECT_EQ(DiscoveryTable::kMaxHostsPerAddress, 16u);
  EXPECT_EQ(DiscoveryTable::kMaxWithdrawn, 1024u);
  EXPECT_EQ(DiscoveryTable::kTombstone, 30s);
}

TEST(DiscoveryTable, AGoodbyeCountsOnlyFromAnAddressTheHostWasHeardAt) {
  DiscoveryTable t;
  ASSERT_EQ(t.observe(beacon(1), kHost, 0ms), ObserveResult::Added);

  // The neighbour repeats the host's id in a Goodbye: nothing happens.
  const auto forged = t.goodbye(1, kNeighbour, 10ms);
  EXPECT_FALSE(forged.removed.has_value()) << "a neighbour's Goodbye removed a real host";
  EXPECT_FALSE(forged.path_dropped);
  EXPECT_EQ(t.ignored_goodbyes(), 1u);
  EXPECT_EQ(t.observe(beacon(1), kHost, 20ms), ObserveResult::Refreshed) << "its beacons stopped counting";

  // It adds itself as a pair of the host, then says goodbye for it: only that pair goes.
  ASSERT_EQ(t.observe(beacon(1), kNeighbour, 30ms), ObserveResult::Updated);
  const auto own = t.goodbye(1, kNeighbour, 40ms);
  EXPECT_FALSE(own.removed.has_value());
  EXPECT_TRUE(own.path_dropped);
  ASSERT_EQ(t.size(), 1u);
  ASSERT_EQ(t.entries().at(1).sightings.size(), 1u);
  EXPECT_EQ(t.entries().at(1).sightings[0], kHost);
  EXPECT_EQ(t.observe(beacon(1), kNeighbour, 50ms), ObserveResult::Ignored) << "that pair came back at once";
  EXPECT_EQ(t.observe(beacon(1), kHost, 60ms), ObserveResult::Refreshed);

  // A Goodbye ahead of a host's first beacon hides it only at the Goodbye's own address.
  EXPECT_FALSE(t.goodbye(2, kNeighbour, 70ms).removed.has_value());
  EXPECT_EQ(t.observe(beacon(2), kNeighbour, 80ms), ObserveResult::Ignored);
  EXPECT_EQ(t.observe(beacon(2), Sighting{"10.77.0.2", "eth0"}, 90ms), ObserveResult::Added)
      << "a Goodbye sent ahead kept a real host from appearing";

  // The host itself, heard at two addresses, says goodbye at each: it goes, then stays out everywhere.
  ASSERT_EQ(t.observe(beacon(1), kHostV6, 100ms), ObserveResult::Updated);
  const auto first = t.goodbye(1, kHost, 110ms);
  EXPECT_TRUE(first.path_dropped);
  EXPECT_FALSE(first.removed.has_value()) << "gone while still heard at its IPv6 address";
  const auto last = t.goodbye(1, kHostV6, 120ms);
  ASSERT_TRUE(last.removed.has_value());
  EXPECT_EQ(last.removed->reason, RemoveReason::Goodbye);
  EXPECT_EQ(t.observe(beacon(1), kHostV6, 130ms), ObserveResult::Ignored);
  EXPECT_EQ(t.observe(beacon(1), kNeighbour, 140ms), ObserveResult::Ignored);
  EXPECT_EQ(t.observe(beacon(1), kHost, 120ms + DiscoveryTable::kTombstone), ObserveResult::Added);
}

TEST(DiscoveryTable, AFullListDropsItsStalestHostAndOneSenderCrowdsOutOnlyItsOwn) {
  DiscoveryTable t;
  ASSERT_EQ(t.observe(beacon(1), kHost, 0ms), ObserveResult::Added);
  // One neighbour floods 300 made-up hosts: it keeps the newest 16, and the real host stays.
  for (uint64_t id = 1001; id <= 1300; ++id) {
    std::optional<Removed> evicted;
    EXPECT_EQ(t.observe(beacon(id), kNeighbour, Millis(id), &evicted), ObserveResult::Added);
    if (evicted) {
      EXPECT_NE(evicted->entry.instance_id, 1u);
    }
  }
  EXPECT_EQ(t.size(), 1u + DiscoveryTable::kMaxHostsPerAddress);
  EXPECT_TRUE(t.entries().contains(1)) << "one sender's flood pushed out a real host";
  EXPECT_TRUE(t.entries().contains(1300));
  EXPECT_FALSE(t.entries().contains(1284));
  EXPECT_EQ(t.evicted(), 300u - DiscoveryTable::kMaxHostsPerAddress);

  // Many senders fill all 256 places; a new real host still gets in, in place of the stalest.
  DiscoveryTable full;
  for (uint64_t n = 0; n < DiscoveryTable::kMaxHosts; ++n) {
    const Sighting from{"10.2." + std::to_string(n / 200) + "." + std::to_string(n % 200), "eth0"};
    full.observe(beacon(5000 + n), from, Millis(1000 + n));
  }
  full.observe(beacon(5000), Sighting{"10.2.0.0", "eth0"}, 5000ms);  // The first one is heard again.
  ASSERT_EQ(full.size(), DiscoveryTable::kMaxHosts);
  std::optional<Removed> evicted;
  EXPECT_EQ(full.observe(beacon(7), kHost, 6000ms, &evicted), ObserveResult::Added)
      << "a full list turned a real host away";
  ASSERT_TRUE(evicted.has_value());
  EXPECT_EQ(evicted->reason, RemoveReason::Evicted);
  EXPECT_EQ(evicted->entry.instance_id, 5001u) << "not the host heard from least recently";
  EXPECT_EQ(full.size(), DiscoveryTable::kMaxHosts);
  EXPECT_TRUE(full.entries().contains(7));
  EXPECT_TRUE(full.entries().contains(5000));
}

}  // namespace
}  // namespace attune::discovery
