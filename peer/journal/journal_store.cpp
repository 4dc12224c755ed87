#include "journal/journal_store.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "store/private_database.hpp"

namespace attune::journal {

namespace {

constexpr int kJournalSchema = 1;
// "ATJN": tells our journal apart from any other SQLite file.
constexpr int kApplicationId = 0x41544A4E;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS ruptures (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  happened_ms         INTEGER NOT NULL,
  noted_ms            INTEGER NOT NULL,
  size                INTEGER NOT NULL,
  what                TEXT NOT NULL,
  underneath          TEXT NOT NULL,
  repair_way          INTEGER,
  repair_session      TEXT NOT NULL DEFAULT '',
  repaired_ms         INTEGER NOT NULL DEFAULT 0,
  follow_up_shown_ms  INTEGER NOT NULL DEFAULT 0,
  follow_up_dismissed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value INTEGER NOT NULL);)sql";

constexpr const char* kColumns =
    "id, happened_ms, noted_ms, size, what, underneath, repair_way, repair_session, repaired_ms, "
    "follow_up_shown_ms, follow_up_dismissed";

// One prepared statement, finalized however the function leaves.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) { sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr); }
  ~Statement() { sqlite3_finalize(st_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return st_ != nullptr; }
  sqlite3_stmt* get() const { return st_; }
  void bind(int i, int64_t v) { sqlite3_bind_int64(st_, i, v); }
  void bind(int i, const std::string& v) { sqlite3_bind_text(st_, i, v.c_str(), -1, SQLITE_TRANSIENT); }
  bool done() { return st_ && sqlite3_step(st_) == SQLITE_DONE; }

 private:
  sqlite3_stmt* st_ = nullptr;
};

std::string text_at(sqlite3_stmt* st, int i) {
  const unsigned char* t = sqlite3_column_text(st, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

Rupture read_row(sqlite3_stmt* st) {
  Rupture r;
  r.id = sqlite3_column_int64(st, 0);
  r.happened_ms = sqlite3_column_int64(st, 1);
  r.noted_ms = sqlite3_column_int64(st, 2);
  r.size = sqlite3_column_int(st, 3) == 1 ? Size::Big : Size::Small;
  r.what = text_at(st, 4);
  const auto words = nlohmann::json::parse(text_at(st, 5), nullptr, /*allow_exceptions=*/false);
  if (words.is_array())
    for (const auto& w : words)
      if (w.is_string()) r.underneath.push_back(w.get<std::string>());
  if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
    Repair repair;
    repair.way = sqlite3_column_int(st, 6) == 1 ? RepairWay::Session : RepairWay::TalkedThrough;
    repair.session_id = text_at(st, 7);
    repair.repaired_ms = sqlite3_column_int64(st, 8);
    r.repair = repair;
  }
  r.follow_up_shown_ms = sqlite3_column_int64(st, 9);
  r.follow_up_dismissed = sqlite3_column_int(st, 10) != 0;
  return r;
}

// A change that stays whole: BEGIN IMMEDIATE ... COMMIT, rolled back unless commit() is reached.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {
    began_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~Transaction() {
    if (began_ && !committed_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  bool began() const { return began_; }
  bool commit() { return committed_ = began_ && sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK; }

 private:
  sqlite3* db_;
  bool began_ = false;
  bool committed_ = false;
};

const Problem kNotSaved{"That couldn't be saved just now (the disk said no). Nothing you wrote before was lost; "
                        "please try again in a moment."};

}  // namespace

std::filesystem::path journal_file(const std::filesystem::path& data_dir) { return data_dir / "journal.db"; }

std::unique_ptr<JournalStore> JournalStore::open(const std::filesystem::path& file, std::string* error) {
  const store::PrivateFileKind kind{kApplicationId, kJournalSchema, kSchema, "Your journal", "a journal", ""};
  auto db = store::open_private_database(file, kind, error);
  if (!db) return nullptr;
  return std::unique_ptr<JournalStore>(new JournalStore(std::move(*db)));
}

JournalStore::~JournalStore() = default;

std::variant<Rupture, Problem> JournalStore::note(const Draft& draft, int64_t now_ms) {
  auto accepted = accept_draft(draft, now_ms);
  if (std::holds_alternative<Problem>(accepted)) return accepted;
  Rupture r = std::get<Rupture>(std::move(accepted));
  Statement st(db_.handle(),
               "INSERT INTO ruptures (happened_ms, noted_ms, size, what, underneath) VALUES (?, ?, ?, ?, ?)");
  if (!st.ok()) return kNotSaved;
  st.bind(1, r.happened_ms);
  st.bind(2, r.noted_ms);
  st.bind(3, int64_t{r.size == Size::Big ? 1 : 0});
  st.bind(4, r.what);
  st.bind(5, nlohmann::json(r.underneath).dump());
  if (!st.done()) return kNotSaved;  // One statement: its own transaction.
  r.id = sqlite3_last_insert_rowid(db_.handle());
  return r;
}

std::variant<Rupture, Problem> JournalStore::mark_repaired(int64_t id, const Repair& repair, int64_t now_ms) {
  Transaction tx(db_.handle());
  if (!tx.began()) return kNotSaved;
  const auto current = find(id);
  if (!current) return Problem{"There's no entry " + std::to_string(id) + " in your journal."};
  auto marked = journal::mark_repaired(*current, repair, now_ms);
  if (std::holds_alternative<Problem>(marked)) return marked;
  const Rupture& r = std::get<Rupture>(marked);
  Statement st(db_.handle(), "UPDATE ruptures SET repair_way = ?, repair_session = ?, repaired_ms = ? WHERE id = ?");
  st.bind(1, int64_t{r.repair->way == RepairWay::Session ? 1 : 0});
  st.bind(2, r.repair->session_id);
  st.bind(3, r.repair->repaired_ms);
  st.bind(4, id);
  if (!st.done() || !tx.commit()) return kNotSaved;
  return marked;
}

std::optional<Problem> JournalStore::remove(int64_t id) {
  Statement st(db_.handle(), "DELETE FROM ruptures WHERE id = ?");
  if (!st.ok()) return kNotSaved;
  st.bind(1, id);
  if (!st.done()) return kNotSaved;
  if (sqlite3_changes(db_.handle()) == 0)
    return Problem{"There's no entry " + std::to_string(id) + " in your journal (journal list shows each one's number)."};
  try {
    store::forget_removed(db_);
  } catch (const store::StoreError&) {
    // Removed; its words leave the log at the next checkpoint.
  }
  return std::nullopt;
}

std::vector<Rupture> JournalStore::list() const {
  std::vector<Rupture> out;
  Statement st(db_.handle(), std::string("SELECT ") + kColumns + " FROM ruptures ORDER BY id");
  while (st.ok() && sqlite3_step(st.get()) == SQLITE_ROW) out.push_back(read_row(st.get()));
  return out;
}

std::optional<Rupture> JournalStore::find(int64_t id) const {
  Statement st(db_.handle(), std::string("SELECT ") + kColumns + " FROM ruptures WHERE id = ?");
  if (!st.ok()) return std::nullopt;
  st.bind(1, id);
  if (sqlite3_step(st.get()) != SQLITE_ROW) return std::nullopt;
  return read_row(st.get());
}

FollowUpSettings JournalStore::follow_up_settings() const {
  FollowUpSettings s;
  Statement st(db_.handle(), "SELECT name, value FROM settings");
  while (st.ok() && sqlite3_step(st.get()) == SQLITE_ROW) {
    const std::string name = text_at(st.get(), 0);
    const int64_t value = sqlite3_column_int64(st.get(), 1);
    if (name == "follow_up_enabled") s.enabled = value != 0;
    if (name == "follow_up_gap_ms" && !check_gap(value)) s.gap_ms = value;
  }
  return s;
}

std::optional<Problem> JournalStore::set_follow_up(const FollowUpSettings& settings) {
  if (auto problem = check_gap(settings.gap_ms)) return problem;
  Transaction tx(db_.handle());
  if (!tx.began()) return kNotSaved;
  for (const auto& [name, value] : {std::pair<std::string, int64_t>{"follow_up_enabled", settings.enabled ? 1 : 0},
                                    {"follow_up_gap_ms", settings.gap_ms}}) {
    Statement st(db_.handle(), "INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)");
    st.bind(1, name);
    st.bind(2, value);
    if (!st.done()) return kNotSaved;
  }
  if (!tx.commit()) return kNotSaved;
  return std::nullopt;
}

bool JournalStore::save_follow_up_state(const Rupture& r) {
  Statement st(db_.handle(), "UPDATE ruptures SET follow_up_shown_ms = ?, follow_up_dismissed = ? WHERE id = ?");
  st.bind(1, r.follow_up_shown_ms);
  st.bind(2, int64_t{r.follow_up_dismissed ? 1 : 0});
  st.bind(3, r.id);
  return st.done();
}

std::optional<Rupture> JournalStore::take_follow_up(int64_t now_ms) {
  Transaction tx(db_.handle());
  if (!tx.began()) return std::nullopt;
  const auto due = follow_up_due(list(), follow_up_settings(), now_ms);
  if (!due) return std::nullopt;
  auto r = find(*due);
  if (!r) return std::nullopt;
  r->follow_up_shown_ms = now_ms;
  // Shown only once it is recorded: a reminder that can't be recorded waits.
  if (!save_follow_up_state(*r) || !tx.commit()) return std::nullopt;
  return r;
}

std::optional<Rupture> JournalStore::showing_follow_up() const {
  const auto id = follow_up_showing(list(), follow_up_settings());
  return id ? find(*id) : std::nullopt;
}

std::optional<Problem> JournalStore::dismiss_follow_up(int64_t id) {
  auto r = find(id);
  if (!r) return Problem{"There's no entry " + std::to_string(id) + " in your journal."};
  r->follow_up_dismissed = true;
  if (!save_follow_up_state(*r)) return kNotSaved;
  return std::nullopt;
}

}  // namespace attune::journal
