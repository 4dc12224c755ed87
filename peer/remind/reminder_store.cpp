#include "remind/reminder_store.hpp"

#include "store/private_database.hpp"

namespace attune::remind {

namespace {

// "ATRM": tells our reminders apart from any other SQLite file.
constexpr int64_t kApplicationId = 0x4154524D;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS appointments (
  id                TEXT PRIMARY KEY,
  partner_device_id TEXT NOT NULL,
  partner_name      TEXT NOT NULL,
  at_utc_ms         INTEGER NOT NULL,
  shown_ms          INTEGER NOT NULL DEFAULT 0,
  dismissed         INTEGER NOT NULL DEFAULT 0
);)sql";

constexpr const char* kSelect =
    "SELECT id, partner_device_id, partner_name, at_utc_ms, shown_ms, dismissed FROM appointments";

Reminder read_row(const store::Statement& row) {
  Reminder r;
  r.appointment = {row.text(0), row.text(1), row.text(2), row.integer(3)};
  r.shown_ms = row.integer(4);
  r.dismissed = row.integer(5) != 0;
  return r;
}

std::vector<Reminder> read_all(store::Database& db) {
  std::vector<Reminder> out;
  store::Statement get(db, (std::string(kSelect) + " ORDER BY at_utc_ms, id").c_str());
  while (get.step()) out.push_back(read_row(get));
  return out;
}

Problem storage_problem(const store::StoreError& e) {
  return Problem{std::string("Attune couldn't save that reminder on this device (") + e.what() +
                 "). Nothing was changed."};
}

}  // namespace

std::filesystem::path reminder_file(const std::filesystem::path& data_dir) { return data_dir / "reminders.db"; }

std::unique_ptr<ReminderStore> ReminderStore::open(const std::filesystem::path& file, std::string* error) {
  // Reminder files from before they were stamped hold the appointments table.
  const store::PrivateFileKind kind{kApplicationId, 1, kSchema, "Your reminders", "a file of reminders",
                                    "appointments"};
  auto db = store::open_private_database(file, kind, error);
  if (!db) return nullptr;
  return std::unique_ptr<ReminderStore>(new ReminderStore(std::move(*db)));
}

std::optional<Problem> ReminderStore::add(const Appointment& a) {
  if (auto p = check_appointment(a)) return p;
  try {
    store::Transaction tx(db_);
    const auto existing = find(a.id);
    if (!existing) {
      store::Statement count(db_, "SELECT COUNT(*) FROM appointments WHERE shown_ms = 0 AND dismissed = 0");
      if (count.step() && static_cast<std::size_t>(count.integer(0)) >= kMaxWaiting)
        return Problem{"There are already many reminders waiting; dismiss some first."};
    }
    // A new time for the same appointment is a new moment: it may come again.
    const bool moved = existing && existing->appointment.at_utc_ms != a.at_utc_ms;
    store::Statement(db_,
                     "INSERT INTO appointments (id, partner_device_id, partner_name, at_utc_ms) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(id) DO UPDATE SET partner_device_id = excluded.partner_device_id, "
                     "partner_name = excluded.partner_name, at_utc_ms = excluded.at_utc_ms")
        .bind(1, a.id)
        .bind(2, a.partner_device_id)
        .bind(3, a.partner_name)
        .bind(4, a.at_utc_ms)
        .run();
    if (moved)
      store::Statement(db_, "UPDATE appointments SET shown_ms = 0, dismissed = 0 WHERE id = ?").bind(1, a.id).run();
    tx.commit();
  } catch (const store::StoreError& e) {
    return storage_problem(e);
  }
  return std::nullopt;
}

std::vector<Reminder> ReminderStore::read() const { return read_all(db_); }

std::vector<Reminder> ReminderStore::list() const {
  try {
    return read_all(db_);
  } catch (const store::StoreError&) {
    return {};
  }
}

std::optional<Reminder> ReminderStore::find(const std::string& id) const {
  try {
    store::Statement get(db_, (std::string(kSelect) + " WHERE id = ?").c_str());
    get.bind(1, id);
    if (get.step()) return read_row(get);
  } catch (const store::StoreError&) {
  }
  return std::nullopt;
}

std::optional<Reminder> ReminderStore::take_due(int64_t now_ms) {
  try {
    store::Transaction tx(db_);
    const auto due = reminder_due(read_all(db_), now_ms);
    if (!due) return std::nullopt;
    store::Statement(db_, "UPDATE appointments SET shown_ms = ? WHERE id = ?").bind(1, now_ms).bind(2, *due).run();
    tx.commit();
    return find(*due);
  } catch (const store::StoreError&) {
    return std::nullopt;  // Not recorded as shown, so not shown: it comes on the next try.
  }
}

std::optional<Problem> ReminderStore::dismiss(const std::string& id) {
  try {
    if (!find(id)) return Problem{"There is no reminder " + id + " on this device."};
    store::Statement(db_, "UPDATE appointments SET dismissed = 1 WHERE id = ?").bind(1, id).run();
  } catch (const store::StoreError& e) {
    return storage_problem(e);
  }
  return std::nullopt;
}

}  // namespace attune::remind
