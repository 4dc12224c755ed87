#include "app/history_store.hpp"

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
  kind         INTEGER NOT NULL DEFAULT 0,
  with_names   TEXT NOT NULL DEFAULT '',
  gesture      TEXT NOT NULL DEFAULT '',
  private_note TEXT NOT NULL DEFAULT ''
);)sql";

// Columns added since the first files; older files get them, empty.
constexpr const char* kAddedText[] = {"with_names", "gesture", "private_note"};

std::string timeline_json(const std::vector<PrivateCheckIn>& timeline) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& c : timeline) arr.push_back({{"level", c.level}, {"at_ms", c.at_ms}, {"step", c.step}});
  return arr.dump();
}

std::vector<PrivateCheckIn> parse_timeline(const std::string& text) {
  std::vector<PrivateCheckIn> out;
  const auto arr = nlohmann::json::parse(text.empty() ? "[]" : text, nullptr, /*allow_exceptions=*/false);
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

HistoryEntry read_row(const store::Statement& row) {
  HistoryEntry e;
  e.session_id = row.text(0);
  e.session_name = row.text(1);
  e.role = row.text(2);
  e.started_ms = row.integer(3);
  e.ended_ms = row.integer(4);
  e.completed = row.integer(5) != 0;
  e.steps_reached = static_cast<int>(row.integer(6));
  e.pauses = static_cast<uint32_t>(row.integer(7));
  e.timeline = parse_timeline(row.text(8));
  e.notes = row.text(9);
  const int64_t kind = row.integer(10);
  e.kind = kind == 1 ? RepairKindRecord::Quick : kind == 2 ? RepairKindRecord::QuickThenFull : RepairKindRecord::Full;
  e.with = row.text(11);
  e.gesture = row.text(12);
  e.private_note = row.text(13);
  return e;
}

constexpr const char* kColumns =
    "session_id, session_name, role, started_ms, ended_ms, completed, steps, pauses, timeline, notes, kind, "
    "with_names, gesture, private_note";

// Who else was there, by name.
std::string others_named(const NodeView& snap) {
  const State& s = snap.state;
  if (is_partner(snap.my_role)) return name_for(s, other_partner(snap.my_role));
  return name_for(s, v1::ROLE_PARTNER_A) + " and " + name_for(s, v1::ROLE_PARTNER_B);
}

}  // namespace

HistoryEntry make_history_entry(const NodeView& snap, int64_t now_ms) {
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
  e.with = others_named(snap);
  e.gesture = agreed_gesture(snap.state);
  return e;
}

std::unique_ptr<HistoryStore> HistoryStore::open(const std::string& path, std::string* error) {
  try {
    auto db = store::Database::open(path);
    db.exec(kSchema);
    // Files written before sessions had kinds lack the column: add it, and
    // their rows read as the whole conversation, which is all there was then.
    if (!db.has_column("sessions", "kind"))
      db.exec("ALTER TABLE sessions ADD COLUMN kind INTEGER NOT NULL DEFAULT 0");
    for (const char* column : kAddedText)
      if (!db.has_column("sessions", column))
        db.exec(std::string("ALTER TABLE sessions ADD COLUMN ") + column + " TEXT NOT NULL DEFAULT ''");
    return std::unique_ptr<HistoryStore>(new HistoryStore(std::move(db)));
  } catch (const store::StoreError& e) {
    if (error) *error = "Couldn't open the history file " + path + ": " + e.what();
    return nullptr;
  }
}

// A history that can't be written or read loses only itself: the session
// goes on, and the caller shows what it has.
bool HistoryStore::save(const HistoryEntry& e) {
  const std::string sql =
      std::string("INSERT OR REPLACE INTO sessions (") + kColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  try {
    store::Statement(db_, sql.c_str())
        .bind(1, e.session_id)
        .bind(2, e.session_name)
        .bind(3, e.role)
        .bind(4, e.started_ms)
        .bind(5, e.ended_ms)
        .bind(6, int64_t{e.completed ? 1 : 0})
        .bind(7, int64_t{e.steps_reached})
        .bind(8, int64_t{e.pauses})
        .bind(9, timeline_json(e.timeline))
        .bind(10, e.notes)
        .bind(11, static_cast<int64_t>(e.kind))
        .bind(12, e.with)
        .bind(13, e.gesture)
        .bind(14, e.private_note)
        .run();
    return true;
  } catch (const store::StoreError&) {
    return false;
  }
}

std::vector<HistoryEntry> HistoryStore::list(int limit) const {
  std::vector<HistoryEntry> out;
  const std::string sql =
      std::string("SELECT ") + kColumns + " FROM sessions ORDER BY ended_ms DESC, started_ms DESC LIMIT ?";
  try {
    store::Statement get(db_, sql.c_str());
    get.bind(1, int64_t{limit});
    while (get.step()) out.push_back(read_row(get));
  } catch (const store::StoreError&) {
  }
  return out;
}

std::optional<HistoryEntry> HistoryStore::find(const std::string& session_id) const {
  const std::string sql = std::string("SELECT ") + kColumns + " FROM sessions WHERE session_id = ?";
  try {
    store::Statement get(db_, sql.c_str());
    get.bind(1, session_id);
    if (get.step()) return read_row(get);
  } catch (const store::StoreError&) {
  }
  return std::nullopt;
}

}  // namespace attune::app
