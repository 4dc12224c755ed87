// The host's rules for codes: expiry, seats, rotation after wrong guesses,
// and per-address rate limits with bounded memory. Time is passed in.
#include "attune/pairing/pairing_policy.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <string>

namespace attune::pairing {
namespace {

using namespace std::chrono_literals;

// Reproducible randomness: each call draws from a fresh counter-derived seed.
crypto::RandomFn counter_random() {
  auto counter = std::make_shared<std::uint64_t>(0);
  return [counter](std::span<std::uint8_t> out) {
    std::array<std::uint8_t, randombytes_SEEDBYTES> seed{};
    const std::uint64_t n = (*counter)++;
    for (int i = 0; i < 8; ++i) seed[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
    randombytes_buf_deterministic(out.data(), out.size(), seed.data());
  };
}

const TimePoint kStart = from_ms(1'700'000'000'000);

class PairingPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  PairingPolicy policy{PairingPolicyConfig{}, counter_random()};
};

TEST_F(PairingPolicyTest, OpenCodeIsShownAndUsable) {
  const std::string code = policy.open_code(1, kStart);
  EXPECT_EQ(code.size(), 6u);
  EXPECT_EQ(policy.code(kStart), code);
  const auto events = policy.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PolicyEventKind::CodeOpened);
  EXPECT_EQ(events[0].code, code);
  const Admission a = policy.admit("192.0.2.10", kStart);
  ASSERT_TRUE(a.allowed());
  EXPECT_EQ(a.code, code);
}

TEST_F(PairingPolicyTest, CodeExpiresAfterTenMinutes) {
  const std::string code = policy.open_code(1, kStart);
  policy.take_events();
  EXPECT_EQ(policy.next_deadline(), kStart + 10min);
  EXPECT_EQ(policy.code(kStart + 10min - 1ms), code);
  EXPECT_EQ(policy.code(kStart + 10min), std::nullopt);
  const auto events = policy.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PolicyEventKind::CodeExpired);
  // Its own sentence: what happened and what still works.
  EXPECT_NE(user_message(events[0]).find("10 minutes"), std::string::npos);
  EXPECT_NE(user_message(events[0]).find("stays connected"), std::string::npos);
  EXPECT_EQ(policy.next_deadline(), std::nullopt);
  EXPECT_EQ(policy.admit("192.0.2.10", kStart + 11min).code, std::nullopt);
}

// Seats are counted by devices that joined, not by devices that paired
// (issue 12, item 8): three pairings that never join leave the code open.
TEST_F(PairingPolicyTest, DevicesThatPairButNeverJoinLeaveTheCodeOpen) {
  policy.open_code(2, kStart);
  policy.take_events();
  for (int i = 0; i < 3; ++i) {
    const Admission a = policy.admit("192.0.2." + std::to_string(10 + i), kStart);
    policy.record_guess(a.generation, true, kStart);
  }
  EXPECT_TRUE(policy.code(kStart).has_value());
  EXPECT_EQ(policy.free_seats(), 2);
  EXPECT_TRUE(policy.take_events().empty());
  // The roster fills: the code closes and the host is told.
  policy.set_free_seats(1, kStart + 1s);
  EXPECT_TRUE(policy.code(kStart + 1s).has_value());
  policy.set_free_seats(0, kStart + 2s);
  EXPECT_EQ(policy.code(kStart + 2s), std::nullopt);
  const auto events = policy.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PolicyEventKind::SeatsFilled);
}

TEST_F(PairingPolicyTest, RosterChangeCanCloseTheCode) {
  policy.open_code(1, kStart);
  policy.set_free_seats(0, kStart + 1s);
  EXPECT_EQ(policy.code(kStart + 1s), std::nullopt);
}

TEST_F(PairingPolicyTest, FiveWrongCodesRotateTheCodeAndTellTheHost) {
  const std::string first = policy.open_code(1, kStart);
  policy.take_events();
  for (int i = 0; i < 4; ++i) {
    const Admission a = policy.admit("198.51.100." + std::to_string(i), kStart);
    policy.record_guess(a.generation, false, kStart);
  }
  EXPECT_EQ(policy.code(kStart), first);
  EXPECT_EQ(policy.wrong_codes(), 4);
  const Admission fifth = policy.admit("198.51.100.9", kStart);
  policy.record_guess(fifth.generation, false, kStart + 1s);

  const auto now_code = policy.code(kStart + 1s);
  ASSERT_TRUE(now_code.has_value());
  EXPECT_NE(*now_code, first);
  EXPECT_EQ(policy.wrong_codes(), 0);
  EXPECT_EQ(policy.next_deadline(), kStart + 1s + 10min);  // A fresh ten minutes.
  const auto events = policy.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PolicyEventKind::CodeRotated);
  EXPECT_EQ(events[0].code, *now_code);
  EXPECT_NE(user_message(events[0]).find("new code"), std::string::npos);
  // Why, in words the host's user can act on, without alarm or blame.
  EXPECT_NE(user_message(events[0]).find("didn't match"), std::string::npos);
}

TEST_F(PairingPolicyTest, GuessesAgainstARotatedCodeDoNotCount) {
  policy.open_code(1, kStart);
  std::vector<Admission> racing;
  for (int i = 0; i < 8; ++i) racing.push_back(policy.admit("203.0.113." + std::to_string(i), kStart));
  for (int i = 0; i < 5; ++i)
    policy.record_guess(racing[static_cast<std::size_t>(i)].generation, false, kStart);
  // The other three started with the old code: they may not be judged.
  EXPECT_FALSE(policy.code_is_current(racing[5].generation, kStart));
  policy.record_guess(racing[6].generation, false, kStart);
  policy.record_guess(racing[7].generation, true, kStart);
  EXPECT_EQ(policy.wrong_codes(), 0);
  EXPECT_EQ(policy.free_seats(), 1);
}

