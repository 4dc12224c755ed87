// The one gentle follow-up, on a fake clock: it comes once a rupture has
// waited longer than the chosen gap, never again, not after a dismissal,
// not when turned off, and never for a repaired one.
#include "attune/journal/follow_up.hpp"

#include <gtest/gtest.h>

namespace attune::journal {
namespace {

constexpr int64_t kStart = 1'800'000'000'000;
constexpr int64_t kHour = 60LL * 60 * 1000;

// A fake clock: time moves only when the test says so.
struct FakeClock {
  int64_t now = kStart;
  void advance(int64_t ms) { now += ms; }
};

Rupture open_rupture(int64_t id, int64_t happened_ms) {
  Rupture r;
  r.id = id;
  r.happened_ms = happened_ms;
  r.noted_ms = happened_ms;
  r.what = "words";
  return r;
}

TEST(GentleFollowUp, ComesOnlyAfterTheDefaultTwoDays) {
  FakeClock clock;
  std::vector<Rupture> journal{open_rupture(1, clock.now)};
  const FollowUpSettings settings;
  EXPECT_EQ(settings.gap_ms, 2 * kDayMs);
  clock.advance(2 * kDayMs - 1);
  EXPECT_EQ(follow_up_due(journal, settings, clock.now), std::nullopt) << "a moment before the gap";
  clock.advance(1);
  EXPECT_EQ(follow_up_due(journal, settings, clock.now), 1);
}

TEST(GentleFollowUp, ComesOnceAndIsNeverRepeated) {
  FakeClock clock;
  std::vector<Rupture> journal{open_rupture(1, clock.now)};
  clock.advance(3 * kDayMs);
  ASSERT_EQ(follow_up_due(journal, {}, clock.now), 1);
  journal[0].follow_up_shown_ms = clock.now;  // What the shell records when it shows it.
  EXPECT_EQ(follow_up_showing(journal, {}), 1) << "it stays until dismissed";
  for (int day = 0; day < 30; ++day) {
    clock.advance(kDayMs);
    EXPECT_EQ(follow_up_due(journal, {}, clock.now), std::nullopt) << "repeated on day " << day;
  }
  journal[0].follow_up_dismissed = true;
  EXPECT_EQ(follow_up_showing(journal, {}), std::nullopt) << "dismissed means gone";
  EXPECT_EQ(follow_up_due(journal, {}, clock.now), std::nullopt);
}

TEST(GentleFollowUp, TurnedOffMeansNoneAtAll) {
  FakeClock clock;
  std::vector<Rupture> journal{open_rupture(1, clock.now)};
  clock.advance(10 * kDayMs);
  FollowUpSettings off;
  off.enabled = false;
  EXPECT_EQ(follow_up_due(journal, off, clock.now), std::nullopt);
  journal[0].follow_up_shown_ms = clock.now;
  EXPECT_EQ(follow_up_showing(journal, off), std::nullopt) << "turning it off hides one already showing";
}

TEST(GentleFollowUp, ARepairedRuptureNeedsNoFollowUp) {
  FakeClock clock;
  std::vector<Rupture> journal{open_rupture(1, clock.now)};
  journal[0].repair = Repair{RepairWay::TalkedThrough, "", clock.now + kHour};
  clock.advance(5 * kDayMs);
  EXPECT_EQ(follow_up_due(journal, {}, clock.now), std::nullopt);
  journal[0].follow_up_shown_ms = clock.now;
  EXPECT_EQ(follow_up_showing(journal, {}), std::nullopt);
}

TEST(GentleFollowUp, TheChosenGapIsRespectedAndChecked) {
  FakeClock clock;
  std::vector<Rupture> journal{open_rupture(1, clock.now)};
  FollowUpSettings week;
  week.gap_ms = 7 * kDayMs;
  clock.advance(3 * kDayMs);
  EXPECT_EQ(follow_up_due(journal, week, clock.now), std::nullopt);
  clock.advance(4 * kDayMs);
  EXPECT_EQ(follow_up_due(journal, week, clock.now), 1);
  EXPECT_TRUE(check_gap(10 * 60'000).has_value());
  EXPECT_TRUE(check_gap(61 * kDayMs).has_value());
  EXPECT_FALSE(check_gap(kDayMs).has_value());
  FollowUpSettings nonsense;
  nonsense.gap_ms = 0;
  EXPECT_EQ(follow_up_due(journal, nonsense, clock.now), std::nullopt) << "a bad gap never floods";
}

TEST(GentleFollowUp, OneAtATimeTheLongestWaitingFirst) {
  FakeClock clock;
  std::vector<Rupture> journal{open_rupture(1, clock.now + kHour), open_rupture(2, clock.now)};
  clock.advance(3 * kDayMs);
  ASSERT_EQ(follow_up_due(journal, {}, clock.now), 2);
  journal[1].follow_up_shown_ms = clock.now;
  EXPECT_EQ(follow_up_due(journal, {}, clock.now), 1) << "the next one has its own single follow-up";
}

TEST(GentleFollowUp, TheWordsInviteAndNeverBlame) {
  const Rupture r = open_rupture(1, kStart);
  const std::string words = follow_up_words(r, "Tuesday", kStart + 3 * kDayMs);
  EXPECT_NE(words.find("3 days"), std::string::npos) << words;
  EXPECT_NE(words.find("Tuesday"), std::string::npos) << words;
  for (const char* blame : {"should", "you never", "failed", "still haven't", "ignored", "must", "your fault"})
    EXPECT_EQ(words.find(blame), std::string::npos) << "'" << blame << "' in: " << words;
}

}  // namespace
}  // namespace attune::journal
