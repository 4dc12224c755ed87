// The partner beacon: only the partner recognises it, and an observer can't
// link two beacons from the same device, neither within a time window nor
// across windows (issue 17, item 3).
#include "attune/invite/partner_beacon.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

#include "attune/crypto/sodium_init.hpp"

namespace attune::invite {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
constexpr BeaconAddress kAlexAt{192, 0, 2, 20};  // RFC 5737: only ever bytes here.

crypto::DeviceIdentity device(const std::string& id) {
  crypto::init_crypto();
  crypto::Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return crypto::DeviceIdentity(id, seed);
}

std::array<std::uint8_t, kBeaconNonceBytes> fresh_nonce() {
  std::array<std::uint8_t, kBeaconNonceBytes> n{};
  randombytes_buf(n.data(), n.size());
  return n;
}

struct Pair {
  crypto::DeviceIdentity alex = device("alex-laptop");
  crypto::DeviceIdentity sam = device("sam-laptop");
  PairKey alex_key = *pair_key(alex, sam.public_key());
  PairKey sam_key = *pair_key(sam, alex.public_key());

  std::string alex_beacon(std::uint16_t port, int64_t at) {
    return make_beacon(alex_key, alex.public_key(), sam.public_key(), port, kAlexAt, at, fresh_nonce());
  }
};

TEST(PartnerBeacon, BothDevicesComputeTheSamePairKey) {
  Pair p;
  EXPECT_EQ(p.alex_key.bytes, p.sam_key.bytes);
}

TEST(PartnerBeacon, OnlyThePartnerRecognisesItAndLearnsThePort) {
  Pair p;
  const std::string beacon = p.alex_beacon(47123, kNow);
  EXPECT_EQ(open_beacon(p.sam_key, p.sam.public_key(), p.alex.public_key(), beacon, kAlexAt, kNow), 47123);
  // Its sender doesn't take it for its partner's.
  EXPECT_FALSE(open_beacon(p.alex_key, p.alex.public_key(), p.sam.public_key(), beacon, kAlexAt, kNow));
  // A neighbour paired with Alex on another device can't read it either.
  const auto neighbour = device("neighbour");
  const auto their_key = *pair_key(neighbour, p.alex.public_key());
  EXPECT_FALSE(open_beacon(their_key, neighbour.public_key(), p.alex.public_key(), beacon, kAlexAt, kNow));
  // Nor a changed byte, nor garbage.
  std::string tampered = beacon;
  tampered[10] ^= 1;
  EXPECT_FALSE(open_beacon(p.sam_key, p.sam.public_key(), p.alex.public_key(), tampered, kAlexAt, kNow));
  EXPECT_FALSE(open_beacon(p.sam_key, p.sam.public_key(), p.alex.public_key(), "attune", kAlexAt, kNow));
}

// Someone on the link records Alex's beacon and sends it again from their
// own address, with a listener on the port inside, hoping Sam's device dials
// them and shows its id and key. It doesn't open there: the address it left
// from is sealed in. Sent again from Alex's own address it still opens, and
// only makes Sam's device dial Alex.
TEST(PartnerBeacon, ABeaconSentAgainFromAnotherAddressDoesNotOpen) {
  Pair p;
  const std::string beacon = p.alex_beacon(47123, kNow);
  for (const BeaconAddress elsewhere : {BeaconAddress{192, 0, 2, 21}, BeaconAddress{198, 51, 100, 20},
                                        BeaconAddress{192, 0, 2, 0}, BeaconAddress{0, 0, 0, 0}})
    EXPECT_FALSE(open_beacon(p.sam_key, p.sam.public_key(), p.alex.public_key(), beacon, elsewhere, kNow));
  EXPECT_EQ(open_beacon(p.sam_key, p.sam.public_key(), p.alex.public_key(), beacon, kAlexAt, kNow), 47123);
}

TEST(PartnerBeacon, AnOldBeaconStopsOpeningAfterItsWindow) {
  Pair p;
  const std::string beacon = p.alex_beacon(47123, kNow);
  EXPECT_TRUE(open_beacon(p.sam_key, p.sam.public_key(), p.alex.public_key(), beacon, kAlexAt,
                          kNow + kBeaconWindowMs));
  EXPECT_FALSE(open_beacon(p.sam_key, p.sam.public_key(), p.alex.public_key(), beacon, kAlexAt,
                           kNow + 3 * kBeaconWindowMs));
}

// What an observer could match on: any byte position that holds the same
// value in every beacon of one device (beyond the fixed version byte), or a
// shared run of bytes. Across 64 beacons, within a window and over many
// windows, none exists, and nothing names the device or its key.
TEST(PartnerBeacon, AnObserverCannotLinkTwoBeaconsFromOneDevice) {
  Pair p;
  std::vector<std::string> seen;
  for (int i = 0; i < 64; ++i)
    seen.push_back(p.alex_beacon(47123, kNow + (i % 2 == 0 ? 0 : i * kBeaconWindowMs)));
  for (std::size_t at = 1; at < kBeaconBytes; ++at) {
    std::set<char> values;
    for (const auto& b : seen) values.insert(b[at]);
    EXPECT_GT(values.size(), 1u) << "byte " << at << " is the same in every beacon";
  }
  std::set<std::string> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), seen.size());
  // No 4-byte run recurs between two beacons (a stable field would).
  for (std::size_t i = 1; i < seen.size(); ++i)
    for (std::size_t at = 1; at + 4 <= kBeaconBytes; ++at)
      EXPECT_EQ(seen[0].find(seen[i].substr(at, 4)), std::string::npos);
  const std::string key(reinterpret_cast<const char*>(p.alex.public_key().data()), 8);
  for (const auto& b : seen) {
    EXPECT_EQ(b.find("alex"), std::string::npos);
    EXPECT_EQ(b.find(key), std::string::npos);
  }
}

}  // namespace
}  // namespace attune::invite