TEST_F(PairingPolicyTest, EachAddressGetsFiveQuickTriesThenWaits) {
  policy.open_code(1, kStart);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(policy.admit("192.0.2.1", kStart).allowed()) << i;
  const Admission sixth = policy.admit("192.0.2.1", kStart);
  ASSERT_FALSE(sixth.allowed());
  EXPECT_EQ(sixth.refusal, HandshakeError::RateLimited);
  EXPECT_EQ(sixth.retry_after_seconds, 12u);
  // Another address is not affected.
  EXPECT_TRUE(policy.admit("192.0.2.2", kStart).allowed());
  // One try comes back every 12 seconds.
  EXPECT_FALSE(policy.admit("192.0.2.1", kStart + 11s).allowed());
  EXPECT_TRUE(policy.admit("192.0.2.1", kStart + 12s).allowed());
  EXPECT_FALSE(policy.admit("192.0.2.1", kStart + 12s).allowed());
}

TEST_F(PairingPolicyTest, AddressMemoryStaysBounded) {
  PairingPolicyConfig config;
  config.max_sources = 4;
  PairingPolicy small(config, counter_random());
  small.open_code(1, kStart);
  int refused = 0;
  for (int i = 0; i < 100; ++i) {
    if (!small.admit("10.1.0." + std::to_string(i), kStart).allowed()) ++refused;
    EXPECT_LE(small.tracked_sources(), 4u);
  }
  // Newcomers beyond the table share one bucket, so a flood of addresses
  // still gets only a handful of tries.
  EXPECT_EQ(refused, 100 - 4 - 5);
  // Once buckets have refilled, old entries are forgotten and new ones fit.
  EXPECT_TRUE(small.admit("10.2.0.1", kStart + 2min).allowed());
  EXPECT_LE(small.tracked_sources(), 4u);
}

TEST_F(PairingPolicyTest, EveryEventHasText) {
  for (PolicyEventKind k : {PolicyEventKind::CodeOpened, PolicyEventKind::CodeRotated,
                            PolicyEventKind::CodeExpired, PolicyEventKind::SeatsFilled}) {
    EXPECT_FALSE(user_message(PolicyEvent{k, {}}).empty());
  }
}

// The host's "new code" after expiry: a fresh code with a fresh ten minutes;
// opening again replaces the open code at once (guesses at the old one are
// judged dead), and the wrong-code count starts over for the new code.
TEST_F(PairingPolicyTest, ANewCodeAfterExpiryGetsAFreshTenMinutes) {
  const std::string first = policy.open_code(2, kStart);
  const Admission late = policy.admit("192.0.2.10", kStart + 10min - 1s);
  ASSERT_TRUE(late.allowed());
  policy.tick(kStart + 10min);
  EXPECT_EQ(policy.code(kStart + 10min), std::nullopt);
  policy.take_events();

  const TimePoint later = kStart + 25min;
  const std::string second = policy.open_code(2, later);
  EXPECT_NE(second, first);
  EXPECT_EQ(policy.next_deadline(), later + 10min);
  const auto events = policy.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PolicyEventKind::CodeOpened);
  EXPECT_EQ(events[0].code, second);
  EXPECT_FALSE(policy.code_is_current(late.generation, later)) << "a guess begun against the old code";

  // Replacing an open code: the old one's generation dies at once.
  const Admission on_second = policy.admit("192.0.2.11", later);
  policy.record_guess(on_second.generation, false, later);
  EXPECT_EQ(policy.wrong_codes(), 1);
  const std::string third = policy.open_code(2, later + 1s);
  EXPECT_NE(third, second);
  EXPECT_FALSE(policy.code_is_current(on_second.generation, later + 1s));
  EXPECT_EQ(policy.wrong_codes(), 0);
}

// Joining is lobby-only and needs a seat; the refusal is a plain sentence.
TEST(NewCodeRefusal, OnlyInTheLobbyWithAFreeSeat) {
  State s = new_session("s-1", "talk", default_settings(), "dev-a", "Alex", v1::ROLE_PARTNER_A, kStart);
  EXPECT_EQ(free_seats(s), 3);
  EXPECT_EQ(new_code_refusal(s), std::nullopt);
  for (const auto& [id, role] :
       {std::pair{"dev-b", v1::ROLE_PARTNER_B}, std::pair{"dev-c", v1::ROLE_COACH}}) {
    auto* p = s.add_participants();
    p->set_id(id);
    p->set_role(role);
  }
  EXPECT_EQ(free_seats(s), 1);
  EXPECT_EQ(new_code_refusal(s), std::nullopt) << "one coach seat is still free";
  s.set_phase(v1::PHASE_ACTIVE);
  ASSERT_TRUE(new_code_refusal(s));
  EXPECT_NE(new_code_refusal(s)->find("already begun"), std::string::npos) << *new_code_refusal(s);
  s.set_phase(v1::PHASE_LOBBY);
  auto* coach = s.add_participants();
  coach->set_id("dev-d");
  coach->set_role(v1::ROLE_COACH);
  EXPECT_EQ(free_seats(s), 0);
  ASSERT_TRUE(new_code_refusal(s));
  EXPECT_NE(new_code_refusal(s)->find("Every seat is taken"), std::string::npos) << *new_code_refusal(s);
}

}  // namespace
}  // namespace attune::pairing
