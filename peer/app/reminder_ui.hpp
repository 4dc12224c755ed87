// What the reminder card remembers between frames. Plain data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/cached_read.hpp"
#include "attune/remind/reminder.hpp"

namespace attune::app {

struct ReminderUi {
  CachedRead<std::vector<remind::Reminder>> list;  // Read on a change or every few seconds, never per frame.
  uint64_t seen_brought = 0;  // The watch's count of reminders brought, when last read.
  std::string start_error;  // Why "Start now" couldn't start, in plain words.
};

}  // namespace attune::app
