#include "store/private_database.hpp"

#include <sqlite3.h>

#include "identity/private_file.hpp"

namespace attune::store {

namespace {

std::int64_t pragma(Database& db, const char* name) {
  Statement st(db, (std::string("PRAGMA ") + name).c_str());
  return st.step() ? st.integer(0) : -1;
}

bool has_table(Database& db, const std::string& table) {
  Statement st(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  st.bind(1, table);
  return st.step();
}

// Why an existing file can't be this kind, or "" when it can.
std::string why_not_ours(Database& db, const PrivateFileKind& kind) {
  const std::int64_t app_id = pragma(db, "application_id");
  const std::int64_t version = pragma(db, "user_version");
  if (app_id == 0 && version == 0 && pragma(db, "page_count") == 0) return "";  // New.
  if (app_id == 0 && !kind.unstamped_table.empty() && has_table(db, kind.unstamped_table)) return "";
  if (app_id != kind.application_id) return "it isn't " + kind.kind + " Attune made";
  if (version > kind.schema_version) return "it was written by a newer Attune";
  return "";
}

std::string why_from(const SqliteError& e) {
  switch (e.code()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "another Attune on this computer is using it right now; close that one and try again";
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return "it looks damaged";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return "this computer won't let Attune write there (" + std::string(e.what()) + ")";
    case SQLITE_FULL:
      return "the disk is full";
    default:
      return e.what();
  }
}

}  // namespace

std::optional<Database> open_private_database(const std::filesystem::path& file, const PrivateFileKind& kind,
                                              std::string* error) {
  const auto refuse = [&](const std::string& why) -> std::optional<Database> {
    if (error)
      *error = kind.name + " at " + file.string() + " can't be opened: " + why +
               ". Nothing was changed; everything in it is still there for you.";
    return std::nullopt;
  };
  if (auto problem = identity::ensure_private_dir(file.parent_path())) return refuse(*problem);
  identity::precreate_private_file(file);  // 0600 before SQLite writes a byte.
  try {
    auto db = Database::open(file.string());
    if (const std::string why = why_not_ours(db, kind); !why.empty()) return refuse(why);
    db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; " + kind.schema +
            "; PRAGMA application_id=" + std::to_string(kind.application_id) +
            "; PRAGMA user_version=" + std::to_string(kind.schema_version) + ";");
    return db;
  } catch (const SqliteError& e) {
    return refuse(why_from(e));
  } catch (const StoreError& e) {
    return refuse(e.what());
  }
}

void forget_removed(Database& db) { db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

}  // namespace attune::store
