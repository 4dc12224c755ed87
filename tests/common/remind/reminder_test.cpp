// The reminder at the agreed time, on a fake clock: it comes at the agreed
// moment and not before, once, never after a dismissal; the moment is UTC, so
// one device's clock or time zone can't move it; its words say nothing
// intimate; and "Start now" picks host or join so the two devices meet.
#include "attune/remind/reminder.hpp"

#include <gtest/gtest.h>

namespace attune::remind {
namespace {

constexpr int64_t kAgreed = 1'800'000'000'000;  // The agreed moment, UTC ms.
constexpr int64_t kMinute = 60'000;

struct FakeClock {
  int64_t now = kAgreed - 30 * kMinute;
  void advance(int64_t ms) { now += ms; }
};

Reminder waiting(const std::string& id, int64_t at) { return Reminder{{id, "dev-sam", "Sam", at}, 0, false}; }

// What a device's store does when the reminder comes: it is marked shown.
void show(std::vector<Reminder>& all, const std::string& id, int64_t now) {
  for (auto& r : all)
    if (r.appointment.id == id) r.shown_ms = now;
}

TEST(AgreedReminder, ComesAtTheAgreedMomentNotBefore) {
  FakeClock clock;
  std::vector<Reminder> all{waiting("a1", kAgreed)};
  EXPECT_FALSE(reminder_due(all, clock.now));
  clock.advance(30 * kMinute - 1);
  EXPECT_FALSE(reminder_due(all, clock.now));
  clock.advance(1);
  EXPECT_EQ(reminder_due(all, clock.now), "a1");
  EXPECT_EQ(next_reminder_at(all, kAgreed - kMinute), kAgreed);
}

TEST(AgreedReminder, ComesOnceEvenWhenTheClockGoesBack) {
  FakeClock clock;
  clock.now = kAgreed;
  std::vector<Reminder> all{waiting("a1", kAgreed)};
  ASSERT_EQ(reminder_due(all, clock.now), "a1");
  show(all, "a1", clock.now);
  EXPECT_FALSE(reminder_due(all, clock.now));
  // The clock is set back an hour, then forward again past the moment: no repeat.
  clock.advance(-60 * kMinute);
  EXPECT_FALSE(reminder_due(all, clock.now));
  clock.advance(120 * kMinute);
  EXPECT_FALSE(reminder_due(all, clock.now));
  EXPECT_EQ(reminders_showing(all), std::vector<std::string>{"a1"});
  EXPECT_FALSE(next_reminder_at(all, clock.now));
}

TEST(AgreedReminder, DismissedNeverComesAndLeavesTheScreen) {
  std::vector<Reminder> all{waiting("a1", kAgreed), waiting("a2", kAgreed + kMinute)};
  all[0].dismissed = true;
  EXPECT_EQ(reminder_due(all, kAgreed + 2 * kMinute), "a2");
  show(all, "a2", kAgreed + 2 * kMinute);
  EXPECT_EQ(reminders_showing(all), std::vector<std::string>{"a2"});
  all[1].dismissed = true;
  EXPECT_TRUE(reminders_showing(all).empty());
  EXPECT_FALSE(reminder_due(all, kAgreed + 3 * kMinute));
}

TEST(AgreedReminder, EarliestFirstOneAtATime) {
  std::vector<Reminder> all{waiting("later", kAgreed + 5 * kMinute), waiting("sooner", kAgreed)};
  const int64_t now = kAgreed + 10 * kMinute;
  ASSERT_EQ(reminder_due(all, now), "sooner");
  show(all, "sooner", now);
  EXPECT_EQ(reminder_due(all, now), "later");
}

TEST(AgreedReminder, ADeviceOffAtTheTimeStillGetsItThatDayButNotNextWeek) {
  std::vector<Reminder> all{waiting("a1", kAgreed)};
  EXPECT_EQ(reminder_due(all, kAgreed + 3 * 60 * kMinute), "a1");
  EXPECT_FALSE(reminder_due(all, kAgreed + kStaleAfterMs + 1));
  EXPECT_FALSE(next_reminder_at(all, kAgreed + kStaleAfterMs + 1));
}

// Each device compares the same UTC moment with its own clock: a device whose
// clock runs ten minutes fast reminds ten minutes early by the other's clock,
// but the stored moment, the thing both agreed, is the same number on both.
TEST(AgreedReminder, OneDevicesClockDoesntMoveTheOthersMoment) {
  const std::vector<Reminder> alex{waiting("a1", kAgreed)};
  const std::vector<Reminder> sam{waiting("a1", kAgreed)};
  const int64_t true_now = kAgreed - 5 * kMinute;
  const int64_t alex_fast_clock = true_now + 10 * kMinute;
  EXPECT_EQ(reminder_due(alex, alex_fast_clock), "a1");
  EXPECT_FALSE(reminder_due(sam, true_now));
  EXPECT_EQ(reminder_due(sam, true_now + 5 * kMinute), "a1");
  EXPECT_EQ(sam[0].appointment.at_utc_ms, alex[0].appointment.at_utc_ms);
}

TEST(AgreedReminder, WordsAreWarmAndCarryNothingIntimate) {
  const Words w = reminder_words("Sam", "19:30");
  EXPECT_EQ(w.summary, "Time to come back to each other");
  EXPECT_NE(w.body.find("Sam"), std::string::npos);
  EXPECT_NE(w.body.find("19:30"), std::string::npos);
  for (const char* word : {"journal", "rupture", "invitation", "fight", "hurt", "Tuesday"}) {
    EXPECT_EQ(w.summary.find(word), std::string::npos) << word;
    EXPECT_EQ(w.body.find(word), std::string::npos) << word;
  }
  EXPECT_NE(reminder_words("", "19:30").body.find("your partner"), std::string::npos);
  // A name with control characters is shown cleaned.
  EXPECT_EQ(reminder_words("Sa\x1bm", "19:30").body.find('\x1b'), std::string::npos);
}

TEST(AgreedReminder, BadAppointmentsAreRefusedInPlainWords) {
  Appointment good{"a1", "dev-sam", "Sam", kAgreed};
  EXPECT_FALSE(check_appointment(good));
  auto bad = good;
  bad.id.clear();
  EXPECT_TRUE(check_appointment(bad));
  bad = good;
  bad.partner_device_id.clear();
  EXPECT_TRUE(check_appointment(bad));
  bad = good;
  bad.partner_name = std::string(kMaxNameBytes + 1, 'x');
  EXPECT_TRUE(check_appointment(bad));
  bad = good;
  bad.partner_name = "\xff\xfe";
  EXPECT_TRUE(check_appointment(bad));
  bad = good;
  bad.at_utc_ms = 0;
  EXPECT_TRUE(check_appointment(bad));
}

// The part each took in their latest code pairing decides; pins that don't
// say let the id that sorts first host. Either way the two reach opposite roles.
TEST(AgreedReminder, StartNowOneHostsTheOtherJoins) {
  EXPECT_EQ(start_role(LastPairing::ThisDeviceJoined, "dev-sam", "dev-alex"), StartRole::Join);   // Sam
  EXPECT_EQ(start_role(LastPairing::ThisDeviceHosted, "dev-alex", "dev-sam"), StartRole::Host);   // Alex
  EXPECT_EQ(start_role(LastPairing::ThisDeviceJoined, "dev-alex", "dev-sam"), StartRole::Join);   // Either id order.
  EXPECT_EQ(start_role(LastPairing::Unknown, "dev-alex", "dev-sam"), StartRole::Host);
  EXPECT_EQ(start_role(LastPairing::Unknown, "dev-sam", "dev-alex"), StartRole::Join);
  EXPECT_EQ(start_role(LastPairing::Unknown, "dev-B", "dev-a"), StartRole::Host);  // Bytes: 'B' < 'a'.
  EXPECT_EQ(start_role(LastPairing::Unknown, "dev-a", "dev-B"), StartRole::Join);
}

}  // namespace
}  // namespace attune::remind
