// Counts the reads (SELECT statements) this thread runs against one of the
// device's files, through a trace SQLite calls on every statement of every
// connection opened after install(). The window's frames run on the test's
// thread, so this is what a frame costs in SQLite; a watch's own thread is
// not counted.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <strings.h>

#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace attune::test {

class SqlReads {
 public:
  // Once per process, before the stores are opened.
  static void install() {
    static const bool installed = [] {
      thread() = std::this_thread::get_id();
      // void (*)(void) is how SQLite takes every entry point.
      sqlite3_auto_extension(reinterpret_cast<void (*)(void)>(&on_open));
      return true;
    }();
    (void)installed;
  }
  // Reads on this thread of files whose name ends with `file_name`, since the last reset.
  static int count(const std::string& file_name) {
    std::lock_guard lock(mutex());
    int n = 0;
    for (const auto& [file, reads] : counts())
      if (file.size() >= file_name.size() && file.compare(file.size() - file_name.size(), file_name.size(), file_name) == 0)
        n += reads;
    return n;
  }
  static void reset() {
    std::lock_guard lock(mutex());
    counts().clear();
  }
  // Another process spoils `file` under the window: its `table` is gone, so
  // every later read of it fails. True when done.
  static bool spoil(const std::string& file, const std::string& table) {
    sqlite3* db = nullptr;
    bool done = sqlite3_open(file.c_str(), &db) == SQLITE_OK &&
                sqlite3_exec(db, ("DROP TABLE " + table).c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return done;
  }

 private:
  static std::thread::id& thread() {
    static std::thread::id id;
    return id;
  }
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static std::map<std::string, int>& counts() {
    static std::map<std::string, int> c;
    return c;
  }
  static int on_open(sqlite3* db, const char**, const void*) {
    sqlite3_trace_v2(db, SQLITE_TRACE_STMT, &on_statement, nullptr);
    return SQLITE_OK;
  }
  static int on_statement(unsigned, void*, void* p, void* x) {
    if (std::this_thread::get_id() != thread()) return 0;
    const char* sql = static_cast<const char*>(x);
    while (sql && (*sql == ' ' || *sql == '\n')) ++sql;
    if (!sql || strncasecmp(sql, "SELECT", 6) != 0) return 0;
    auto* stmt = static_cast<sqlite3_stmt*>(p);
    const char* file = sqlite3_db_filename(sqlite3_db_handle(stmt), "main");
    std::lock_guard lock(mutex());
    ++counts()[file ? file : ""];
    return 0;
  }
};

}  // namespace attune::test
