// A partner's word on a coach's check number, kept in the data folder: a
// "they differ" outlives a restart even for a coach this device paired with
// by code, and `attune devices forget` leaves nothing of that device behind.
#include "identity/coach_pins.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <sstream>

#include "cli/devices_command.hpp"
#include "identity/pinned_peer_store.hpp"
#include "peer_process.hpp"

namespace attune::identity {
namespace {

crypto::PeerIdentity some_device(const std::string& id) {
  crypto::PeerIdentity peer{id, {}};
  randombytes_buf(peer.public_key.data(), peer.public_key.size());
  return peer;
}

// What the device starts with after a restart (Node::load_coach_matches).
crypto::CoachTrust trust_after_restart(const std::filesystem::path& dir, const crypto::PeerIdentity& coach) {
  crypto::CoachKeyWatch watch;
  std::string error;
  load_coach_trust(dir, watch, error);
  EXPECT_EQ(error, "");
  return watch.checks({crypto::CoachKey{coach.device_id, coach.public_key}}).at(0).trust;
}

TEST(CoachPins, ADeclineOutlivesARestartEvenForAPairedCoach) {
  test::TempDir dir;
  const auto robin = some_device("dev-robin");
  // Paired with Robin's device by code once: taken as matched.
  ASSERT_EQ(PinnedPeerStore(dir.path()).pin(robin, 1), std::nullopt);
  EXPECT_EQ(trust_after_restart(dir.path(), robin), crypto::CoachTrust::Matched);
  // The person says the numbers differ; the next start keeps that "no".
  ASSERT_EQ(CoachPins(dir.path()).decline(robin.device_id, robin.public_key), std::nullopt);
  EXPECT_EQ(trust_after_restart(dir.path(), robin), crypto::CoachTrust::Declined);
  crypto::CoachKeyWatch watch;
  std::string error;
  load_coach_trust(dir.path(), watch, error);
  std::vector<std::string> problems;
  EXPECT_TRUE(watch.vet({crypto::CoachKey{robin.device_id, robin.public_key}}, problems).empty())
      << "ratings would be sealed to a key the person said no to";
  // Until they say it matches.
  ASSERT_EQ(CoachPins(dir.path()).pin(robin.device_id, robin.public_key, 2), std::nullopt);
  EXPECT_EQ(trust_after_restart(dir.path(), robin), crypto::CoachTrust::Matched);
}

TEST(CoachPins, ADeclineOfAnotherKeyLeavesTheMatchedOne) {
  test::TempDir dir;
  const auto robin = some_device("dev-robin");
  const auto other = some_device("dev-robin");
  ASSERT_EQ(CoachPins(dir.path()).pin(robin.device_id, robin.public_key, 1), std::nullopt);
  ASSERT_EQ(CoachPins(dir.path()).decline(other.device_id, other.public_key), std::nullopt);
  EXPECT_EQ(trust_after_restart(dir.path(), robin), crypto::CoachTrust::Matched);
  EXPECT_EQ(trust_after_restart(dir.path(), other), crypto::CoachTrust::Changed);
}

TEST(CoachPins, ForgettingADeviceForgetsItsCoachMatchesAndDeclines) {
  test::TempDir dir;
  const auto robin = some_device("dev-robin");
  const auto sam = some_device("dev-sam");
  ASSERT_EQ(PinnedPeerStore(dir.path()).pin(robin, 1), std::nullopt);
  ASSERT_EQ(CoachPins(dir.path()).decline(robin.device_id, robin.public_key), std::nullopt);
  ASSERT_EQ(CoachPins(dir.path()).pin(sam.device_id, sam.public_key, 1), std::nullopt);
  std::ostringstream out, err;
  EXPECT_EQ(cli::run_devices(dir.path(), std::string("dev-robin"), out, err), 0) << err.str();
  std::string error;
  EXPECT_TRUE(CoachPins(dir.path()).declined(error).empty()) << "its decline is still kept";
  EXPECT_EQ(CoachPins(dir.path()).load(error).count("dev-sam"), 1u) << "another coach's match went too";
  EXPECT_EQ(trust_after_restart(dir.path(), robin), crypto::CoachTrust::Unchecked);
}

}  // namespace
}  // namespace attune::identity
