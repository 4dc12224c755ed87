// While a headless peer runs, a reminder whose moment comes is brought (and
// its desktop notification sent) within a quarter second. One small thread
// that wakes four times a second and stops when the watch goes.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "remind/reminder_due.hpp"

namespace attune::remind {

class ReminderWatch {
 public:
  using OnDue = std::function<void(const DueReminder&)>;
  ReminderWatch(std::filesystem::path data_dir, OnDue on_due);
  ~ReminderWatch();
  ReminderWatch(const ReminderWatch&) = delete;
  ReminderWatch& operator=(const ReminderWatch&) = delete;

 private:
  void run();
  std::filesystem::path data_dir_;
  OnDue on_due_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace attune::remind
