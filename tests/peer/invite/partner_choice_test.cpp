// Which paired device an invitation goes to, from the seats the pins keep:
// the one other partner without --to; --to only when more than one partner
// could be meant, with every one listed by name; never a coach's device; a
// pin from before seats were kept offered as "paired before".
#include "invite/partner_choice.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "attune/crypto/sodium_init.hpp"
#include "identity/pinned_peer_store.hpp"
#include "peer_process.hpp"

namespace attune::invite {
namespace {

class PartnerChoice : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::init_crypto()); }
  // Pins `id`; with a seat when `role` is given (this device sat as `mine`).
  void paired(const std::string& id, v1::Role role = v1::ROLE_UNSPECIFIED, const std::string& name = "",
              v1::Role mine = v1::ROLE_PARTNER_A) {
    crypto::PeerIdentity peer{id, {}};
    randombytes_buf(peer.public_key.data(), peer.public_key.size());
    identity::PinnedPeerStore pins(data);
    ASSERT_EQ(pins.pin(peer, 1), std::nullopt);
    if (role != v1::ROLE_UNSPECIFIED) {
      ASSERT_EQ(pins.note_seat(id, role, mine, name), std::nullopt);
    }
  }
  Partner chosen(const std::string& to = "") {
    auto result = partner_of(data, to);
    EXPECT_TRUE(std::holds_alternative<Partner>(result))
        << (std::holds_alternative<Problem>(result) ? std::get<Problem>(result).message : "");
    return std::holds_alternative<Partner>(result) ? std::get<Partner>(result) : Partner{};
  }
  std::string refused(const std::string& to = "") {
    auto result = partner_of(data, to);
    EXPECT_TRUE(std::holds_alternative<Problem>(result)) << "expected a refusal";
    return std::holds_alternative<Problem>(result) ? std::get<Problem>(result).message : "";
  }
  test::TempDir dir;
  std::filesystem::path data = dir.path() / "data";
};

TEST_F(PartnerChoice, ThePartnerIsChosenWithoutToWhenACoachIsPairedToo) {
  paired("casey-laptop", v1::ROLE_COACH, "Casey");
  paired("sam-laptop", v1::ROLE_PARTNER_B, "Sam");
  const Partner p = chosen();
  EXPECT_EQ(p.peer.device_id, "sam-laptop");
  EXPECT_EQ(p.name, "Sam");
  EXPECT_FALSE(p.paired_before);
}

TEST_F(PartnerChoice, ACoachsDeviceCanNeverBeChosen) {
  paired("casey-laptop", v1::ROLE_COACH, "Casey");
  EXPECT_NE(refused().find("only with a coach's device"), std::string::npos);
  const std::string by_name = refused("casey-laptop");
  EXPECT_NE(by_name.find("Casey"), std::string::npos) << by_name;
  EXPECT_NE(by_name.find("coach's device"), std::string::npos) << by_name;
  EXPECT_NE(refused("casey").find("coach's device"), std::string::npos) << "its first characters too";
}

TEST_F(PartnerChoice, ThisDeviceSeatedAsACoachSendsNoInvitations) {
  paired("alex-laptop", v1::ROLE_PARTNER_A, "Alex", v1::ROLE_COACH);
  EXPECT_NE(refused().find("sat as a coach"), std::string::npos);
  EXPECT_NE(refused("alex-laptop").find("sat as a coach"), std::string::npos);
}

TEST_F(PartnerChoice, TwoPartnersNeedToAndTheWordsListThemByName) {
  paired("sam-laptop", v1::ROLE_PARTNER_B, "Sam");
  paired("robin-laptop", v1::ROLE_PARTNER_B, "Robin");
  paired("old-laptop");
  paired("casey-laptop", v1::ROLE_COACH, "Casey");
  const std::string words = refused();
  EXPECT_NE(words.find("more than one partner's device"), std::string::npos) << words;
  EXPECT_NE(words.find("--to"), std::string::npos) << words;
  EXPECT_NE(words.find("sam-laptop  Sam, partner B"), std::string::npos) << words;
  EXPECT_NE(words.find("robin-laptop  Robin, partner B"), std::string::npos) << words;
  EXPECT_NE(words.find("old-laptop  paired before"), std::string::npos) << words;
  EXPECT_EQ(words.find("casey"), std::string::npos) << "a coach's device is not offered: " << words;
  EXPECT_EQ(chosen("robin").peer.device_id, "robin-laptop");
}

TEST_F(PartnerChoice, APinFromBeforeSeatsIsUsedAloneButNamedAsPairedBefore) {
  paired("old-laptop");
  const Partner p = chosen();
  EXPECT_EQ(p.peer.device_id, "old-laptop");
  EXPECT_TRUE(p.paired_before);
  paired("older-laptop");
  const std::string words = refused();
  EXPECT_NE(words.find("can't tell which is your partner's"), std::string::npos) << words;
  EXPECT_NE(words.find("old-laptop  paired before"), std::string::npos) << words;
  EXPECT_NE(words.find("older-laptop  paired before"), std::string::npos) << words;
  // A partner known by its seat is chosen over pins from before.
  paired("sam-laptop", v1::ROLE_PARTNER_B, "Sam");
  EXPECT_EQ(chosen().peer.device_id, "sam-laptop");
}

TEST_F(PartnerChoice, NothingPairedOrAnUnknownToSaysWhatToDo) {
  EXPECT_NE(refused().find("hasn't paired with your partner's yet"), std::string::npos);
  paired("sam-laptop", v1::ROLE_PARTNER_B, "Sam");
  EXPECT_NE(refused("nobody").find("hasn't paired with nobody"), std::string::npos);
}

}  // namespace
}  // namespace attune::invite
