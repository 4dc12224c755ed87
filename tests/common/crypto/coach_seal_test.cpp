// Ratings sealed to the coach's device key (issue 15, item 9): only that
// coach opens them, every blob is the same length whatever the number, and
// the coach shows each one once, for this session and this sender only.
#include "attune/crypto/coach_seal.hpp"

#include "attune/crypto/check_number.hpp"

#include <gtest/gtest.h>

#include <set>

#include "test_random.hpp"

namespace attune::crypto {
namespace {

DeviceIdentity identity(const std::string& id) {
  EXPECT_TRUE(init_crypto());
  Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return DeviceIdentity(id, seed);
}

ByteView view(const std::string& s) { return as_bytes(s); }

// A session with partner B (opted in) and one admitted coach whose key the host named.
State room(const DeviceIdentity& coach) {
  State state;
  state.set_session_id("0123456789abcdef0123456789abcdef");
  auto* b = state.add_participants();
  b->set_id("device-b");
  b->set_role(v1::ROLE_PARTNER_B);
  b->set_admitted(true);
  b->set_shares_with_coach(true);
  auto* c = state.add_participants();
  c->set_id(coach.device_id());
  c->set_role(v1::ROLE_COACH);
  c->set_admitted(true);
  c->set_device_key(coach.public_key().data(), coach.public_key().size());
  return state;
}

v1::SealedCoachLevel from_b(const State& state, int level, std::int64_t at_ms) {
  v1::CoachLevel plain;
  plain.set_level(static_cast<uint32_t>(level));
  plain.set_at_ms(at_ms);
  plain.set_step(v1::STEP_BENEFIT);
  auto sealed = seal_for_coaches(coach_keys(state), state, "device-b", plain, test::test_random());
  EXPECT_EQ(sealed.size(), 1u);
  auto out = sealed.empty() ? v1::SealedCoachLevel{} : sealed.front();
  out.set_partner(v1::ROLE_PARTNER_B);  // As the host fills it in.
  out.set_partner_id("device-b");
  return out;
}

TEST(CoachSeal, OnlyTheCoachOpensARatingAndItIsLibsodiumsSealedBox) {
  const auto coach = identity("coach-1");
  const auto other = identity("device-a");
  const State state = room(coach);
  const auto sealed = from_b(state, 7, 1000);
  const auto opened = open_coach_record(coach, view(sealed.sealed()));
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->level(), 7u);
  EXPECT_EQ(opened->at_ms(), 1000);
  EXPECT_EQ(opened->partner_id(), "device-b");
  EXPECT_FALSE(open_coach_record(other, view(sealed.sealed()))) << "another device's key opened it";
  // The standard format: crypto_box_seal_open with the coach's X25519 keys.
  EXPECT_TRUE(coach.open_sealed_box(view(sealed.sealed())));
  std::string tampered = sealed.sealed();
  tampered[60] ^= 1;
  EXPECT_FALSE(open_coach_record(coach, view(tampered)));
}

TEST(CoachSeal, EveryRatingSealsToTheSameLengthSoTheSizeSaysNothing) {
  const auto coach = identity("coach-1");
  const State state = room(coach);
  std::set<std::size_t> sizes;
  std::set<std::string> blobs;
  for (int level = 0; level <= 10; ++level) {
    const auto sealed = from_b(state, level, 1000 + level);
    sizes.insert(sealed.sealed().size());
    blobs.insert(sealed.sealed());
  }
  EXPECT_EQ(sizes, std::set<std::size_t>{kSealedCoachLevelBytes});
  EXPECT_EQ(kSealedCoachLevelBytes, 240u);
  EXPECT_EQ(blobs.size(), 11u);
  // Sealing the same rating twice gives different bytes (a fresh key each time).
  EXPECT_NE(from_b(state, 4, 5000).sealed(), from_b(state, 4, 5000).sealed());
}

TEST(CoachSeal, TheCoachShowsEachRatingOnceAndOnlyForThisSessionAndSender) {
  const auto coach = identity("coach-1");
  const State state = room(coach);
  CoachInbox inbox;
  std::string why;
  const auto first = from_b(state, 6, 2000);
  ASSERT_TRUE(inbox.take(coach, state, first, why)) << why;
  EXPECT_FALSE(inbox.take(coach, state, first, why)) << "a replay showed twice";
  EXPECT_FALSE(inbox.take(coach, state, from_b(state, 5, 1500), why)) << "an older rating replaced a newer one";
  const auto later = inbox.take(coach, state, from_b(state, 5, 2500), why);
  ASSERT_TRUE(later) << why;
  EXPECT_EQ(later->level(), 5u);
  EXPECT_EQ(later->partner(), v1::ROLE_PARTNER_B);

  // The host claims another sender, or the rating is from another session.
  auto relabelled = from_b(state, 3, 3000);
  relabelled.set_partner_id("device-x");
  EXPECT_FALSE(inbox.take(coach, state, relabelled, why));
  State elsewhere = state;
  elsewhere.set_session_id("ffffffffffffffffffffffffffffffff");
  EXPECT_FALSE(inbox.take(coach, elsewhere, from_b(state, 3, 3100), why));
}

TEST(CoachSeal, APartnerSealsOnlyToCoachKeysTheHostCouldNotHaveSwapped) {
  const auto host = identity("device-a");
  const auto coach = identity("coach-1");
  CoachKeyWatch watch(host.peer_identity());
  std::vector<std::string> problems;
  const CoachKey real{"coach-1", coach.public_key()};
  ASSERT_TRUE(watch.compare(real, true));
  EXPECT_EQ(watch.vet({real}, problems).size(), 1u);
  // The host offers its own key for the coach.
  EXPECT_TRUE(watch.vet({CoachKey{"coach-2", host.public_key()}}, problems).empty());
  // The coach's key changes while this device runs.
  EXPECT_TRUE(watch.vet({CoachKey{"coach-1", identity("coach-1").public_key()}}, problems).empty());
  // The host is the coach: only with the key it proved in the handshake.
  EXPECT_EQ(watch.vet({CoachKey{"device-a", host.public_key()}}, problems).size(), 1u);
  EXPECT_TRUE(watch.vet({CoachKey{"device-a", coach.public_key()}}, problems).empty());
  EXPECT_EQ(problems.size(), 3u);
}

// The host names a key of its own making for the coach: nothing is sealed to
// it until the person compared its check number with the coach's screen and
// said they match; a "they don't match" keeps it that way.
TEST(CoachSeal, NothingIsSealedToACoachKeyUntilThePersonSaysTheNumbersMatch) {
  const auto host = identity("device-a");
  const auto swapped = identity("coach-1");
  CoachKeyWatch watch(host.peer_identity());
  std::vector<std::string> problems;
  const CoachKey named{"coach-1", swapped.public_key()};
  auto checks = watch.checks({named});
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].trust, CoachTrust::Unchecked);
  EXPECT_EQ(checks[0].number, check_number(swapped.public_key()));
  EXPECT_TRUE(watch.vet({named}, problems).empty());
  ASSERT_TRUE(watch.compare(named, false));
  EXPECT_EQ(watch.checks({named})[0].trust, CoachTrust::Declined);
  EXPECT_TRUE(watch.vet({named}, problems).empty());
  EXPECT_EQ(problems.size(), 2u);
  // The host is the coach: the pairing proved its key, there is nothing to compare.
  const CoachKey host_coach{"device-a", host.public_key()};
  EXPECT_EQ(watch.checks({host_coach})[0].trust, CoachTrust::Proven);
  EXPECT_FALSE(watch.compare(host_coach, false));
  EXPECT_EQ(watch.vet({host_coach}, problems).size(), 1u);
}

