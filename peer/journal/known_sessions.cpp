#include "journal/known_sessions.hpp"

#include <sqlite3.h>

#include "store/sqlite.hpp"

namespace attune::journal {

namespace {

// Whether any of `queries` (each with one ? for the id) finds it in `file`.
// Throws SqliteError when the file can't be read (a missing table reads as
// not found).
bool found_in(const std::filesystem::path& file, const std::string& id, std::initializer_list<const char*> queries) {
  auto db = store::Database::open(file.string(), store::OpenOptions{.create = false, .busy_timeout_ms = 300});
  for (const char* sql : queries) {
    try {
      store::Statement st(db, sql);
      st.bind(1, id);
      if (st.step()) return true;
    } catch (const store::SqliteError& e) {
      if (e.code() != SQLITE_ERROR) throw;  // SQLITE_ERROR: no such table in this file.
    }
  }
  return false;
}

}  // namespace

SessionCheck check_session(const std::filesystem::path& data_dir, const std::string& session_id) {
  std::error_code ec;
  for (const auto& item : std::filesystem::directory_iterator(data_dir, ec)) {
    const std::string name = item.path().filename().string();
    if (!name.starts_with("history-") || !name.ends_with(".db")) continue;
    try {
      if (found_in(item.path(), session_id, {"SELECT 1 FROM sessions WHERE session_id = ?"}))
        return SessionCheck::Known;
    } catch (const store::StoreError&) {
      // A history that can't be read says nothing either way.
    }
  }
  const auto sessions = data_dir / "attune.db";
  if (!std::filesystem::exists(sessions, ec)) return SessionCheck::Unknown;
  try {
    return found_in(sessions, session_id,
                    {"SELECT 1 FROM host_session WHERE session_id = ?",
                     "SELECT 1 FROM client_snapshot WHERE session_id = ?",
                     "SELECT 1 FROM check_ins WHERE session_id = ? LIMIT 1"})
               ? SessionCheck::Known
               : SessionCheck::Unknown;
  } catch (const store::StoreError&) {
    return SessionCheck::Unreadable;  // A running Attune keeps attune.db to itself.
  }
}

}  // namespace attune::journal
