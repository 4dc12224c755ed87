// The pins keep the seat each paired device took (partner A or B, or coach),
// the seat this device took, and its name: kept across restarts, learned from
// the session's roster, forgotten when the device pairs again with a code.
// Pins written before seats were kept still reconnect and read as "paired
// before", never as a partner's.
#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "attune/crypto/sodium_init.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/private_file.hpp"
#include "identity/seat_pins.hpp"
#include "peer_process.hpp"

namespace attune::identity {
namespace {

crypto::PeerIdentity device(const std::string& id) {
  crypto::PeerIdentity peer{id, {}};
  randombytes_buf(peer.public_key.data(), peer.public_key.size());
  return peer;
}

v1::SessionState roster(std::initializer_list<std::tuple<std::string, v1::Role, std::string>> people) {
  v1::SessionState state;
  for (const auto& [id, role, name] : people) {
    auto* p = state.add_participants();
    p->set_id(id);
    p->set_role(role);
    p->set_display_name(name);
  }
  return state;
}

PinnedPeer reloaded(const std::filesystem::path& data_dir, const std::string& id) {
  PinnedPeerStore pins(data_dir);
  EXPECT_EQ(pins.load(), std::nullopt);
  const auto found = pins.find(id);
  EXPECT_TRUE(found) << id;
  return found.value_or(PinnedPeer{});
}

class PinSeats : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::init_crypto()); }
  test::TempDir dir;
  std::filesystem::path data = dir.path() / "data";
};

TEST_F(PinSeats, TheSeatsSeenInASessionAreKeptWithThePinAcrossARestart) {
  const auto sam = device("sam-laptop");
  const auto casey = device("casey-laptop");
  {
    PinnedPeerStore pins(data);
    ASSERT_EQ(pins.pin(sam, 1), std::nullopt);
    ASSERT_EQ(pins.pin(casey, 2), std::nullopt);
  }
  SeatPins seats(data, "alex-laptop");
  EXPECT_EQ(seats.saw(roster({{"alex-laptop", v1::ROLE_PARTNER_A, "Alex"},
                              {"sam-laptop", v1::ROLE_PARTNER_B, "Sam"},
                              {"casey-laptop", v1::ROLE_COACH, "Casey"},
                              {"never-paired", v1::ROLE_COACH, "Dana"}})),
            "");
  const PinnedPeer s = reloaded(data, "sam-laptop");
  EXPECT_EQ(s.role, v1::ROLE_PARTNER_B);
  EXPECT_EQ(s.my_role, v1::ROLE_PARTNER_A);
  EXPECT_EQ(s.name, "Sam");
  EXPECT_TRUE(paired_as_other_partner(s));
  const PinnedPeer c = reloaded(data, "casey-laptop");
  EXPECT_EQ(c.role, v1::ROLE_COACH);
  EXPECT_TRUE(paired_with_a_coach(c));
  EXPECT_FALSE(paired_as_other_partner(c));
  PinnedPeerStore pins(data);
  ASSERT_EQ(pins.load(), std::nullopt);
  EXPECT_FALSE(pins.find("never-paired")) << "only a paired device gets a pin";
  EXPECT_EQ(pins.check(sam), PinCheck::Matches);
}

TEST_F(PinSeats, ThisDeviceSeatedAsACoachNeverCountsTheHostAsItsPartner) {
  ASSERT_EQ(PinnedPeerStore(data).set_host(device("alex-laptop"), 1), std::nullopt);
  SeatPins seats(data, "casey-laptop");
  seats.saw(roster({{"alex-laptop", v1::ROLE_PARTNER_A, "Alex"}, {"casey-laptop", v1::ROLE_COACH, "Casey"}}));
  const PinnedPeer a = reloaded(data, "alex-laptop");
  EXPECT_EQ(a.role, v1::ROLE_PARTNER_A);
  EXPECT_EQ(a.my_role, v1::ROLE_COACH);
  EXPECT_FALSE(paired_as_other_partner(a));
  EXPECT_TRUE(paired_with_a_coach(a));
}

TEST_F(PinSeats, APinFromBeforeSeatsStillReconnectsReadsAsPairedBeforeAndLearnsItsSeat) {
  const auto sam = device("sam-laptop");
  ASSERT_EQ(ensure_private_dir(data / "identity"), std::nullopt);
  // Exactly what an older Attune wrote: no seat, no name.
  const nlohmann::json old = {
      {"version", 1},
      {"host_device_id", ""},
      {"peers", {{{"device_id", "sam-laptop"},
                  {"public_key", crypto::to_hex(crypto::view_of(sam.public_key))},
                  {"pinned_at_ms", 7}}}}};
  ASSERT_EQ(write_private_file(data / "identity" / "pinned_peers.json", old.dump()), std::nullopt);
  PinnedPeerStore pins(data);
  ASSERT_EQ(pins.load(), std::nullopt);
  EXPECT_EQ(pins.check(sam), PinCheck::Matches) << "an old pin still lets the device back in";
  const PinnedPeer before = *pins.find("sam-laptop");
  EXPECT_TRUE(seat_unknown(before));
  EXPECT_FALSE(paired_as_other_partner(before));
  EXPECT_FALSE(paired_with_a_coach(before));

  SeatPins(data, "alex-laptop")
      .saw(roster({{"alex-laptop", v1::ROLE_PARTNER_A, "Alex"}, {"sam-laptop", v1::ROLE_PARTNER_B, "Sam"}}));
  const PinnedPeer after = reloaded(data, "sam-laptop");
  EXPECT_TRUE(paired_as_other_partner(after));
  EXPECT_EQ(after.pinned_at_ms, 7);
}

