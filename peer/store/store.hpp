// This device's durable data in one SQLite file: its device id, the hosted
// session with its change log and the intent ids already processed, and, when
// joining, the last replicated snapshot, the outbox of unacknowledged intents
// and this device's private check-in timeline.
//
// Durability: WAL journal with synchronous=NORMAL. A committed transaction
// survives the process being killed at any moment (it is in the WAL, handed
// to the kernel); only a power loss or kernel crash can lose the last few
// commits. That trade keeps a commit in the tens of microseconds. Hosts that
// want power-loss safety can pass `full_sync`, at the cost of an fsync each
// change.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "attune/v1/session.pb.h"

struct sqlite3;
struct sqlite3_stmt;

namespace attune::store {

namespace v1 = ::attune::v1;

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HostSession {
  std::string session_id;
  uint64_t seq = 0;
  v1::SessionState state;
};

// What became of an intent id the host already processed.
struct ProcessedIntent {
  uint64_t seq = 0;  // 0 when refused.
  std::optional<v1::Refusal> refusal;
};

struct ClientSnapshot {
  std::string session_id;
  std::string host;  // host:port it came from.
  uint64_t seq = 0;
  v1::SessionState state;
};

struct OutboxEntry {
  std::string intent_id;
  v1::Intent intent;
};

struct StoredCheckIn {
  std::string session_id;
  int level = 0;
  int64_t at_ms = 0;
  v1::Step step = v1::STEP_UNSPECIFIED;
};

class Store {
 public:
  // Opens (creating if needed) data_dir/attune.db. Throws StoreError.
  explicit Store(const std::filesystem::path& data_dir, bool full_sync = false);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // A random id made once per data directory.
  std::string device_id();

  // --- Hosting ---
  std::optional<HostSession> load_host_session();
  // Starts a new hosted session, forgetting any earlier one.
  void begin_host_session(const std::string& session_id, const v1::SessionState& state);
  // One accepted change, committed before the caller broadcasts it.
  void record_change(uint64_t seq, const std::string& intent_id, const std::string& actor,
                     const v1::Intent& intent, int64_t at_ms, const v1::SessionState& state);
  void record_refusal(const std::string& intent_id, const v1::Refusal& refusal);
  std::unordered_map<std::string, ProcessedIntent> load_processed_intents();
  uint64_t change_count();

  // --- Joining ---
  std::optional<ClientSnapshot> load_client_snapshot();
  void save_client_snapshot(const ClientSnapshot& snapshot);
  void outbox_add(const std::string& intent_id, const v1::Intent& intent);
  void outbox_remove(const std::vector<std::string>& intent_ids);
  void outbox_clear();
  std::vector<OutboxEntry> outbox_load();

  // --- This device's private timeline ---
  void add_check_in(const StoredCheckIn& check_in);
  std::vector<StoredCheckIn> load_check_ins(const std::string& session_id);

 private:
  class Statement;
  void exec(const char* sql);
  sqlite3_stmt* prepare(const char* sql);
  [[noreturn]] void fail(const std::string& what);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* insert_change_ = nullptr;
  sqlite3_stmt* insert_intent_ = nullptr;
  sqlite3_stmt* update_session_ = nullptr;
  sqlite3_stmt* outbox_insert_ = nullptr;
};

}  // namespace attune::store
