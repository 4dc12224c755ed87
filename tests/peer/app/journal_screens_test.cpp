// The journal's screens through the real views and real clicks, under a
// virtual display: the start screen's way in and its one gentle follow-up,
// noting a rupture, marking it repaired. PNGs land in <build>/screenshots.
#include <GLFW/glfw3.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "screen_test.hpp"
#include "journal/journal_store.hpp"
#include "journal/local_time.hpp"
#include "peer_process.hpp"

namespace attune::app {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kDay = journal::kDayMs;

class JournalScreens : public ScreenTest {
 protected:
  void SetUp() override {
    open_window("Attune journal");
    std::string error;
    store_ = journal::JournalStore::open(journal::journal_file(dir_.path()), &error);
    ASSERT_TRUE(store_) << error;
  }
  void prepare(FrameContext& ctx) override {
    ctx.dispatch.journal = store_.get();
    ctx.dispatch.load_history = [this] { return history_; };
  }
  journal::Rupture note(const std::string& what, int64_t happened_ms) {
    journal::Draft d;
    d.what = what;
    d.happened_ms = happened_ms;
    d.underneath = {"fear", "to be heard"};
    return std::get<journal::Rupture>(store_->note(d, happened_ms));
  }

  test::TempDir dir_;
  std::unique_ptr<journal::JournalStore> store_;
  std::vector<HistoryEntry> history_;
};

TEST_F(JournalScreens, NotingARuptureTakesSecondsAndStaysOnThisDevice) {
  UiState ui;
  ui.display_name = "Alex";
  frames(ui, kNow, "journal-1-start");
  EXPECT_FALSE(shows("A gentle nudge")) << "nothing is open, so there is nothing to follow up";
  click(ui, kNow, "My private journal");
  ASSERT_EQ(ui.start_panel, StartPanel::Journal);
  EXPECT_TRUE(shows("never sent to anyone"));
  frames(ui, kNow, "journal-2-empty");

  click(ui, kNow, "Big");
  click(ui, kNow, "Yesterday");
  click(ui, kNow, "fear");
  click(ui, kNow, "to be heard");
  click(ui, kNow, "Keep this note");
  EXPECT_TRUE(shows("Write a few words")) << "an empty note gets a kind word, not a crash";
  EXPECT_TRUE(store_->list().empty());
  ui.journal.what = "I went quiet when you asked about the weekend, and then I left the room.";
  frames(ui, kNow, "journal-3-writing");
  click(ui, kNow, "Keep this note");
  const auto all = store_->list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].what, "I went quiet when you asked about the weekend, and then I left the room.");
  EXPECT_EQ(all[0].size, journal::Size::Big);
  EXPECT_EQ(all[0].happened_ms, kNow - kDay);
  EXPECT_EQ(all[0].underneath, (std::vector<std::string>{"fear", "to be heard"}));
  EXPECT_TRUE(ui.journal.what.empty()) << "the box is ready for the next one";
  frames(ui, kNow, "journal-4-noted");
  EXPECT_TRUE(shows("open for 1 day"));
}

