// Where this device keeps its agreed times: reminders.db in the data folder,
// mode 0600. Each change is one transaction, so a crash keeps an appointment
// whole or not at all, and "shown" is recorded in the same transaction that
// takes a reminder, so it comes exactly once even across restarts. The rules
// (when one is due, what it says) are common/attune/remind.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attune/remind/reminder.hpp"
#include "store/sqlite.hpp"

namespace attune::remind {

std::filesystem::path reminder_file(const std::filesystem::path& data_dir);

class ReminderStore {
 public:
  // Opens (or creates, 0600) the file. nullptr and *error in plain words when it can't.
  static std::unique_ptr<ReminderStore> open(const std::filesystem::path& file, std::string* error);

  // Keeps an appointment. The same id again updates its time and names
  // (a re-agreed time comes again), never a second reminder.
  std::optional<Problem> add(const Appointment& appointment);
  std::vector<Reminder> list() const;
  // The same, but a file it can't read throws store::StoreError (the window says so).
  std::vector<Reminder> read() const;
  std::optional<Reminder> find(const std::string& id) const;
  // The reminder due now, recorded as shown in the same transaction.
  std::optional<Reminder> take_due(int64_t now_ms);
  std::optional<Problem> dismiss(const std::string& id);

 private:
  explicit ReminderStore(store::Database db) : db_(std::move(db)) {}
  mutable store::Database db_;
};

}  // namespace attune::remind
