// Per-device rules the host applies before judging an intent, with a fake clock.
#include "attune/host/device_limits.hpp"

#include <gtest/gtest.h>

namespace attune::host {
namespace {

using namespace std::chrono_literals;
const TimePoint kStart = from_ms(1'700'000'000'000);

int allowed_at(DeviceLimits& limits, const std::string& device, int tries, TimePoint now) {
  int allowed = 0;
  for (int i = 0; i < tries; ++i) allowed += limits.allow_intent(device, now) ? 1 : 0;
  return allowed;
}

TEST(DeviceLimits, ABurstThenASteadyRatePerDevice) {
  DeviceLimits limits;
  const DeviceLimitsConfig config;
  // A flood at one instant gets the burst, no more.
  EXPECT_EQ(allowed_at(limits, "partner-b", 10'000, kStart), config.intent_burst);
  // Then one per interval.
  EXPECT_FALSE(limits.allow_intent("partner-b", kStart + config.intent_every - 1ms));
  EXPECT_TRUE(limits.allow_intent("partner-b", kStart + config.intent_every));
  EXPECT_FALSE(limits.allow_intent("partner-b", kStart + config.intent_every));
  // Another device is not touched by it.
  EXPECT_EQ(allowed_at(limits, "coach", 10, kStart), 10);
  // A quiet while later the burst is back.
  EXPECT_EQ(allowed_at(limits, "partner-b", 10'000, kStart + 1min), config.intent_burst);
}

TEST(DeviceLimits, AClockSetBackDoesntHoldADeviceBack) {
  DeviceLimits limits;
  const DeviceLimitsConfig config;
  EXPECT_EQ(allowed_at(limits, "partner-b", 5, kStart), 5);
  // The host's clock goes back an hour: a calm tap is still taken...
  EXPECT_TRUE(limits.allow_intent("partner-b", kStart - 1h));
  // ...and a flood still gets only its burst.
  EXPECT_EQ(allowed_at(limits, "partner-b", 10'000, kStart - 1h), config.intent_burst - 1);
}

TEST(DeviceLimits, ASecondAtTheSteadyRateIsNeverRefused) {
  DeviceLimits limits;
  const DeviceLimitsConfig config;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limits.allow_intent("partner-b", kStart + config.intent_every * i)) << i;
  }
}

TEST(DeviceLimits, ItsTableStaysBounded) {
  DeviceLimits limits;
  for (int i = 0; i < 10'000; ++i) limits.allow_intent("device-" + std::to_string(i), kStart + 1s * i);
  EXPECT_LE(limits.tracked_devices(), DeviceLimitsConfig{}.max_devices);
}

TEST(DeviceLimits, ADeclinedDeviceStaysDeclinedUntilANewSession) {
  DeviceLimits limits;
  EXPECT_FALSE(limits.is_declined("stranger"));
  limits.declined("stranger");
  EXPECT_TRUE(limits.is_declined("stranger"));
  EXPECT_FALSE(limits.is_declined("partner-b"));
  limits.clear_declined();
  EXPECT_FALSE(limits.is_declined("stranger"));
}

TEST(DeviceLimits, TheWordsAreWarmAndSayWhatToDo) {
  EXPECT_NE(too_fast_message().find("wait a moment"), std::string::npos);
  EXPECT_NE(declined_message().find("can't join"), std::string::npos);
}

}  // namespace
}  // namespace attune::host
