#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <utility>

namespace attune::store {

SqliteError::SqliteError(const std::string& message, int code, int system_errno)
    : StoreError(message), code_(code & 0xff), system_errno_(system_errno) {}

// --- Statement ---------------------------------------------------------------

Statement::Statement(Database& db, const char* sql, bool persistent) : db_(&db) {
  const unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
  if (sqlite3_prepare_v3(db.handle(), sql, -1, flags, &stmt_, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    db.fail("could not prepare a query");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement& Statement::bind(int index, const std::string& text) {
  check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind_blob(int index, const std::string& bytes) {
  check(sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_null(int index) {
  check(sqlite3_bind_null(stmt_, index));
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail("could not run a query");
}

void Statement::run() {
  // Reset on every path: a kept statement left mid-step would refuse its
  // next bindings.
  try {
    while (step()) {
    }
  } catch (...) {
    reset();
    throw;
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_blob(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

void Statement::check(int rc) {
  if (rc != SQLITE_OK) db_->fail("could not bind a value");
}

// --- Database ----------------------------------------------------------------

Database Database::open(const std::string& path, const OpenOptions& options) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr); rc != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    const int system_errno = db ? sqlite3_system_errno(db) : 0;
    sqlite3_close(db);
    throw SqliteError("could not open " + path + ": " + message, rc, system_errno);
  }
  Database out(db);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  if (options.exclusive) out.exec("PRAGMA locking_mode=EXCLUSIVE");
  return out;
}

Database Database::memory() { return open(":memory:"); }

Database::~Database() { close(); }

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

void Database::close() {
  sqlite3_close(db_);
  db_ = nullptr;
}

void Database::exec(const std::string& sql) {
  char* error = nullptr;
  if (const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error); rc != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    const int system_errno = sqlite3_system_errno(db_);
    roll_back_if_open();
    throw SqliteError("storage failed: " + message, rc, system_errno);
  }
}

bool Database::has_column(const std::string& table, const std::string& column) {
  sqlite3_stmt* probe = nullptr;
  const std::string sql = "SELECT " + column + " FROM " + table + " LIMIT 0";
  const bool has = sqlite3_prepare_v2(db_, sql.c_str(), -1, &probe, nullptr) == SQLITE_OK;
  sqlite3_finalize(probe);
  return has;
}

void Database::fail(const std::string& what) {
  const std::string message = what + ": " + sqlite3_errmsg(db_);
  const int code = sqlite3_extended_errcode(db_);
  const int system_errno = sqlite3_system_errno(db_);
  roll_back_if_open();
  throw SqliteError(message, code, system_errno);
}

// Leaves no transaction half open behind a thrown error.
void Database::roll_back_if_open() {
  if (db_ && !sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

// --- Transaction -------------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::Transaction(Database& db, Statement& begin, Statement& commit) : db_(db), commit_(&commit) {
  begin.run();
}

Transaction::~Transaction() {
  if (open_ && db_.handle() && !sqlite3_get_autocommit(db_.handle()))
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  open_ = false;
  if (commit_) {
    commit_->run();
  } else {
    db_.exec("COMMIT");
  }
}

// --- Copying -----------------------------------------------------------------

void copy_database(Database& from, Database& to) {
  sqlite3_backup* backup = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
  if (!backup) throw SqliteError("could not copy the database", SQLITE_ERROR, 0);
  const int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) throw SqliteError("could not copy the database", rc, 0);
}

}  // namespace attune::store
