// While a headless peer or the window runs, a reminder whose moment comes is
// brought (and its desktop notification sent) within a quarter second. One
// small thread that wakes four times a second and stops when the watch goes.
// The notification's D-Bus call (bounded, but up to 1.5 s with a slow
// server) is made here, never on the window's frame path; the window's card
// only shows what the store holds.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "invite/invite_store.hpp"
#include "remind/reminder_due.hpp"

namespace attune::remind {

class ReminderWatch {
 public:
  using OnDue = std::function<void(const DueReminder&)>;  // Called on the watch's thread.
  struct Options {
    std::filesystem::path reminder_file;  // Empty: data_dir's reminders.db.
    std::function<int64_t()> clock;       // UTC ms; empty: the reminders' clock.
    // A reminder was just taken (recorded as shown), before its notification
    // goes: the window's card can show it without waiting on D-Bus.
    std::function<void()> on_taken;
  };
  ReminderWatch(std::filesystem::path data_dir, OnDue on_due);
  ReminderWatch(std::filesystem::path data_dir, OnDue on_due, Options options);
  ~ReminderWatch();
  ReminderWatch(const ReminderWatch&) = delete;
  ReminderWatch& operator=(const ReminderWatch&) = delete;

  // Look now rather than at the next quarter second.
  void look_now();

 private:
  void run();
  void look(std::unique_ptr<ReminderStore>& store, std::unique_ptr<invite::InviteStore>& invitations);
  std::filesystem::path data_dir_;
  OnDue on_due_;
  Options options_;
  bool look_now_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace attune::remind
