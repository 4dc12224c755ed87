// The reminder card through the real views and real clicks, under a virtual
// display: nothing before the agreed moment, a calm card at it, "Start now"
// asks for the session with the partner's device, "Not now" puts it away for
// good. The reminder watch (as the window runs it) brings it and sends the
// desktop notification on its own thread; the card reads the file on a
// change, never per frame, and says so in words when it can't. PNGs land in
// <build>/screenshots.
#include <atomic>
#include <chrono>

#include "peer_process.hpp"
#include "remind/reminder_store.hpp"
#include "remind/reminder_watch.hpp"
#include "screen_test.hpp"
#include "silent_notifier.hpp"
#include "sql_reads.hpp"

namespace attune::app {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kAgreed = 1'800'000'000'000;

class ReminderScreens : public ScreenTest {
 protected:
  void SetUp() override {
    test::SqlReads::install();
    open_window("Attune reminder");
    std::string error;
    store_ = remind::ReminderStore::open(remind::reminder_file(dir_.path()), &error);
    ASSERT_TRUE(store_) << error;
    remind::ReminderWatch::Options options;
    options.clock = [this] { return clock_.load(); };
    options.on_taken = [this] { ++brought_; };  // As the window has it.
    watch_ = std::make_unique<remind::ReminderWatch>(dir_.path(), [](const remind::DueReminder&) {}, options);
  }
  void TearDown() override { watch_.reset(); }
  void prepare(FrameContext& ctx) override {
    ctx.dispatch.reminders = store_.get();
    ctx.dispatch.reminders_brought = brought_;
    ctx.dispatch.start_with_partner = [this](const std::string& partner, const std::string& name) {
      started_.emplace_back(partner, name);
    };
  }
  // The watch's clock moves to `now`; true once it brought `count` reminders in all.
  bool watch_brings(int64_t now, uint64_t count) {
    clock_ = now;
    watch_->look_now();
    const auto until = Clock::now() + std::chrono::seconds(10);
    while (brought_ < count && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return brought_ >= count;
  }

  test::TempDir dir_;
  std::unique_ptr<remind::ReminderStore> store_;
  std::atomic<int64_t> clock_{0};
  std::atomic<uint64_t> brought_{0};
  std::unique_ptr<remind::ReminderWatch> watch_;
  std::vector<std::pair<std::string, std::string>> started_;
};

TEST_F(ReminderScreens, TheCardComesAtTheAgreedTimeAndStartsWithThePartner) {
  ASSERT_FALSE(store_->add({"after-dinner", "dev-sam", "Sam", kAgreed}));
  UiState ui;
  ui.display_name = "Alex";
  clock_ = kAgreed - 60'000;
  watch_->look_now();
  frames(ui, kAgreed - 60'000);
  EXPECT_FALSE(shows("Time to come back to each other")) << "a minute early";
  ASSERT_TRUE(watch_brings(kAgreed + 1000, 1));
  frames(ui, kAgreed + 1000, "reminder-1-card");
  ASSERT_TRUE(shows("Time to come back to each other")) << "it shows on the frame after it came";
  EXPECT_TRUE(shows("Sam"));
  for (const char* intimate : {"journal", "rupture", "invitation"}) EXPECT_FALSE(shows(intimate)) << intimate;
  click(ui, kAgreed + 2000, "Start now");
  ASSERT_EQ(started_.size(), 1u);
  EXPECT_EQ(started_[0].first, "dev-sam");
  EXPECT_EQ(started_[0].second, "Alex");
}

TEST_F(ReminderScreens, NotNowPutsItAwayAndItNeverComesBack) {
  ASSERT_FALSE(store_->add({"after-dinner", "dev-sam", "Sam", kAgreed}));
  ASSERT_TRUE(watch_brings(kAgreed, 1));
  UiState ui;
  frames(ui, kAgreed, "reminder-2-no-name");
  ASSERT_TRUE(shows("Time to come back to each other"));
  EXPECT_TRUE(shows("Add your name below, then start.")) << "Start now needs a name first";
  click(ui, kAgreed, "Not now");
  EXPECT_FALSE(shows("Time to come back to each other")) << "put away at once";
  // The window opens again later (a restart): still put away.
  std::string error;
  store_ = remind::ReminderStore::open(remind::reminder_file(dir_.path()), &error);
  UiState fresh;
  time_s_ += 10;
  frames(fresh, kAgreed + 60'000);
  EXPECT_FALSE(shows("Time to come back to each other"));
}

// No SQLite per frame: over three seconds of frames, the card reads the
// reminders file on its timer only.
TEST_F(ReminderScreens, TheCardReadsTheFileOnAChangeNotEveryFrame) {
  ASSERT_FALSE(store_->add({"after-dinner", "dev-sam", "Sam", kAgreed}));
  ASSERT_TRUE(watch_brings(kAgreed, 1));
  UiState ui;
  frames(ui, kAgreed);
  test::SqlReads::reset();
  frames(ui, kAgreed, "", 60);
  EXPECT_TRUE(shows("Time to come back to each other"));
  EXPECT_LE(test::SqlReads::count("reminders.db"), 2) << "60 frames read the file that often";
}

TEST_F(ReminderScreens, AFileThatCantBeReadIsSaidInWords) {
  UiState ui;
  frames(ui, kAgreed);
  watch_.reset();
  ASSERT_TRUE(test::SqlReads::spoil(remind::reminder_file(dir_.path()).string(), "appointments"));
  time_s_ += 3;
  frames(ui, kAgreed, "reminder-3-cant-read");
  EXPECT_TRUE(shows("Your reminders couldn't be read just now")) << "not silence";
}

// A notification server that never answers holds up no frame: the watch
// waits on it on its own thread, and the card shows meanwhile.
TEST_F(ReminderScreens, ASlowNotificationServerNeverHoldsUpAFrame) {
  test::PrivateBus bus;
  if (bus.address().empty()) GTEST_SKIP() << "needs dbus-daemon (scripts/install-deps.sh installs it)";
  setenv("DBUS_SESSION_BUS_ADDRESS", bus.address().c_str(), 1);
  test::SilentNotifier server(bus.address());
  const auto ready_by = Clock::now() + std::chrono::seconds(10);
  while (!server.ready() && Clock::now() < ready_by) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(server.ready());
  ASSERT_FALSE(store_->add({"after-dinner", "dev-sam", "Sam", kAgreed}));
  UiState ui;
  ui.display_name = "Alex";
  frames(ui, kAgreed - 1000);
  clock_ = kAgreed + 1000;
  watch_->look_now();
  double slowest_s = 0;
  const auto until = Clock::now() + std::chrono::seconds(8);
  while ((server.calls() == 0 || !shows("Time to come back to each other")) && Clock::now() < until) {
    const auto start = Clock::now();
    frames(ui, kAgreed + 1000, "", 1);
    slowest_s = std::max(slowest_s, std::chrono::duration<double>(Clock::now() - start).count());
  }
  EXPECT_EQ(server.calls(), 1) << "the notification went out once";
  EXPECT_TRUE(shows("Time to come back to each other"));
  EXPECT_LT(slowest_s, 0.5) << "a frame waited on the notification server";
  watch_.reset();  // Waits out the server's silence, off the frames.
  unsetenv("DBUS_SESSION_BUS_ADDRESS");
}

}  // namespace
}  // namespace attune::app
