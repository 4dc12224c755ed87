// Which paired device an invitation goes to, from the seats the pins keep:
// the one other partner without --to; --to only when more than one partner
// could be meant, with every one listed by name; never a coach's device; a
// pin from before seats were kept offered as "paired before".
#include "invite/partner_choice.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>

#include "attune/crypto/sodium_init.hpp"
#include "identity/device_key_store.hpp"
#include "identity/system_random.hpp"
#include "invite/postbox_runner.hpp"
#include "identity/pinned_peer_store.hpp"
#include "peer_process.hpp"

namespace attune::invite {
namespace {

class PartnerChoice : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::init_crypto()); }
  // Pins `id`; with a seat when `role` is given (this device sat as `mine`).
  void paired(const std::string& id, v1::Role role = v1::ROLE_UNSPECIFIED, const std::string& name = "",
              v1::Role mine = v1::ROLE_PARTNER_A, int64_t at_ms = 1) {
    crypto::PeerIdentity peer{id, {}};
    randombytes_buf(peer.public_key.data(), peer.public_key.size());
    identity::PinnedPeerStore pins(data);
    ASSERT_EQ(pins.pin(peer, at_ms), std::nullopt);
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

// Two partners' pins: `invite send` still asks which one (--to), but the
// postbox of `attune host`/`join` and the window serves the one paired most
// recently, says so in plain words, and really starts.
TEST_F(PartnerChoice, WithTwoPartnersPinnedThePostboxServesTheNewestAndSaysSo) {
  paired("sam-laptop", v1::ROLE_PARTNER_B, "Sam", v1::ROLE_PARTNER_A, 1000);
  paired("robin-laptop", v1::ROLE_PARTNER_B, "Robin", v1::ROLE_PARTNER_A, 2000);
  EXPECT_NE(refused().find("--to"), std::string::npos);
  const auto result = postbox_partner(data);
  ASSERT_TRUE(std::holds_alternative<Partner>(result)) << std::get<Problem>(result).message;
  const Partner& p = std::get<Partner>(result);
  EXPECT_EQ(p.peer.device_id, "robin-laptop");
  EXPECT_NE(p.note.find("Robin"), std::string::npos) << p.note;
  EXPECT_NE(p.note.find("more than one partner"), std::string::npos) << p.note;

  ASSERT_TRUE(identity::load_or_create_device_key(data, identity::system_random()).identity);
  std::mutex mu;
  std::condition_variable cv;
  std::optional<nlohmann::json> open;
  PostboxRunnerOptions options;
  options.data_dir = data;
  options.bind_address = "127.0.0.1";
  options.find_on_network = false;
  options.look_again = std::chrono::milliseconds(50);
  options.on_event = [&](const nlohmann::json& j) {
    std::lock_guard lock(mu);
    if (j.value("event", "") == "postbox_open") open = j;
    cv.notify_all();
  };
  PostboxRunner runner(options);
  runner.start();
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return open.has_value(); }))
      << "the postbox did not start with two partners paired";
  EXPECT_EQ((*open)["partner_device_id"], "robin-laptop");
  EXPECT_NE(open->value("message", "").find("Robin"), std::string::npos) << open->dump();
}

TEST_F(PartnerChoice, AForgottenPartnerIsNoLongerPinned) {
  paired("sam-laptop", v1::ROLE_PARTNER_B, "Sam");
  const Partner sam = chosen();
  EXPECT_EQ(still_pinned(data, sam.peer), true);
  identity::PinnedPeerStore pins(data);
  ASSERT_EQ(pins.load(), std::nullopt);
  ASSERT_EQ(pins.forget("sam-laptop"), std::nullopt);
  EXPECT_EQ(still_pinned(data, sam.peer), false);
}

// The one decision both running postboxes make when they look at the pins
// again (postbox_runner and `attune invite serve`).
TEST_F(PartnerChoice, ARunningPostboxFollowsThePinsByOneDecision) {
  const crypto::PeerIdentity sam{"sam-laptop", {}};
  crypto::PeerIdentity robin{"robin-laptop", {}};
  robin.public_key[0] = 7;
  const auto pins_name = [](const crypto::PeerIdentity& peer) { return PostboxChoice{Partner{peer, "", false, ""}}; };
  const PostboxChoice nobody{Problem{"no partner"}};
  const PostboxChoice unreadable{Problem{"the pins can't be read"}, false};
  EXPECT_EQ(follow_pins(sam, pins_name(sam)), PostboxStep::Keep);
  EXPECT_EQ(follow_pins(sam, pins_name(robin)), PostboxStep::Switch) << "a newer partner paired";
  crypto::PeerIdentity sam_again = sam;
  sam_again.public_key[0] = 9;
  EXPECT_EQ(follow_pins(sam, pins_name(sam_again)), PostboxStep::Switch) << "the same id paired again with a new key";
  EXPECT_EQ(follow_pins(sam, nobody), PostboxStep::Close) << "the one served forgotten, no one else";
  EXPECT_EQ(follow_pins(std::nullopt, pins_name(robin)), PostboxStep::Open);
  EXPECT_EQ(follow_pins(std::nullopt, nobody), PostboxStep::Wait);
  EXPECT_EQ(follow_pins(sam, unreadable), PostboxStep::Keep) << "a moment the pins can't be read changes nothing";
  EXPECT_EQ(follow_pins(std::nullopt, unreadable), PostboxStep::Wait);
}

// What the running postboxes ask the pins: without --to the newest partner,
// with --to exactly that device (forgotten: none, however many are left).
TEST_F(PartnerChoice, ThePostboxChoiceFollowsToOrElseTheNewestPartner) {
  paired("sam-laptop", v1::ROLE_PARTNER_B, "Sam", v1::ROLE_PARTNER_A, 1000);
  auto now = postbox_choice(data, "");
  ASSERT_TRUE(std::holds_alternative<Partner>(now.chosen));
  EXPECT_EQ(std::get<Partner>(now.chosen).peer.device_id, "sam-laptop");
  paired("robin-laptop", v1::ROLE_PARTNER_B, "Robin", v1::ROLE_PARTNER_A, 2000);
  now = postbox_choice(data, "");
  ASSERT_TRUE(std::holds_alternative<Partner>(now.chosen));
  EXPECT_EQ(std::get<Partner>(now.chosen).peer.device_id, "robin-laptop");
  EXPECT_EQ(now_serving_words(std::get<Partner>(now.chosen)),
            "Invitations now go to and come from Robin (robin-laptop).");
  now = postbox_choice(data, "sam-laptop");
  ASSERT_TRUE(std::holds_alternative<Partner>(now.chosen));
  EXPECT_EQ(std::get<Partner>(now.chosen).peer.device_id, "sam-laptop");
  identity::PinnedPeerStore pins(data);
  ASSERT_EQ(pins.load(), std::nullopt);
  ASSERT_EQ(pins.forget("sam-laptop"), std::nullopt);
  now = postbox_choice(data, "sam-laptop");
  EXPECT_TRUE(now.read);
  EXPECT_TRUE(std::holds_alternative<Problem>(now.chosen)) << "--to names only that device";
  std::ofstream(data / "identity" / "pinned_peers.json") << "{ not json";
  EXPECT_FALSE(postbox_choice(data, "").read);
}

}  // namespace
}  // namespace attune::invite
