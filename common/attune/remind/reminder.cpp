#include "attune/remind/reminder.hpp"

#include <algorithm>

#include "attune/text.hpp"

namespace attune::remind {

std::optional<Problem> check_appointment(const Appointment& a) {
  if (a.id.empty() || a.id.size() > kMaxIdBytes || !is_valid_utf8(a.id))
    return Problem{"That appointment has no usable id."};
  if (a.partner_device_id.empty() || a.partner_device_id.size() > kMaxIdBytes || !is_valid_utf8(a.partner_device_id))
    return Problem{"That appointment doesn't say which paired device it is with."};
  if (a.partner_name.size() > kMaxNameBytes || !is_valid_utf8(a.partner_name))
    return Problem{"Your partner's name there is too long or isn't readable text."};
  if (a.at_utc_ms <= 0) return Problem{"That appointment has no time."};
  return std::nullopt;
}

namespace {

bool waiting(const Reminder& r) { return !r.shown() && !r.dismissed; }

}  // namespace

std::optional<std::string> reminder_due(const std::vector<Reminder>& reminders, int64_t now_ms) {
  const Reminder* due = nullptr;
  for (const Reminder& r : reminders) {
    const int64_t at = r.appointment.at_utc_ms;
    if (!waiting(r) || now_ms < at || now_ms - at > kStaleAfterMs) continue;
    if (!due || at < due->appointment.at_utc_ms) due = &r;
  }
  if (!due) return std::nullopt;
  return due->appointment.id;
}

std::vector<std::string> reminders_showing(const std::vector<Reminder>& reminders) {
  std::vector<const Reminder*> on;
  for (const Reminder& r : reminders)
    if (r.shown() && !r.dismissed) on.push_back(&r);
  std::stable_sort(on.begin(), on.end(), [](const Reminder* a, const Reminder* b) {
    return a->appointment.at_utc_ms < b->appointment.at_utc_ms;
  });
  std::vector<std::string> ids;
  for (const Reminder* r : on) ids.push_back(r->appointment.id);
  return ids;
}

std::optional<int64_t> next_reminder_at(const std::vector<Reminder>& reminders, int64_t now_ms) {
  std::optional<int64_t> next;
  for (const Reminder& r : reminders) {
    const int64_t at = r.appointment.at_utc_ms;
    if (!waiting(r) || now_ms - at > kStaleAfterMs) continue;
    if (!next || at < *next) next = at;
  }
  return next;
}

Words reminder_words(std::string_view partner_name, std::string_view local_time) {
  const std::string who = partner_name.empty() ? std::string("your partner") : clean_name(partner_name);
  return {"Time to come back to each other",
          "You and " + who + " chose " + std::string(local_time) +
              " to talk. Whenever you're both ready, one tap starts your session."};
}

StartRole start_role(LastPairing last, std::string_view my_device_id, std::string_view partner_device_id) {
  switch (last) {
    case LastPairing::ThisDeviceJoined: return StartRole::Join;
    case LastPairing::ThisDeviceHosted: return StartRole::Host;
    case LastPairing::Unknown: break;
  }
  return my_device_id <= partner_device_id ? StartRole::Host : StartRole::Join;
}

}  // namespace attune::remind
