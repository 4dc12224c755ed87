// A private SQLite file of this device's own (journal.db, prepare.db,
// invitations.db, reminders.db), opened the one way they all need:
//   - its folder 0700 and the file created 0600 before SQLite writes a byte;
//   - "is this file ours": the file's application_id must be the one this
//     kind of file is stamped with (or the file is new), and its
//     user_version no newer than this build knows;
//   - WAL with full sync (every change on disk before it returns), and
//     secure_delete, so a removed entry's words are overwritten, not just
//     unlinked from the tree;
//   - every refusal in plain words that say nothing was changed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "store/sqlite.hpp"

namespace attune::store {

struct PrivateFileKind {
  std::int64_t application_id = 0;  // Four letters, e.g. 0x41544A4E "ATJN".
  std::int64_t schema_version = 1;
  std::string schema;               // CREATE TABLE IF NOT EXISTS ...; run on every open.
  std::string name;                 // Whose it is, for sentences: "Your journal".
  std::string kind;                 // What it holds: "a journal" ("it isn't a journal Attune made").
  // Files written before this kind was stamped with an id: an unstamped file
  // that already holds this table is taken as an older file of ours.
  std::string unstamped_table;
};

// Opens (creating if needed) `file` as `kind`. On a refusal returns nullopt
// and sets *error to a sentence; the file is left exactly as it was.
std::optional<Database> open_private_database(const std::filesystem::path& file, const PrivateFileKind& kind,
                                              std::string* error);

// Runs after removing private words: moves everything out of the write-ahead
// log into the main file and truncates the log, so the removed words are in
// neither file. Throws SqliteError.
void forget_removed(Database& db);

}  // namespace attune::store