TEST_F(JournalScreens, MarkingRepairedByASessionOrByTalkingShowsTheTimeItTook) {
  note("A sharp word at breakfast about the bins.", kNow - 3 * kDay);
  note("The long silence after the phone call on Sunday.", kNow - 2 * kDay);
  HistoryEntry session;
  session.session_id = "s-evening";
  session.session_name = "Evening talk";
  session.started_ms = kNow - kDay - 3600'000;
  session.ended_ms = kNow - kDay;
  history_ = {session};
  ASSERT_FALSE(store_->set_follow_up(journal::FollowUpSettings{false, journal::kDefaultGapMs}));
  UiState ui;
  ui.start_panel = StartPanel::Journal;
  frames(ui, kNow);
  click(ui, kNow, "A session helped");
  EXPECT_TRUE(shows("Which session helped?"));
  click(ui, kNow, "Evening talk, " + journal::local_date_time(session.ended_ms));
  click(ui, kNow, "We talked it through");
  const journal::History h = journal::history_of(store_->list());
  ASSERT_EQ(h.repaired.size(), 2u);
  ASSERT_EQ(h.open.size(), 0u);
  EXPECT_EQ(h.repaired[1].repair->session_id, "s-evening");
  EXPECT_EQ(journal::time_to_repair(h.repaired[1]), 2 * kDay);
  note("I forgot the thing I promised to bring.", kNow - 5 * 3600'000);
  frames(ui, kNow, "journal-5-open-and-repaired");
  EXPECT_TRUE(shows("repaired after 2 days, in a session"));
  EXPECT_TRUE(shows("you talked it through"));
  EXPECT_TRUE(shows("open for 5 hours"));

  // The follow-up's own settings, at the end of the screen.
  const std::string remind = "If something is still open after a while, remind me once, here only";
  click(ui, kNow, remind);
  EXPECT_TRUE(store_->follow_up_settings().enabled);
  click(ui, kNow, "a week");
  EXPECT_EQ(store_->follow_up_settings().gap_ms, 7 * kDay);
  frames(ui, kNow, "journal-8-follow-up-settings");
  click(ui, kNow, remind);
  EXPECT_FALSE(store_->follow_up_settings().enabled);
  EXPECT_EQ(window_->drawn().button("a week"), nullptr) << "no gap to choose while it is off";
}

TEST_F(JournalScreens, RemoveAsksOnceCalmlyAndThenTheEntryIsGoneForGood) {
  note("A sharp word at breakfast about the bins.", kNow - 3 * kDay);
  note("The long silence after the phone call on Sunday.", kNow - 2 * kDay);
  ASSERT_FALSE(store_->set_follow_up(journal::FollowUpSettings{false, journal::kDefaultGapMs}));
  UiState ui;
  ui.start_panel = StartPanel::Journal;
  frames(ui, kNow);
  click(ui, kNow, "Remove");
  EXPECT_TRUE(shows("gone from this device for good"));
  EXPECT_EQ(store_->list().size(), 2u) << "asking is not removing";
  frames(ui, kNow, "journal-8-remove-asks");
  click(ui, kNow, "Keep it");
  EXPECT_FALSE(shows("gone from this device for good"));
  EXPECT_EQ(store_->list().size(), 2u);
  click(ui, kNow, "Remove");
  click(ui, kNow, "Yes, remove it");
  const auto left = store_->list();
  ASSERT_EQ(left.size(), 1u);
  frames(ui, kNow, "journal-9-removed");
  const std::string gone = left[0].what == "A sharp word at breakfast about the bins."
                               ? "The long silence after the phone call on Sunday."
                               : "A sharp word at breakfast about the bins.";
  EXPECT_FALSE(shows(gone));
  EXPECT_TRUE(shows(left[0].what));
  EXPECT_FALSE(shows("gone from this device for good"));
}

TEST_F(JournalScreens, TheFollowUpComesOnceAndCanBePutAwayOrTurnedOff) {
  const auto r = note("We left the party without talking.", kNow - 3 * kDay);
  UiState ui;
  frames(ui, kNow - kDay - 3600'000);
  EXPECT_FALSE(shows("A gentle nudge")) << "too soon: open for 47 hours";
  time_s_ += 120;  // The window looks again a minute or more later.
  frames(ui, kNow, "journal-6-follow-up-start");
  ASSERT_TRUE(shows("A gentle nudge")) << "after two days it comes, on the start screen";
  EXPECT_TRUE(shows("It's been 3 days"));
  for (const char* blame : {"should", "failed", "your fault", "still haven't"}) EXPECT_FALSE(shows(blame)) << blame;
  click(ui, kNow, "Open my journal");
  EXPECT_EQ(ui.start_panel, StartPanel::Journal);
  EXPECT_TRUE(shows("A gentle nudge")) << "it stays until it is put away";
  frames(ui, kNow, "journal-7-follow-up-journal");
  click(ui, kNow, "Thanks, put this away");
  EXPECT_FALSE(shows("A gentle nudge"));
  time_s_ += 120;
  frames(ui, kNow + 10 * kDay);
  EXPECT_FALSE(shows("A gentle nudge")) << "never repeated";
  ASSERT_TRUE(store_->find(r.id)->follow_up_dismissed);

  note("Another cold goodbye.", kNow);
  time_s_ += 120;
  ui.start_panel = StartPanel::Home;
  frames(ui, kNow + 3 * kDay);
  ASSERT_TRUE(shows("A gentle nudge"));
  click(ui, kNow + 3 * kDay, "Turn these reminders off");
  EXPECT_FALSE(store_->follow_up_settings().enabled);
  EXPECT_FALSE(shows("A gentle nudge"));
}

// "When was it?" and "How big?" use the app's radio: a dot sized to its words.
TEST_F(JournalScreens, TheJournalsRadioDotsAreSizedToTheirText) {
  UiState ui;
  ui.start_panel = StartPanel::Journal;
  frames(ui, kNow, "journal-radios");
  const auto& regions = window_->regions();
  ASSERT_TRUE(regions.count("journal_radio_dot")) << "\"When was it?\" has no radio dot of the app's own";
  const float dot = regions.at("journal_radio_dot").max.y - regions.at("journal_radio_dot").min.y;
  const float body = window_->fonts_in_use().body->FontSize;
  EXPECT_TRUE(dot <= body && dot >= body * 0.5f) << "the dot (" << dot << ") isn't sized to its text";
  click(ui, kNow, "Big");
  EXPECT_TRUE(ui.journal.big) << "the radio doesn't pick";
}

}  // namespace
}  // namespace attune::app
