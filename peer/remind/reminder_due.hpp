// Bringing a reminder whose moment has come: take it from the store (it is
// recorded as shown, so it comes once), word it in local time, and send the
// desktop notification. Both front doors use this; each then shows it its
// own way (a JSON line, or the window's card).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "remind/desktop_notifier.hpp"
#include "remind/reminder_store.hpp"

namespace attune::remind {

struct DueReminder {
  Reminder reminder;
  Words words;
  std::string at_local;  // The agreed moment in this device's own time.
  NotifyResult notified = NotifyResult::NoBus;
};

// "19:30" today, else "Tue 3 Dec, 19:30", in local time.
std::string local_moment(int64_t at_utc_ms, int64_t now_ms);

// The words a reminder shows on this device.
Words words_for(const Reminder& r, int64_t now_ms);

// The reminder due now, taken and notified; nullopt when none is due.
std::optional<DueReminder> bring_due(ReminderStore& store, int64_t now_ms, bool notify = true);

}  // namespace attune::remind
