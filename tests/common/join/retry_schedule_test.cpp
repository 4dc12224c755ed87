// When a joining device tries the host again: prompt while a session is
// live (the pair is back within about half a second), easier before.
#include "attune/join/retry_schedule.hpp"

#include <gtest/gtest.h>

namespace attune::join {
namespace {

using namespace std::chrono_literals;

TEST(RetrySchedule, WhileASessionIsLiveNoWaitIsLongerThanHalfASecond) {
  // However long the host has been gone, the next try is soon: a person
  // waiting on the other side should not wait for the backoff.
  for (int attempt = 0; attempt < 40; ++attempt) {
    for (const double draw : {0.0, 0.5, 0.999999}) {
      EXPECT_LE(retry_delay(attempt, kLiveRetryCap, draw), 500ms) << attempt << " " << draw;
    }
  }
}

TEST(RetrySchedule, StartsQuickDoublesAndSpreadsDevicesApart) {
  EXPECT_EQ(retry_delay(0, kLiveRetryCap, 0.0), 50ms);
  EXPECT_EQ(retry_delay(0, kLiveRetryCap, 0.999999), 99ms);
  EXPECT_EQ(retry_delay(1, kLiveRetryCap, 0.0), 100ms);
  EXPECT_EQ(retry_delay(2, kLiveRetryCap, 0.0), 200ms);
  // Capped: between half the cap and the cap, so two devices that lost the
  // host together do not knock at the same instant.
  EXPECT_EQ(retry_delay(10, kLiveRetryCap, 0.0), kLiveRetryCap / 2);
  EXPECT_GT(retry_delay(10, kLiveRetryCap, 0.9), retry_delay(10, kLiveRetryCap, 0.1));
}

TEST(RetrySchedule, BeforeTheFirstJoinItGoesEasierOnTheHost) {
  EXPECT_EQ(retry_delay(30, kFirstContactRetryCap, 0.0), kFirstContactRetryCap / 2);
  EXPECT_LE(retry_delay(30, kFirstContactRetryCap, 0.999999), kFirstContactRetryCap);
  // Draws outside [0, 1) are clamped, never a negative or huge wait.
  EXPECT_EQ(retry_delay(-3, kLiveRetryCap, -1.0), 50ms);
  EXPECT_LE(retry_delay(1000, kLiveRetryCap, 7.0), kLiveRetryCap);
}

}  // namespace
}  // namespace attune::join
