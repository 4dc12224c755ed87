// The one thin wrapper over SQLite that every file on this device goes
// through (the session store, the window's history, recent hosts): a
// connection and its statements that close themselves, transactions that
// roll back unless committed, and one error policy. Every failed call throws
// SqliteError, whose words say what we were doing and whose code and errno
// let a caller tell a disk that stopped taking writes from a bug; no open
// transaction is left behind a thrown error.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace attune::store {

// Anything that went wrong with this device's stored data.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failed SQLite call.
class SqliteError : public StoreError {
 public:
  SqliteError(const std::string& message, int code, int system_errno);
  int code() const { return code_; }  // The primary result code (SQLITE_FULL, ...).
  int system_errno() const { return system_errno_; }

 private:
  int code_;
  int system_errno_;
};

class Database;

// A prepared statement: bind, step, read columns. Finalized when it goes.
class Statement {
 public:
  Statement() = default;
  Statement(Database& db, const char* sql, bool persistent = false);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& text);
  Statement& bind_blob(int index, const std::string& bytes);
  Statement& bind(int index, int64_t value);
  Statement& bind_null(int index);
  // True while a row is available.
  bool step();
  // Steps to the end, then resets, so a kept statement is ready again.
  void run();
  // Forgets the bindings and rewinds.
  void reset();

  int64_t integer(int column) const;
  std::string text(int column) const;  // Text or blob bytes, as stored.
  bool is_null(int column) const;

 private:
  void check(int rc);
  Database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// How a connection is set up. The defaults suit a small file of our own.
struct OpenOptions {
  bool create = true;
  // One process owns the file: exclusive locking saves the shared-memory
  // lock round trips on every commit, and keeps a second Attune off it.
  bool exclusive = false;
  int busy_timeout_ms = 2000;
};

// One open connection. Closed when it goes.
class Database {
 public:
  Database() = default;
  // Opens `path` (":memory:" for a database in memory). Throws SqliteError.
  static Database open(const std::string& path, const OpenOptions& options = {});
  static Database memory();
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  explicit operator bool() const { return db_ != nullptr; }
  sqlite3* handle() const { return db_; }
  void close();

  // Runs one or more statements that return no rows.
  void exec(const std::string& sql);
  // Whether `table` has `column` (for files written by an older version).
  bool has_column(const std::string& table, const std::string& column);
  // Throws SqliteError for the connection's last error, saying `what` we were doing.
  [[noreturn]] void fail(const std::string& what);

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  void roll_back_if_open();
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE now; ROLLBACK when it goes without commit().
class Transaction {
 public:
  explicit Transaction(Database& db);
  // The same with kept statements for BEGIN IMMEDIATE and COMMIT (a hot
  // path's transaction need not parse them each time).
  Transaction(Database& db, Statement& begin, Statement& commit);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  Statement* commit_ = nullptr;
  bool open_ = true;
};

// Copies the whole of `from` into `to` (both open). Throws SqliteError.
void copy_database(Database& from, Database& to);

}  // namespace attune::store
