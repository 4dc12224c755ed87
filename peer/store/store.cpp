#include "store/store.hpp"

#include <sqlite3.h>

#include <system_error>

#include "random_id.hpp"

namespace attune::store {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS host_session (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  session_id TEXT NOT NULL, seq INTEGER NOT NULL, state BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS changes (
  seq INTEGER PRIMARY KEY, intent_id TEXT NOT NULL, actor TEXT NOT NULL,
  intent BLOB NOT NULL, at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS intents (
  intent_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, refusal BLOB);
CREATE TABLE IF NOT EXISTS client_snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  session_id TEXT NOT NULL, host TEXT NOT NULL, seq INTEGER NOT NULL, state BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  n INTEGER PRIMARY KEY AUTOINCREMENT, intent_id TEXT NOT NULL UNIQUE, intent BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS check_ins (
  n INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, level INTEGER NOT NULL,
  at_ms INTEGER NOT NULL, step INTEGER NOT NULL);
)sql";

std::string serialize(const google::protobuf::MessageLite& message) {
  std::string out;
  message.SerializeToString(&out);
  return out;
}

}  // namespace

// Binds, steps and resets a prepared statement; finalizes it if it owns it.
class Store::Statement {
 public:
  Statement(Store& store, sqlite3_stmt* stmt, bool owned) : store_(store), stmt_(stmt), owned_(owned) {}
  Statement(Store& store, const char* sql) : Statement(store, store.prepare(sql), true) {}
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (owned_) sqlite3_finalize(stmt_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& text) {
    check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind_blob(int index, const std::string& bytes) {
    check(sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int index, int64_t value) {
    check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
  }
  Statement& bind_null(int index) {
    check(sqlite3_bind_null(stmt_, index));
    return *this;
  }
  // True while a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    store_.fail("could not run a query");
  }
  void run() {
    while (step()) {
    }
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t integer(int column) { return sqlite3_column_int64(stmt_, column); }
  std::string text(int column) {
    const auto* p = sqlite3_column_blob(stmt_, column);
    const int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
  }
  bool is_null(int column) { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) store_.fail("could not bind a value");
  }
  Store& store_;
  sqlite3_stmt* stmt_;
  bool owned_;
};

Store::Store(const std::filesystem::path& data_dir, bool full_sync) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw StoreError("could not create the data folder " + data_dir.string() + ": " + ec.message());
  const auto file = (data_dir / "attune.db").string();
  if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("could not open " + file + ": " + message);
  }
  sqlite3_busy_timeout(db_, 2000);
  exec("PRAGMA journal_mode=WAL");
  exec(full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  exec(kSchema);
  begin_ = prepare("BEGIN IMMEDIATE");
  commit_ = prepare("COMMIT");
  insert_change_ =
      prepare("INSERT INTO changes (seq, intent_id, actor, intent, at_ms) VALUES (?, ?, ?, ?, ?)");
  insert_intent_ = prepare("INSERT OR REPLACE INTO intents (intent_id, seq, refusal) VALUES (?, ?, ?)");
  update_session_ = prepare("UPDATE host_session SET seq = ?, state = ? WHERE id = 1");
  outbox_insert_ = prepare("INSERT OR IGNORE INTO outbox (intent_id, intent) VALUES (?, ?)");
}

Store::~Store() {
  for (auto* stmt : {begin_, commit_, insert_change_, insert_intent_, update_session_, outbox_insert_}) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db_);
}

void Store::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw StoreError(std::string("storage failed: ") + message);
  }
}

sqlite3_stmt* Store::prepare(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    fail("could not prepare a query");
  }
  return stmt;
}

void Store::fail(const std::string& what) {
  const std::string message = what + ": " + sqlite3_errmsg(db_);
  // Leave no transaction half open behind a thrown error.
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  throw StoreError(message);
}

std::string Store::device_id() {
  {
    Statement get(*this, "SELECT value FROM meta WHERE key = 'device_id'");
    if (get.step()) return get.text(0);
  }
  const std::string id = random_id();
  Statement put(*this, "INSERT INTO meta (key, value) VALUES ('device_id', ?)");
  put.bind(1, id).run();
  return id;
}

std::optional<HostSession> Store::load_host_session() {
  Statement get(*this, "SELECT session_id, seq, state FROM host_session WHERE id = 1");
  if (!get.step()) return std::nullopt;
  HostSession out;
  out.session_id = get.text(0);
  out.seq = static_cast<uint64_t>(get.integer(1));
  const auto bytes = get.text(2);
  if (!out.state.ParseFromString(bytes)) throw StoreError("the stored session is damaged and cannot be read");
  return out;
}

