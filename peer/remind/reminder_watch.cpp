#include "remind/reminder_watch.hpp"

#include "remind/agreed_times.hpp"
#include "remind/remind_clock.hpp"

namespace attune::remind {

ReminderWatch::ReminderWatch(std::filesystem::path data_dir, OnDue on_due)
    : data_dir_(std::move(data_dir)), on_due_(std::move(on_due)), thread_([this] { run(); }) {}

ReminderWatch::~ReminderWatch() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ReminderWatch::run() {
  std::unique_ptr<ReminderStore> store;
  std::unique_ptr<invite::InviteStore> invitations;  // Where agreed times come from.
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    const auto file = reminder_file(data_dir_);
    std::error_code ec;
    // No reminders and no invitations: nothing to create, nothing to say.
    if (!store && (std::filesystem::exists(file, ec) || std::filesystem::exists(invite::invite_file(data_dir_), ec)))
      store = ReminderStore::open(file, nullptr);
    if (store) {
      take_in_agreed_times(*store, data_dir_, invitations);
      // Each is recorded as shown as it is taken; the bound only guards a store that can't record.
      for (std::size_t i = 0; i < kMaxWaiting; ++i) {
        const auto due = bring_due(*store, remind_now_ms());
        if (!due) break;
        on_due_(*due);
      }
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; });
  }
}

}  // namespace attune::remind