// A coach matched in an earlier session is recognised with no new
// comparison; the host naming another key for that coach id is refused,
// even though this run never saw the first key, until the person compares
// the new number.
TEST(CoachSeal, AMatchedCoachIsRecognisedLaterAndAnotherKeyForItIsRefused) {
  const auto host = identity("device-a");
  const auto coach = identity("coach-1");
  const auto swapped = identity("coach-1");
  CoachKeyWatch watch(host.peer_identity());
  watch.remember("coach-1", coach.public_key());
  std::vector<std::string> problems;
  const CoachKey real{"coach-1", coach.public_key()};
  EXPECT_EQ(watch.checks({real})[0].trust, CoachTrust::Matched);
  EXPECT_EQ(watch.vet({real}, problems).size(), 1u);

  CoachKeyWatch next_session(host.peer_identity());
  next_session.remember("coach-1", coach.public_key());
  const CoachKey other{"coach-1", swapped.public_key()};
  const auto checks = next_session.checks({other});
  EXPECT_EQ(checks[0].trust, CoachTrust::Changed);
  EXPECT_EQ(checks[0].before, check_number(coach.public_key()));
  EXPECT_TRUE(next_session.vet({other}, problems).empty());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("differs"), std::string::npos);
  // Saying the new number doesn't match changes nothing; saying it does is a new match.
  next_session.compare(other, false);
  EXPECT_TRUE(next_session.vet({other}, problems).empty());
  ASSERT_TRUE(next_session.compare(other, true));
  EXPECT_EQ(next_session.vet({other}, problems).size(), 1u);
  EXPECT_TRUE(next_session.vet({real}, problems).empty());  // And the old one is now the changed one.
}

}  // namespace
}  // namespace attune::crypto
