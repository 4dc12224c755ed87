#include "remind/reminder_due.hpp"

#include <ctime>

#include "journal/local_time.hpp"

namespace attune::remind {

namespace {

std::tm local_tm(int64_t utc_ms) {
  const std::time_t t = static_cast<std::time_t>(utc_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::string local_moment(int64_t at_utc_ms, int64_t now_ms) {
  const std::tm at = local_tm(at_utc_ms);
  const std::tm now = local_tm(now_ms);
  if (at.tm_year == now.tm_year && at.tm_yday == now.tm_yday) {
    char buf[16];
    std::strftime(buf, sizeof buf, "%H:%M", &at);
    return buf;
  }
  return journal::local_date_time(at_utc_ms);
}

Words words_for(const Reminder& r, int64_t now_ms) {
  return reminder_words(r.appointment.partner_name, local_moment(r.appointment.at_utc_ms, now_ms));
}

std::optional<DueReminder> bring_due(ReminderStore& store, int64_t now_ms, bool notify) {
  auto taken = store.take_due(now_ms);
  if (!taken) return std::nullopt;
  DueReminder due{*taken, words_for(*taken, now_ms), local_moment(taken->appointment.at_utc_ms, now_ms),
                  NotifyResult::NoBus};
  if (notify) due.notified = notify_desktop({due.words.summary, due.words.body});
  return due;
}

}  // namespace attune::remind
