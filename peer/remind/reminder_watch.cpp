#include "remind/reminder_watch.hpp"

#include "remind/agreed_times.hpp"
#include "remind/remind_clock.hpp"

namespace attune::remind {

ReminderWatch::ReminderWatch(std::filesystem::path data_dir, OnDue on_due)
    : ReminderWatch(std::move(data_dir), std::move(on_due), Options{}) {}

ReminderWatch::ReminderWatch(std::filesystem::path data_dir, OnDue on_due, Options options)
    : data_dir_(std::move(data_dir)), on_due_(std::move(on_due)), options_(std::move(options)) {
  if (options_.reminder_file.empty()) options_.reminder_file = reminder_file(data_dir_);
  if (!options_.clock) options_.clock = [] { return remind_now_ms(); };
  thread_ = std::thread([this] { run(); });
}

ReminderWatch::~ReminderWatch() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ReminderWatch::look_now() {
  {
    std::lock_guard lock(mutex_);
    look_now_ = true;
  }
  wake_.notify_all();
}

void ReminderWatch::look(std::unique_ptr<ReminderStore>& store, std::unique_ptr<invite::InviteStore>& invitations) {
  std::error_code ec;
  // No reminders and no invitations: nothing to create, nothing to say.
  if (!store && (std::filesystem::exists(options_.reminder_file, ec) ||
                 std::filesystem::exists(invite::invite_file(data_dir_), ec)))
    store = ReminderStore::open(options_.reminder_file, nullptr);
  if (!store) return;
  take_in_agreed_times(*store, data_dir_, invitations);
  // Each is recorded as shown as it is taken; the bound only guards a store that can't record.
  for (std::size_t i = 0; i < kMaxWaiting; ++i) {
    auto due = bring_due(*store, options_.clock(), false);
    if (!due) break;
    if (options_.on_taken) options_.on_taken();
    due->notified = notify_desktop({due->words.summary, due->words.body});
    on_due_(*due);
  }
}

void ReminderWatch::run() {
  std::unique_ptr<ReminderStore> store;
  std::unique_ptr<invite::InviteStore> invitations;  // Where agreed times come from.
  std::unique_lock lock(mutex_);
  while (!stop_) {
    look_now_ = false;
    lock.unlock();
    look(store, invitations);
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_ || look_now_; });
  }
}

}  // namespace attune::remind
