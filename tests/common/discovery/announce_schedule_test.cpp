#include "attune/discovery/announce_schedule.hpp"

#include <gtest/gtest.h>

namespace attune::discovery {
namespace {

using namespace std::chrono_literals;

TEST(AnnounceSchedule, BeaconBurstThenSteady) {
  const auto s = AnnounceSchedule::beacons(4000ms);
  EXPECT_EQ(s.offset(0), 0ms);
  EXPECT_EQ(s.offset(1), 100ms);
  EXPECT_EQ(s.offset(2), 500ms);
  EXPECT_EQ(s.offset(3), 2000ms);
  EXPECT_EQ(s.offset(4), 6000ms);
  EXPECT_EQ(s.offset(5), 10000ms);
}

TEST(AnnounceSchedule, DueByCountsSendsAtOrBeforeElapsed) {
  const auto s = AnnounceSchedule::beacons(4000ms);
  EXPECT_EQ(s.due_by(-1ms), 0u);
  EXPECT_EQ(s.due_by(0ms), 1u);
  EXPECT_EQ(s.due_by(99ms), 1u);
  EXPECT_EQ(s.due_by(100ms), 2u);
  EXPECT_EQ(s.due_by(1999ms), 3u);
  EXPECT_EQ(s.due_by(2000ms), 4u);
  EXPECT_EQ(s.due_by(5999ms), 4u);
  EXPECT_EQ(s.due_by(6000ms), 5u);
  EXPECT_EQ(s.due_by(3600000ms), 4u + (3600000u - 2000u) / 4000u);
}

TEST(AnnounceSchedule, NextAfterAgreesWithOffsetsEverywhere) {
  const auto s = AnnounceSchedule::beacons(1500ms);
  for (auto t = -5ms; t < 20000ms; t += 7ms) {
    const auto next = s.next_after(t);
    ASSERT_TRUE(next.has_value());
    EXPECT_GT(*next, t);
    // Nothing scheduled strictly between t and next.
    EXPECT_EQ(s.due_by(*next - 1ms), s.due_by(t));
    EXPECT_EQ(s.due_by(*next), s.due_by(t) + 1);
  }
}

TEST(AnnounceSchedule, QueriesStopAfterTheBurst) {
  const auto s = AnnounceSchedule::queries();
  EXPECT_EQ(s.offset(0), 0ms);
  EXPECT_EQ(s.offset(2), 1000ms);
  EXPECT_FALSE(s.offset(3).has_value());
  EXPECT_FALSE(s.next_after(1000ms).has_value());
  EXPECT_EQ(s.due_by(1000000ms), 3u);
}

TEST(AnnounceSchedule, ZeroSteadyBeatMeansNoSteadySends) {
  const AnnounceSchedule s({0ms, 50ms}, 0ms);
  EXPECT_FALSE(s.offset(2).has_value());
  EXPECT_EQ(s.due_by(1000ms), 2u);
}

}  // namespace
}  // namespace attune::discovery
