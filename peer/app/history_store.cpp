#include "app/history_store.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "app/view_model.hpp"

namespace attune::app {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sessions (
  session_id   TEXT PRIMARY KEY,
  session_name TEXT NOT NULL,
  role         TEXT NOT NULL,
  started_ms   INTEGER NOT NULL,
  ended_ms     INTEGER NOT NULL,
  completed    INTEGER NOT NULL,
  steps        INTEGER NOT NULL,
  pauses       INTEGER NOT NULL,
  timeline     TEXT NOT NULL,
  notes        TEXT NOT NULL,
  kind         INTEGER NOT NULL DEFAULT 0
);)sql";

// Files written before sessions had kinds lack the column: add it, and their
// rows read as the whole conversation, which is all there was then.
bool add_kind_column(sqlite3* db, std::string* error) {
  sqlite3_stmt* probe = nullptr;
  const bool has = sqlite3_prepare_v2(db, "SELECT kind FROM sessions LIMIT 0", -1, &probe, nullptr) == SQLITE_OK;
  sqlite3_finalize(probe);
  if (has) return true;
  char* msg = nullptr;
  if (sqlite3_exec(db, "ALTER TABLE sessions ADD COLUMN kind INTEGER NOT NULL DEFAULT 0", nullptr, nullptr,
                   &msg) == SQLITE_OK)
    return true;
  if (error) *error = std::string("Couldn't update the history file: ") + (msg ? msg : "unknown reason");
  sqlite3_free(msg);
  return false;
}


std::string timeline_json(const std::vector<PrivateCheckIn>& timeline) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& c : timeline) arr.push_back({{"level", c.level}, {"at_ms", c.at_ms}, {"step", c.step}});
  return arr.dump();
}

std::vector<PrivateCheckIn> parse_timeline(const char* text) {
  std::vector<PrivateCheckIn> out;
  const auto arr = nlohmann::json::parse(text ? text : "[]", nullptr, /*allow_exceptions=*/false);
  if (!arr.is_array()) return out;
  for (const auto& item : arr) {
    PrivateCheckIn c;
    c.level = item.value("level", 0);
    c.at_ms = item.value("at_ms", int64_t{0});
    c.step = static_cast<v1::Step>(item.value("step", 0));
    out.push_back(c);
  }
  return out;
}

const char* column_text(sqlite3_stmt* st, int i) {
  const unsigned char* t = sqlite3_column_text(st, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

HistoryEntry read_row(sqlite3_stmt* st) {
  HistoryEntry e;
  e.session_id = column_text(st, 0);
  e.session_name = column_text(st, 1);
  e.role = column_text(st, 2);
  e.started_ms = sqlite3_column_int64(st, 3);
  e.ended_ms = sqlite3_column_int64(st, 4);
  e.completed = sqlite3_column_int(st, 5) != 0;
  e.steps_reached = sqlite3_column_int(st, 6);
  e.pauses = static_cast<uint32_t>(sqlite3_column_int(st, 7));
  e.timeline = parse_timeline(column_text(st, 8));
  e.notes = column_text(st, 9);
  const int kind = sqlite3_column_int(st, 10);
  e.kind = kind == 1 ? RepairKindRecord::Quick : kind == 2 ? RepairKindRecord::QuickThenFull : RepairKindRecord::Full;
  return e;
}

constexpr const char* kColumns =
    "session_id, session_name, role, started_ms, ended_ms, completed, steps, pauses, timeline, notes, kind";

}  // namespace

HistoryEntry make_history_entry(const Snapshot& snap, int64_t now_ms) {
  const SummaryView summary = summary_view(snap, now_ms);
  HistoryEntry e;
  e.session_id = snap.state.session_id();
  e.session_name = snap.state.session_name();
  switch (snap.my_role) {
    case v1::ROLE_PARTNER_A:
      e.role = "Partner A";
      break;
    case v1::ROLE_PARTNER_B:
      e.role = "Partner B";
      break;
    case v1::ROLE_COACH:
      e.role = "Coach";
      break;
    case v1::ROLE_UNSPECIFIED:
    case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_:
      e.role = "Guest";
      break;
  }
  e.started_ms = snap.state.started_ms();
  e.ended_ms = snap.state.ended_ms() > 0 ? snap.state.ended_ms() : now_ms;
  e.completed = summary.completed;
  e.steps_reached = summary.steps_reached;
  e.kind = kind_record(snap.state);
  e.pauses = summary.pauses;
  e.timeline = summary.timeline;
  return e;
}

std::unique_ptr<HistoryStore> HistoryStore::open(const std::string& path, std::string* error) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    if (error) *error = "Couldn't open the history file " + path + ": " + sqlite3_errmsg(db);
    sqlite3_close(db);
    return nullptr;
  }
  char* msg = nullptr;
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, &msg) != SQLITE_OK) {
    if (error) *error = std::string("Couldn't prepare the history file: ") + (msg ? msg : "unknown reason");
    sqlite3_free(msg);
    sqlite3_close(db);
    return nullptr;
  }
  if (!add_kind_column(db, error)) {
    sqlite3_close(db);
    return nullptr;
  }
  return std::unique_ptr<HistoryStore>(new HistoryStore(db));
}

HistoryStore::~HistoryStore() { sqlite3_close(db_); }

bool HistoryStore::save(const HistoryEntry& e) {
  const std::string sql =
      std::string("INSERT OR REPLACE INTO sessions (") + kColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return false;
  const std::string timeline = timeline_json(e.timeline);
  sqlite3_bind_text(st, 1, e.session_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, e.session_name.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, e.role.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, e.started_ms);
  sqlite3_bind_int64(st, 5, e.ended_ms);
  sqlite3_bind_int(st, 6, e.completed ? 1 : 0);
  sqlite3_bind_int(st, 7, e.steps_reached);
  sqlite3_bind_int(st, 8, static_cast<int>(e.pauses));
  sqlite3_bind_text(st, 9, timeline.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 10, e.notes.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 11, static_cast<int>(e.kind));
  const bool ok = sqlite3_step(st) == SQLITE_DONE;
  sqlite3_finalize(st);
  return ok;
}

std::vector<HistoryEntry> HistoryStore::list(int limit) const {
  std::vector<HistoryEntry> out;
  const std::string sql =
      std::string("SELECT ") + kColumns + " FROM sessions ORDER BY ended_ms DESC, started_ms DESC LIMIT ?";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return out;
  sqlite3_bind_int(st, 1, limit);
  while (sqlite3_step(st) == SQLITE_ROW) out.push_back(read_row(st));
  sqlite3_finalize(st);
  return out;
}

std::optional<HistoryEntry> HistoryStore::find(const std::string& session_id) const {
  const std::string sql = std::string("SELECT ") + kColumns + " FROM sessions WHERE session_id = ?";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return std::nullopt;
  sqlite3_bind_text(st, 1, session_id.c_str(), -1, SQLITE_TRANSIENT);
  std::optional<HistoryEntry> out;
  if (sqlite3_step(st) == SQLITE_ROW) out = read_row(st);
  sqlite3_finalize(st);
  return out;
}

}  // namespace attune::app