TEST_F(PinSeats, PairingAgainWithACodeForgetsTheOldSeatUntilTheNewOneIsSeen) {
  const auto sam = device("sam-laptop");
  PinnedPeerStore pins(data);
  ASSERT_EQ(pins.pin(sam, 1), std::nullopt);
  ASSERT_EQ(pins.note_seat("sam-laptop", v1::ROLE_PARTNER_B, v1::ROLE_PARTNER_A, "Sam"), std::nullopt);
  ASSERT_EQ(pins.pin(sam, 2), std::nullopt);
  EXPECT_TRUE(seat_unknown(reloaded(data, "sam-laptop")));
}

TEST_F(PinSeats, AStateWithNothingNewLeavesThePinFileAlone) {
  ASSERT_EQ(PinnedPeerStore(data).pin(device("sam-laptop"), 1), std::nullopt);
  SeatPins seats(data, "alex-laptop");
  const auto state =
      roster({{"alex-laptop", v1::ROLE_PARTNER_A, "Alex"}, {"sam-laptop", v1::ROLE_PARTNER_B, "Sam"}});
  seats.saw(state);
  ASSERT_EQ(PinnedPeerStore(data).forget("sam-laptop"), std::nullopt);
  for (int i = 0; i < 100; ++i) seats.saw(state);  // A session's many changes.
  PinnedPeerStore pins(data);
  ASSERT_EQ(pins.load(), std::nullopt);
  EXPECT_FALSE(pins.find("sam-laptop")) << "the same roster again must not read or write the pins";
  // Not seated yet: nothing is said about the others.
  SeatPins early(data, "alex-laptop");
  ASSERT_EQ(PinnedPeerStore(data).pin(device("sam-laptop"), 3), std::nullopt);
  early.saw(roster({{"sam-laptop", v1::ROLE_PARTNER_B, "Sam"}}));
  EXPECT_TRUE(seat_unknown(reloaded(data, "sam-laptop")));
}

// proto/HANDSHAKE.md section 5, "Code mode succeeded": a code may give a new
// key to the host pin only while its seat is unknown; a partner's or a
// coach's entry with the same id is never taken over, and the words say to
// forget the old pairing first.
TEST_F(PinSeats, ACodePairingNeverTakesOverAPartnersOrACoachsId) {
  const auto alex = device("alex-laptop"), coach = device("robin-coach");
  PinnedPeerStore pins(data);
  ASSERT_EQ(pins.set_host(alex, 1), std::nullopt);
  ASSERT_EQ(pins.pin(coach, 1), std::nullopt);
  EXPECT_EQ(pins.code_pairing_refusal(alex), std::nullopt) << "the same key is no takeover";
  EXPECT_EQ(pins.code_pairing_refusal(device("new-laptop")), std::nullopt) << "a new id takes nothing";
  EXPECT_EQ(pins.code_pairing_refusal(device("alex-laptop")), std::nullopt)
      << "the host pin, no seat seen yet, may take the new key";
  ASSERT_EQ(pins.note_seat("robin-coach", v1::ROLE_COACH, v1::ROLE_PARTNER_B, "Robin"), std::nullopt);
  ASSERT_EQ(pins.note_seat("alex-laptop", v1::ROLE_PARTNER_A, v1::ROLE_PARTNER_B, "Alex"), std::nullopt);
  for (const std::string id : {"alex-laptop", "robin-coach"}) {
    const auto refusal = pins.code_pairing_refusal(device(id));
    ASSERT_TRUE(refusal) << id << " was taken over";
    EXPECT_NE(refusal->find("devices forget " + id), std::string::npos) << *refusal;
  }
  EXPECT_NE(pins.code_pairing_refusal(device("alex-laptop"))->find("your partner's device"), std::string::npos);
  EXPECT_NE(pins.code_pairing_refusal(device("robin-coach"))->find("a coach's device"), std::string::npos);
  EXPECT_EQ(reloaded(data, "alex-laptop").public_key, alex.public_key) << "a refusal changes no pin";
}

}  // namespace
}  // namespace attune::identity
