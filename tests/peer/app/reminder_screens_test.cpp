// The reminder card through the real views and real clicks, under a virtual
// display: nothing before the agreed moment, a calm card at it, "Start now"
// asks for the session with the partner's device, "Not now" puts it away for
// good. PNGs land in <build>/screenshots.
#include "peer_process.hpp"
#include "remind/reminder_store.hpp"
#include "screen_test.hpp"

namespace attune::app {
namespace {

constexpr int64_t kAgreed = 1'800'000'000'000;

class ReminderScreens : public ScreenTest {
 protected:
  void SetUp() override {
    open_window("Attune reminder");
    std::string error;
    store_ = remind::ReminderStore::open(remind::reminder_file(dir_.path()), &error);
    ASSERT_TRUE(store_) << error;
  }
  void prepare(FrameContext& ctx) override {
    ctx.dispatch.reminders = store_.get();
    ctx.dispatch.notify_desktop = false;
    ctx.dispatch.start_with_partner = [this](const std::string& partner, const std::string& name) {
      started_.emplace_back(partner, name);
    };
  }

  test::TempDir dir_;
  std::unique_ptr<remind::ReminderStore> store_;
  std::vector<std::pair<std::string, std::string>> started_;
};

TEST_F(ReminderScreens, TheCardComesAtTheAgreedTimeAndStartsWithThePartner) {
  ASSERT_FALSE(store_->add({"after-dinner", "dev-sam", "Sam", kAgreed}));
  UiState ui;
  ui.display_name = "Alex";
  frames(ui, kAgreed - 60'000);
  EXPECT_FALSE(shows("Time to come back to each other")) << "a minute early";
  time_s_ += 10;  // The window looks again a few seconds later.
  frames(ui, kAgreed + 1000, "reminder-1-card");
  ASSERT_TRUE(shows("Time to come back to each other"));
  EXPECT_TRUE(shows("Sam"));
  for (const char* intimate : {"journal", "rupture", "invitation"}) EXPECT_FALSE(shows(intimate)) << intimate;
  click(ui, kAgreed + 2000, "Start now");
  ASSERT_EQ(started_.size(), 1u);
  EXPECT_EQ(started_[0].first, "dev-sam");
  EXPECT_EQ(started_[0].second, "Alex");
}

TEST_F(ReminderScreens, NotNowPutsItAwayAndItNeverComesBack) {
  ASSERT_FALSE(store_->add({"after-dinner", "dev-sam", "Sam", kAgreed}));
  UiState ui;
  frames(ui, kAgreed, "reminder-2-no-name");
  ASSERT_TRUE(shows("Time to come back to each other"));
  EXPECT_TRUE(shows("Add your name below, then start.")) << "Start now needs a name first";
  click(ui, kAgreed, "Not now");
  EXPECT_FALSE(shows("Time to come back to each other"));
  // The window opens again later (a restart): still put away.
  std::string error;
  store_ = remind::ReminderStore::open(remind::reminder_file(dir_.path()), &error);
  UiState fresh;
  time_s_ += 10;
  frames(fresh, kAgreed + 60'000);
  EXPECT_FALSE(shows("Time to come back to each other"));
}

}  // namespace
}  // namespace attune::app
