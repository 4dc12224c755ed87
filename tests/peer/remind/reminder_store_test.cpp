// The reminders' own file: an agreed time is kept once, its reminder comes
// once and stays "shown" across a restart, it is private to its owner, and
// the moment is UTC: changing the time zone changes only how it reads.
#include "remind/reminder_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>

#include "invite/invite_store.hpp"
#include "peer_process.hpp"
#include "time_zone.hpp"
#include "remind/reminder_due.hpp"

namespace attune::remind {
namespace {

constexpr int64_t kAgreed = 1'796'155'200'000;  // 2026-12-01T20:00:00Z.

std::unique_ptr<ReminderStore> open_in(const test::TempDir& dir) {
  std::string error;
  auto store = ReminderStore::open(reminder_file(dir.path()), &error);
  EXPECT_TRUE(store) << error;
  return store;
}

using test::Zone;

TEST(ReminderStore, TheSameAgreedTimeTwiceIsOneReminder) {
  test::TempDir dir;
  auto store = open_in(dir);
  const Appointment a{"dinner", "dev-sam", "Sam", kAgreed};
  ASSERT_FALSE(store->add(a));
  ASSERT_FALSE(store->add(a));
  EXPECT_EQ(store->list().size(), 1u);
  ASSERT_TRUE(store->take_due(kAgreed));
  EXPECT_FALSE(store->take_due(kAgreed + 1));
  // Delivered again (the same agreement): still shown, no second reminder.
  ASSERT_FALSE(store->add(a));
  EXPECT_FALSE(store->take_due(kAgreed + 2));
}

TEST(ReminderStore, ShownSurvivesARestartWithoutRepeating) {
  test::TempDir dir;
  {
    auto store = open_in(dir);
    ASSERT_FALSE(store->add({"dinner", "dev-sam", "Sam", kAgreed}));
    EXPECT_FALSE(store->take_due(kAgreed - 1));
    ASSERT_TRUE(store->take_due(kAgreed + 1000));
  }
  auto again = open_in(dir);
  EXPECT_FALSE(again->take_due(kAgreed + 2000));
  const auto r = again->find("dinner");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->shown_ms, kAgreed + 1000);
  ASSERT_FALSE(again->dismiss("dinner"));
  EXPECT_TRUE(reminders_showing(again->list()).empty());
  EXPECT_TRUE(again->dismiss("no-such"));
}

TEST(ReminderStore, BadInputIsRefusedAndKeepsNothing) {
  test::TempDir dir;
  auto store = open_in(dir);
  EXPECT_TRUE(store->add({"", "dev-sam", "Sam", kAgreed}));
  EXPECT_TRUE(store->add({"x", "", "Sam", kAgreed}));
  EXPECT_TRUE(store->add({"x", "dev-sam", "\xc3", kAgreed}));
  EXPECT_TRUE(store->list().empty());
}

TEST(ReminderStore, TheFileIsItsOwnersAlone) {
  test::TempDir dir;
  auto store = open_in(dir);
  ASSERT_FALSE(store->add({"dinner", "dev-sam", "Sam", kAgreed}));
  struct stat st {};
  ASSERT_EQ(::stat(reminder_file(dir.path()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u);
}

// reminders.db holding someone else's data (here: this device's invitations
// file copied over it) is refused in words, never written into.
TEST(ReminderStore, AFileThatIsNotOursIsRefusedAndLeftAlone) {
  test::TempDir dir;
  {
    std::string error;
    ASSERT_TRUE(invite::InviteStore::open(dir.path(), &error)) << error;
  }
  std::filesystem::copy_file(invite::invite_file(dir.path()), reminder_file(dir.path()));
  std::string error;
  EXPECT_FALSE(ReminderStore::open(reminder_file(dir.path()), &error));
  EXPECT_NE(error.find("isn't a file of reminders Attune made"), std::string::npos) << error;
}

// Alex agreed 21:00 in Berlin (20:00 UTC). The laptop flies to New York: the
// card now reads 15:00, and it still comes at the same moment.
TEST(ReminderStore, AChangeOfTimeZoneMovesOnlyTheWordsNotTheMoment) {
  test::TempDir dir;
  auto store = open_in(dir);
  ASSERT_FALSE(store->add({"dinner", "dev-sam", "Sam", kAgreed}));
  std::string berlin, new_york;
  {
    Zone zone("Europe/Berlin");
    berlin = words_for(*store->find("dinner"), kAgreed - 60'000).body;
    EXPECT_FALSE(store->take_due(kAgreed - 1));
  }
  {
    Zone zone("America/New_York");
    new_york = words_for(*store->find("dinner"), kAgreed - 60'000).body;
    EXPECT_FALSE(store->take_due(kAgreed - 1));
    EXPECT_TRUE(store->take_due(kAgreed));
  }
  EXPECT_NE(berlin.find("21:00"), std::string::npos) << berlin;
  EXPECT_NE(new_york.find("15:00"), std::string::npos) << new_york;
  EXPECT_EQ(store->find("dinner")->appointment.at_utc_ms, kAgreed);
}

}  // namespace
}  // namespace attune::remind
