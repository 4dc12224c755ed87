// This device's durable data in one SQLite file: its device id, the hosted
// session with its change log (each row: the intent, its id for dedupe, and
// the state after it) and refused intent ids, and, when
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
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "attune/v1/session.pb.h"
#include "store/sqlite.hpp"

namespace attune::store {

namespace v1 = ::attune::v1;

// Why a database file on disk cannot be used as it is.
enum class Damage {
  Unreadable,  // Not a database, truncated, or its pages are damaged.
  NotOurs,     // A valid SQLite file, but not one Attune made.
  Newer,       // Made by a newer Attune (a higher schema version).
};

// The data file exists but cannot be used; the user may start fresh, which
// moves it aside (see move_aside). Thrown by the Store constructor only.
class DamagedStoreError : public StoreError {
 public:
  DamagedStoreError(Damage damage, std::filesystem::path file, const std::string& detail);
  Damage damage() const { return damage_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  Damage damage_;
  std::filesystem::path file_;
};

// Why this device keeps its session in memory only.
enum class Unavailable {
  DiskFull,
  ReadOnly,
  Failing,  // Any other I/O error (permissions, a vanished disk, ...).
};

// Plain, warm words for the person at this device.
std::string describe(Unavailable why);

// The schema version this build writes (PRAGMA user_version).
constexpr int kSchemaVersion = 1;

// The data file inside a data folder.
std::filesystem::path database_file(const std::filesystem::path& data_dir);

// Moves data_dir's database file (and its WAL/SHM companions) aside to
// attune.db.set-aside-<UTC timestamp>, never deleting anything. Returns the
// new path, or nullopt when there was no file. Throws StoreError.
std::optional<std::filesystem::path> move_aside(const std::filesystem::path& data_dir);

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

struct JoinerSnapshot {
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

class FolderLock;

class Store {
 public:
  // Opens (creating if needed) data_dir/attune.db. Throws DamagedStoreError
  // when the file is there but unusable. When the disk refuses to let us
  // create or write it (full, read-only, failing), the store keeps going in
  // memory instead: see unavailable(). Throws FolderInUseError (in
  // store/folder_lock.hpp) when another Attune process has the folder.
  explicit Store(const std::filesystem::path& data_dir, bool full_sync = false);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Set when the disk stopped taking our writes: from then on every write is
  // kept only in memory (by the caller's own state) and nothing more is
  // written, even if the disk recovers, so the file never holds a session
  // with a gap in the middle.
  std::optional<Unavailable> unavailable() const { return unavailable_; }
  // Called once, on the thread that wrote, when the store goes memory-only.
  void on_unavailable(std::function<void(Unavailable)> callback);

  // A random id made once per data directory.
  std::string device_id();
  // Whether a device id was stored before (false for a new or in-memory file).
  bool has_device_id();
  // Names this device with `id` from now on: a fresh file joins the device
  // key already on disk (after --fresh-start, or a file moved away).
  void adopt_device_id(const std::string& id);

  // --- Hosting ---
  std::optional<HostSession> load_host_session();
  // Starts a new hosted session, forgetting any earlier one.
  void begin_host_session(const std::string& session_id, const v1::SessionState& state);
  // One accepted change, committed before the caller broadcasts it. It never
  // waits for a checkpoint (copying the log into the file, with its fsyncs)
  // unless the log has grown past kWalCapPages: the caller runs
  // checkpoint() when the session is quiet.
  void record_change(uint64_t seq, const std::string& intent_id, const std::string& actor,
                     const v1::Intent& intent, int64_t at_ms, const v1::SessionState& state);
  // Keeps only the newest refusals (attune/host/intent_memory.hpp).
  void record_refusal(const std::string& intent_id, const v1::Refusal& refusal);
  // Devices the partners declined in this session; begin_host_session forgets them.
  void record_declined(const std::string& device_id);
  std::vector<std::string> load_declined();
  std::unordered_map<std::string, ProcessedIntent> load_processed_intents();
  uint64_t change_count();

  // The write-ahead log holds at least kCheckpointPages pages: time to copy
  // it into the file (checkpoint()). Other writes do it themselves.
  bool checkpoint_due() const { return wal_pages_ >= kCheckpointPages; }
  // Copies the log into the database file. A failure loses nothing (the log
  // still holds every commit) and is tried again next time.
  void checkpoint();
  static constexpr int kCheckpointPages = 1000;  // SQLite's own default.
  static constexpr int kWalCapPages = 4000;      // About 16 MB.

  // --- Joining ---
  std::optional<JoinerSnapshot> load_joiner_snapshot();
  void save_joiner_snapshot(const JoinerSnapshot& snapshot);
  void outbox_add(const std::string& intent_id, const v1::Intent& intent);
  void outbox_add_all(const std::vector<OutboxEntry>& entries);  // One transaction.
  void outbox_remove(const std::vector<std::string>& intent_ids);
  void outbox_clear();
  std::vector<OutboxEntry> outbox_load();

  // --- This device's private timeline ---
  void add_check_in(const StoredCheckIn& check_in);
  std::vector<StoredCheckIn> load_check_ins(const std::string& session_id);

 private:
  void open_file(const std::string& file, bool full_sync);
  void open_memory();
  bool open_saved_read_only(const std::string& file);
  void close_all();
  void prepare_statements();
  // Runs a write; on a disk failure switches to memory-only and returns
  // normally. Other errors still throw.
  // `on_reply_path`: leave the checkpoint for later (see record_change).
  template <typename Write>
  void write(Write&& body, bool on_reply_path = false);
  void go_memory_only(Unavailable why);

  std::unique_ptr<FolderLock> lock_;  // Held while open: one Attune per folder.
  std::optional<Unavailable> unavailable_;
  std::function<void(Unavailable)> on_unavailable_;
  Database db_;  // Declared before its statements, so they go first.
  Statement insert_change_;
  Statement insert_intent_;
  Statement outbox_insert_;
  Statement thin_changes_;
  Statement prune_changes_;
  Statement prune_intents_;
  Statement begin_;
  Statement commit_;
  int wal_pages_ = 0;  // The log's size after the last commit (sqlite3_wal_hook).
};

}  // namespace attune::store
