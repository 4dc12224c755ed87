// The reminder at the agreed time: both partners' devices show a calm card
// (and, when a notification server runs, a desktop notification) once the
// agreed moment has come. It comes once per appointment (shown_ms is kept and
// it never comes again), it can be dismissed, and its words carry nothing
// intimate: no journal or invitation words, only "time to come back to each
// other". Pure: `now` is passed in; times are UTC milliseconds, so a change
// of time zone or of the other device's clock never moves the agreed moment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attune::remind {

inline constexpr std::size_t kMaxIdBytes = 128;
inline constexpr std::size_t kMaxNameBytes = 64;
// A reminder this late is still worth showing (the device was off at the
// time); one older than this is quietly let go: nobody wants yesterday's
// "it's time" popping up next week.
inline constexpr int64_t kStaleAfterMs = 24LL * 60 * 60 * 1000;
// How many appointments a device keeps waiting at once.
inline constexpr std::size_t kMaxWaiting = 64;

// An agreed time with the partner's paired device. The same fields as
// attune::invite::Appointment (issue 17 item 2): an agreed invitation
// becomes a reminder on each device with ReminderStore::add, field by field
// (peer/remind/reminder_store.hpp); adding it again keeps one.
struct Appointment {
  std::string id;                 // Stable across both devices: adding it twice keeps one.
  std::string partner_device_id;  // The pinned device to start the session with.
  std::string partner_name;       // As this device knows the partner (after pairing).
  int64_t at_utc_ms = 0;
};

struct Reminder {
  Appointment appointment;
  int64_t shown_ms = 0;  // When it came (this device's clock); 0: not yet.
  bool dismissed = false;
  bool shown() const { return shown_ms != 0; }
};

struct Problem {
  std::string message;
};

// Why an appointment can't be kept, in plain words; nullopt when it can.
std::optional<Problem> check_appointment(const Appointment& a);

// The reminder whose moment has come now, if any: at or past its time, never
// shown, not dismissed, not older than kStaleAfterMs. The earliest goes first;
// the others come on later calls, one at a time.
std::optional<std::string> reminder_due(const std::vector<Reminder>& reminders, int64_t now_ms);

// The reminders that came and are still on screen (shown, not dismissed),
// earliest first.
std::vector<std::string> reminders_showing(const std::vector<Reminder>& reminders);

// When the next not-yet-shown reminder comes (for a timer); nullopt if none.
std::optional<int64_t> next_reminder_at(const std::vector<Reminder>& reminders, int64_t now_ms);

// The words: a short summary and a body. `local_time` is the agreed moment
// in the reader's own time ("19:30"). Nothing from a journal or invitation.
struct Words {
  std::string summary;
  std::string body;
};
Words reminder_words(std::string_view partner_name, std::string_view local_time);

// Who opens the session when "Start now" is tapped, so the two devices meet
// with no code. Each decides alone, from what it keeps of the pair, and the
// two must agree, so the rule reads only what both wrote in the same moment:
// the part each took in the latest code pairing between them (both pins are
// written by that one handshake). The one that joined then joins again, the
// other hosts. When a pin doesn't say (kept before that was written), the
// device whose id sorts first (byte by byte) hosts, the other joins.
enum class StartRole { Host, Join };
enum class LastPairing { Unknown, ThisDeviceHosted, ThisDeviceJoined };
StartRole start_role(LastPairing last, std::string_view my_device_id, std::string_view partner_device_id);

}  // namespace attune::remind