void Store::begin_host_session(const std::string& session_id, const v1::SessionState& state) {
  exec("BEGIN IMMEDIATE");
  try {
    exec("DELETE FROM changes; DELETE FROM intents; DELETE FROM host_session;");
    Statement put(*this, "INSERT INTO host_session (id, session_id, seq, state) VALUES (1, ?, 0, ?)");
    put.bind(1, session_id).bind_blob(2, serialize(state)).run();
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  exec("COMMIT");
}

void Store::record_change(uint64_t seq, const std::string& intent_id, const std::string& actor,
                          const v1::Intent& intent, int64_t at_ms, const v1::SessionState& state) {
  Statement(*this, begin_, false).run();
  Statement(*this, insert_change_, false)
      .bind(1, static_cast<int64_t>(seq))
      .bind(2, intent_id)
      .bind(3, actor)
      .bind_blob(4, serialize(intent))
      .bind(5, at_ms)
      .run();
  if (!intent_id.empty()) {
    Statement(*this, insert_intent_, false)
        .bind(1, intent_id)
        .bind(2, static_cast<int64_t>(seq))
        .bind_null(3)
        .run();
  }
  Statement(*this, update_session_, false)
      .bind(1, static_cast<int64_t>(seq))
      .bind_blob(2, serialize(state))
      .run();
  Statement(*this, commit_, false).run();
}

void Store::record_refusal(const std::string& intent_id, const v1::Refusal& refusal) {
  Statement(*this, insert_intent_, false)
      .bind(1, intent_id)
      .bind(2, int64_t{0})
      .bind_blob(3, serialize(refusal))
      .run();
}

std::unordered_map<std::string, ProcessedIntent> Store::load_processed_intents() {
  std::unordered_map<std::string, ProcessedIntent> out;
  Statement get(*this, "SELECT intent_id, seq, refusal FROM intents");
  while (get.step()) {
    ProcessedIntent processed;
    processed.seq = static_cast<uint64_t>(get.integer(1));
    if (!get.is_null(2)) {
      v1::Refusal refusal;
      refusal.ParseFromString(get.text(2));
      processed.refusal = refusal;
    }
    out.emplace(get.text(0), std::move(processed));
  }
  return out;
}

uint64_t Store::change_count() {
  Statement get(*this, "SELECT COUNT(*) FROM changes");
  get.step();
  return static_cast<uint64_t>(get.integer(0));
}

std::optional<ClientSnapshot> Store::load_client_snapshot() {
  Statement get(*this, "SELECT session_id, host, seq, state FROM client_snapshot WHERE id = 1");
  if (!get.step()) return std::nullopt;
  ClientSnapshot out;
  out.session_id = get.text(0);
  out.host = get.text(1);
  out.seq = static_cast<uint64_t>(get.integer(2));
  if (!out.state.ParseFromString(get.text(3))) return std::nullopt;  // A cache: start fresh.
  return out;
}

void Store::save_client_snapshot(const ClientSnapshot& snapshot) {
  Statement put(
      *this,
      "INSERT OR REPLACE INTO client_snapshot (id, session_id, host, seq, state) VALUES (1, ?, ?, ?, ?)");
  put.bind(1, snapshot.session_id)
      .bind(2, snapshot.host)
      .bind(3, static_cast<int64_t>(snapshot.seq))
      .bind_blob(4, serialize(snapshot.state))
      .run();
}

void Store::outbox_add(const std::string& intent_id, const v1::Intent& intent) {
  Statement(*this, outbox_insert_, false).bind(1, intent_id).bind_blob(2, serialize(intent)).run();
}

void Store::outbox_remove(const std::vector<std::string>& intent_ids) {
  if (intent_ids.empty()) return;
  exec("BEGIN IMMEDIATE");
  try {
    Statement del(*this, "DELETE FROM outbox WHERE intent_id = ?");
    for (const auto& id : intent_ids) {
      del.bind(1, id).run();
      del.reset();
    }
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  exec("COMMIT");
}

void Store::outbox_clear() { exec("DELETE FROM outbox"); }

std::vector<OutboxEntry> Store::outbox_load() {
  std::vector<OutboxEntry> out;
  Statement get(*this, "SELECT intent_id, intent FROM outbox ORDER BY n");
  while (get.step()) {
    OutboxEntry entry;
    entry.intent_id = get.text(0);
    if (entry.intent.ParseFromString(get.text(1))) out.push_back(std::move(entry));
  }
  return out;
}

void Store::add_check_in(const StoredCheckIn& check_in) {
  Statement put(*this, "INSERT INTO check_ins (session_id, level, at_ms, step) VALUES (?, ?, ?, ?)");
  put.bind(1, check_in.session_id)
      .bind(2, int64_t{check_in.level})
      .bind(3, check_in.at_ms)
      .bind(4, int64_t{check_in.step})
      .run();
}

std::vector<StoredCheckIn> Store::load_check_ins(const std::string& session_id) {
  std::vector<StoredCheckIn> out;
  Statement get(*this, "SELECT level, at_ms, step FROM check_ins WHERE session_id = ? ORDER BY n");
  get.bind(1, session_id);
  while (get.step()) {
    StoredCheckIn entry;
    entry.session_id = session_id;
    entry.level = static_cast<int>(get.integer(0));
    entry.at_ms = get.integer(1);
    entry.step = static_cast<v1::Step>(get.integer(2));
    out.push_back(entry);
  }
  return out;
}

}  // namespace attune::store
