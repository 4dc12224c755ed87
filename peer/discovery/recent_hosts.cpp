#include "recent_hosts.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>

#include "identity/private_file.hpp"

namespace attune::discovery {

namespace {

// Finalizes a prepared statement on every path.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  Statement(sqlite3* db, const char* sql) {
    if (db != nullptr) sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
};

}  // namespace

RecentHosts::RecentHosts(const std::string& path) {
  // The hosts someone joined say where they've been: the owner's alone.
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) (void)identity::ensure_private_dir(parent);
  identity::precreate_private_file(path);
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    problem_ = "could not open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    db_ = nullptr;
    sqlite3_open(":memory:", &db_);
  }
  sqlite3_busy_timeout(db_, 1000);
  exec(
      "CREATE TABLE IF NOT EXISTS recent_hosts ("
      " address TEXT PRIMARY KEY NOT NULL,"
      " label TEXT NOT NULL DEFAULT '',"
      " last_used_ms INTEGER NOT NULL)");
}

RecentHosts::~RecentHosts() { sqlite3_close(db_); }

bool RecentHosts::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    problem_ = err ? err : "database error";
    sqlite3_free(err);
    return false;
  }
  return true;
}

void RecentHosts::remember(const std::string& address, const std::string& label, int64_t now_ms) {
  {
    Statement s(
        db_,
        "INSERT INTO recent_hosts(address, label, last_used_ms) VALUES(?1, ?2, ?3) "
        "ON CONFLICT(address) DO UPDATE SET label = excluded.label, last_used_ms = excluded.last_used_ms");
    if (s.stmt == nullptr) return;
    sqlite3_bind_text(s.stmt, 1, address.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s.stmt, 2, label.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s.stmt, 3, now_ms);
    sqlite3_step(s.stmt);
  }
  Statement trim(db_,
                 "DELETE FROM recent_hosts WHERE address NOT IN "
                 "(SELECT address FROM recent_hosts ORDER BY last_used_ms DESC LIMIT ?1)");
  if (trim.stmt == nullptr) return;
  sqlite3_bind_int64(trim.stmt, 1, static_cast<int64_t>(kKeep));
  sqlite3_step(trim.stmt);
}

void RecentHosts::forget(const std::string& address) {
  Statement s(db_, "DELETE FROM recent_hosts WHERE address = ?1");
  if (s.stmt == nullptr) return;
  sqlite3_bind_text(s.stmt, 1, address.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_step(s.stmt);
}

std::vector<RecentHost> RecentHosts::list() const {
  std::vector<RecentHost> out;
  Statement s(db_,
              "SELECT address, label, last_used_ms FROM recent_hosts ORDER BY last_used_ms DESC LIMIT ?1");
  if (s.stmt == nullptr) return out;
  sqlite3_bind_int64(s.stmt, 1, static_cast<int64_t>(kKeep));
  while (sqlite3_step(s.stmt) == SQLITE_ROW) {
    RecentHost h;
    h.address = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, 0));
    h.label = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, 1));
    h.last_used_ms = sqlite3_column_int64(s.stmt, 2);
    out.push_back(std::move(h));
  }
  return out;
}

std::string default_data_dir() {
  std::filesystem::path dir;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    dir = std::filesystem::path(xdg) / "attune";
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    dir = std::filesystem::path(home) / ".local" / "share" / "attune";
  } else {
    dir = std::filesystem::current_path() / ".attune";
  }
  (void)identity::ensure_private_dir(dir);  // A failure shows when the file is opened.
  return dir.string();
}

}  // namespace attune::discovery
