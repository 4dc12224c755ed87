// proto/README.md, "Ratings for the coach", small print (issue 15, L10): the
// host relays a partner's sealed ratings only up to a bucket of their own,
// of the intents' shape (a burst of 60, then one per 100 ms). A partner
// that floods the host with SealedCoachLevel can't make it relay without
// bound, nor fill its log; its intents and the host's own ratings are not
// held back by it.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "attune/crypto/coach_seal.hpp"
#include "doc_section.hpp"
#include "host_core_room.hpp"
#include "session_driver.hpp"
#include "test_random.hpp"

namespace attune::host::test {
namespace {

using namespace std::chrono_literals;
namespace make = attune::test::make;
using attune::test::kB;
using attune::test::kCoach;

int relayed_to(Room& room, LinkId link) {
  const auto& box = room.inbox(link);
  return static_cast<int>(
      std::count_if(box.begin(), box.end(), [](const auto& e) { return e.has_sealed_coach_level(); }));
}

// What B's device sends after a check-in: `level` sealed to the coach its view names.
v1::Envelope sealed_from_b(Room& room, LinkId b, int level) {
  const State view = room.last_view(b);
  v1::CoachLevel plain;
  plain.set_level(static_cast<uint32_t>(level));
  plain.set_at_ms(1000);
  plain.set_step(v1::STEP_GAUGE);
  auto sealed =
      crypto::seal_for_coaches(crypto::coach_keys(view), view, kB, plain, attune::test::test_random());
  v1::Envelope envelope;
  if (!sealed.empty()) *envelope.mutable_sealed_coach_level() = sealed.front();
  return envelope;
}

long warnings_about_drops(const Room& room) {
  return std::count_if(room.logs.begin(), room.logs.end(), [](const std::string& line) {
    return line.find("ratings came faster than a person checks in") != std::string::npos;
  });
}

TEST(HostCoreCoach, TheDocumentStatesTheRatingsBucketTheHostKeeps) {
  const std::string doc = contract::read_squeezed(contract::source_dir() / "proto" / "README.md");
  EXPECT_NE(
      doc.find("The host relays at most a burst of **60** `SealedCoachLevel` from one device, then one "
               "per **100 ms**: a token bucket per device of the same shape as the intents', but separate "
               "(`HostCoreConfig::level_limits`)."),
      std::string::npos);
  EXPECT_NE(doc.find("logs a warning at the 1st, 2nd, 4th, 8th, … drop"), std::string::npos);
  const HostCoreConfig config;
  EXPECT_EQ(config.level_limits.intent_burst, 60);
  EXPECT_EQ(config.level_limits.intent_every, 100ms);
}

TEST(HostCoreCoach, AFloodOfSealedRatingsIsRelayedOnlyUpToItsBucket) {
  Room room;
  const LinkId b = room.join_partner_b();
  const LinkId coach = room.join_coach(kCoach, b);
  ASSERT_TRUE(room.submit(b, make::share_with_coach(true))->has_intent_ack());
  const v1::Envelope rating = sealed_from_b(room, b, 6);
  ASSERT_TRUE(rating.has_sealed_coach_level());

  // 100 at one moment: the burst of 60 goes through, the other 40 don't.
  for (int i = 0; i < 100; ++i) room.send(b, rating);
  EXPECT_EQ(relayed_to(room, coach), 60);
  EXPECT_EQ(room.core.levels_dropped(), 40u);
  EXPECT_EQ(warnings_about_drops(room), 6) << "drops 1, 2, 4, 8, 16 and 32 are logged, no others";

  // A second later the bucket has refilled by ten.
  room.advance(1000ms);
  for (int i = 0; i < 20; ++i) room.send(b, rating);
  EXPECT_EQ(relayed_to(room, coach), 70);
  EXPECT_EQ(room.core.levels_dropped(), 50u);

  // B's intents have a bucket of their own, untouched by the flood.
  EXPECT_TRUE(room.submit(b, make::share_with_coach(false))->has_intent_ack());
  // And the hosting partner's own ratings are never limited.
  ASSERT_TRUE(room.local(make::share_with_coach(true)));
  v1::CoachLevel mine;
  mine.set_level(4);
  mine.set_at_ms(900);
  for (int i = 0; i < 80; ++i) room.carry_out(room.core.local_level(mine, attune::test::test_random()));
  EXPECT_EQ(relayed_to(room, coach), 150);
  EXPECT_EQ(relayed_to(room, b), 0) << "a partner saw a rating";
}

}  // namespace
}  // namespace attune::host::test
