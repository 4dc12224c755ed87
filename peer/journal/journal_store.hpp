// Where this device keeps its private rupture journal: a SQLite file of its
// own in the data folder (journal.db), mode 0600, never sent anywhere. Every
// change is one transaction, synced to disk before it returns, so a crash
// or a kill at any moment keeps each note whole or not at all. The rules
// (what a note may hold, when the follow-up comes) are common/attune/journal.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "attune/journal/follow_up.hpp"
#include "attune/journal/rupture.hpp"
#include "store/sqlite.hpp"

namespace attune::journal {

// The journal file inside a data folder.
std::filesystem::path journal_file(const std::filesystem::path& data_dir);

class JournalStore {
 public:
  // Opens (or creates, 0600) the journal at `file`. Returns nullptr and sets
  // *error to plain words when it can't be used (damaged, not ours, newer).
  static std::unique_ptr<JournalStore> open(const std::filesystem::path& file, std::string* error);
  ~JournalStore();
  JournalStore(const JournalStore&) = delete;
  JournalStore& operator=(const JournalStore&) = delete;

  // Keeps a new note (checked by accept_draft); the kept entry or why not.
  std::variant<Rupture, Problem> note(const Draft& draft, int64_t now_ms);
  std::variant<Rupture, Problem> mark_repaired(int64_t id, const Repair& repair, int64_t now_ms);
  // Removes an entry for good: with secure_delete its words are overwritten
  // in the file, and the write-ahead log is emptied, so neither file holds
  // them afterwards.
  std::optional<Problem> remove(int64_t id);
  // Every entry, in the order they were noted.
  std::vector<Rupture> list() const;
  std::optional<Rupture> find(int64_t id) const;

  FollowUpSettings follow_up_settings() const;
  std::optional<Problem> set_follow_up(const FollowUpSettings& settings);
  // The follow-up due now, recorded as shown in the same transaction, so it
  // comes exactly once even across restarts; nullopt when none is due.
  std::optional<Rupture> take_follow_up(int64_t now_ms);
  // The follow-up that came and hasn't been dismissed (it stays on screen).
  std::optional<Rupture> showing_follow_up() const;
  std::optional<Problem> dismiss_follow_up(int64_t id);

 private:
  explicit JournalStore(store::Database db) : db_(std::move(db)) {}
  bool save_follow_up_state(const Rupture& r);
  store::Database db_;
};

}  // namespace attune::journal
