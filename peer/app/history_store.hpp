// This device's own record of past sessions (steps, time, pauses, its own
// activation timeline, who it was with, the gesture agreed, a coach's
// private notes, a partner's private note from "benefit of the doubt"). Kept in SQLite on this
// device; nothing is uploaded.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/view_model.hpp"
#include "node_api.hpp"
#include "store/sqlite.hpp"

namespace attune::app {

struct HistoryEntry {
  std::string session_id;
  std::string session_name;
  std::string role;  // "Partner A", "Coach".
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
  bool completed = false;  // Finished together (vs stopped).
  int steps_reached = 0;
  uint32_t pauses = 0;
  std::vector<PrivateCheckIn> timeline;
  std::string notes;  // Coach's private notes.
  std::string with = {};          // The others by name: "Alex", or for a coach "Alex and Sam".
  std::string gesture = {};       // The gesture both accepted, if any.
  std::string private_note = {};  // My note from "benefit of the doubt": never sent, kept only here.
  RepairKindRecord kind = RepairKindRecord::Full;  // Stored as its number; older rows read as Full.
};

// The entry this device keeps for a finished or stopped session.
HistoryEntry make_history_entry(const NodeView& snap, int64_t now_ms);

class HistoryStore {
 public:
  // Opens (or creates) the store at path. Returns nullptr and sets *error
  // when the file can't be used.
  static std::unique_ptr<HistoryStore> open(const std::string& path, std::string* error);
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // Inserts or replaces the entry for its session id.
  bool save(const HistoryEntry& entry);
  // Newest first.
  std::vector<HistoryEntry> list(int limit = 100) const;
  std::optional<HistoryEntry> find(const std::string& session_id) const;

 private:
  explicit HistoryStore(store::Database db) : db_(std::move(db)) {}
  // Mutable: reading prepares statements on the connection.
  mutable store::Database db_;
};

}  // namespace attune::app
