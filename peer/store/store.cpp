#include "store/store.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <system_error>
#include <unordered_set>

#include "attune/host/intent_memory.hpp"
#include "attune/proto_text.hpp"
#include "identity/private_file.hpp"
#include "random_id.hpp"
#include "store/folder_lock.hpp"

namespace attune::store {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS host_session (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  session_id TEXT NOT NULL, seq INTEGER NOT NULL, state BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS changes (
  seq INTEGER PRIMARY KEY, intent_id TEXT NOT NULL, actor TEXT NOT NULL,
  intent BLOB NOT NULL, at_ms INTEGER NOT NULL, state BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS intents (
  intent_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, refusal BLOB);
CREATE TABLE IF NOT EXISTS client_snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  session_id TEXT NOT NULL, host TEXT NOT NULL, seq INTEGER NOT NULL, state BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  n INTEGER PRIMARY KEY, intent_id TEXT NOT NULL, intent BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS check_ins (
  n INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, level INTEGER NOT NULL,
  at_ms INTEGER NOT NULL, step INTEGER NOT NULL);
)sql";

// The disk stopped taking writes (as opposed to bad SQL or a bug).
std::optional<Unavailable> disk_failure(int code, int system_errno) {
  if (system_errno == ENOSPC || system_errno == EDQUOT) return Unavailable::DiskFull;
  if (system_errno == EROFS || system_errno == EACCES || system_errno == EPERM) return Unavailable::ReadOnly;
  switch (code) {
    case SQLITE_FULL:
      return Unavailable::DiskFull;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Unavailable::ReadOnly;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Unavailable::Failing;
    default:
      return std::nullopt;
  }
}

std::optional<Unavailable> disk_failure(const std::error_code& ec) {
  switch (ec.value()) {
    case ENOSPC:
    case EDQUOT:
      return Unavailable::DiskFull;
    case EROFS:
    case EACCES:
    case EPERM:
      return Unavailable::ReadOnly;
    case EIO:
      return Unavailable::Failing;
    default:
      return std::nullopt;  // E.g. the path names a file: a mistake to report, not a disk failure.
  }
}

// Never writes what it can't read back: a string that isn't UTF-8 (which
// proto3 would refuse to parse) is repaired on the way to disk.
std::string serialize(const google::protobuf::Message& message) { return serialize_readable(message); }

// Refuses a file that is damaged, someone else's, or from a newer Attune,
// before anything is written to it.
int check_ours(Database& db, const std::string& file) {
  int version = 0;
  int tables = 0;
  bool has_meta = false;
  {
    Statement get(db, "PRAGMA user_version");
    if (get.step()) version = static_cast<int>(get.integer(0));
  }
  if (version > kSchemaVersion) {
    throw DamagedStoreError(Damage::Newer, file,
                            "it was written by a newer version of Attune (data version " +
                                std::to_string(version) + ", this one reads up to " +
                                std::to_string(kSchemaVersion) + ")");
  }
  {
    Statement get(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
    while (get.step()) {
      ++tables;
      if (get.text(0) == "meta") has_meta = true;
    }
  }
  // Version 0 with our tables is a file from before the version number.
  if (tables > 0 && !has_meta) {
    throw DamagedStoreError(Damage::NotOurs, file, "it is a database, but not one Attune made");
  }
  Statement check(db, "PRAGMA quick_check");
  while (check.step()) {
    const std::string row = check.text(0);
    if (row != "ok")
      throw DamagedStoreError(Damage::Unreadable, file, "its contents are damaged (" + row + ")");
  }
  return version;
}

}  // namespace

DamagedStoreError::DamagedStoreError(Damage damage, std::filesystem::path file, const std::string& detail)
    : StoreError(detail), damage_(damage), file_(std::move(file)) {}

std::string describe(Unavailable why) {
  std::string reason;
  switch (why) {
    case Unavailable::DiskFull:
      reason = "the disk is full";
      break;
    case Unavailable::ReadOnly:
      reason = "its data folder can't be written to";
      break;
    case Unavailable::Failing:
      reason = "its disk is not answering properly";
      break;
  }
  return "We can't save this session on this computer right now (" + reason +
         "). The conversation can go on; it just won't survive a restart of this computer's Attune.";
}

std::filesystem::path database_file(const std::filesystem::path& data_dir) { return data_dir / "attune.db"; }

std::optional<std::filesystem::path> move_aside(const std::filesystem::path& data_dir) {
  const auto file = database_file(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const FolderLock lock(data_dir);  // Never move a file another Attune has open.
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  auto target = file;
  target += std::string(".set-aside-") + stamp;
  for (int n = 2; std::filesystem::exists(target, ec) && n < 100; ++n) {
    target = file;
    target += std::string(".set-aside-") + stamp + "-" + std::to_string(n);
  }
  // Companions first, so a crash in between never pairs an old WAL with a
  // new database.
  for (const char* suffix : {"-wal", "-shm"}) {
    auto companion = file;
    companion += suffix;
    if (!std::filesystem::exists(companion, ec)) continue;
    auto moved = target;
    moved += suffix;
    std::filesystem::rename(companion, moved, ec);
    if (ec) throw StoreError("could not move " + companion.string() + " aside: " + ec.message());
  }
  std::filesystem::rename(file, target, ec);
  if (ec) throw StoreError("could not move " + file.string() + " aside: " + ec.message());
  return target;
}

Store::Store(const std::filesystem::path& data_dir, bool full_sync) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    const auto why = disk_failure(ec);
    if (!why) throw StoreError("could not create the data folder " + data_dir.string() + ": " + ec.message());
    open_memory();
    go_memory_only(*why);
    return;
  }
  const auto file = database_file(data_dir).string();
  // Private from the first byte: SQLite gives its -wal and -shm files the
  // database file's mode, so one 0600 file makes all three 0600.
  (void)!::chmod(data_dir.c_str(), 0700);  // Best effort: a read-only disk refuses, and that is fine.
  lock_ = std::make_unique<FolderLock>(data_dir);
  identity::precreate_private_file(file);
  try {
    open_file(file, full_sync);
  } catch (const DamagedStoreError&) {
    close_all();
    throw;
  } catch (const SqliteError& error) {
    close_all();
    if (error.code() == SQLITE_NOTADB || error.code() == SQLITE_CORRUPT) {
      throw DamagedStoreError(
          Damage::Unreadable, file,
          std::string("it is damaged or is not an Attune data file (") + error.what() + ")");
    }
    auto why = disk_failure(error.code(), error.system_errno());
    if (!why) throw;
    // SQLite often keeps no errno for a failed open: ask the folder itself.
    if (*why == Unavailable::Failing && ::access(data_dir.c_str(), W_OK) != 0) {
      why = disk_failure(std::error_code(errno, std::generic_category())).value_or(*why);
    }
    // A saved session is still resumed when it can be read.
    if (!open_saved_read_only(file)) open_memory();
    go_memory_only(*why);
    return;
  }
  // A small write now, so a full disk is found (and said) at start, not at
  // the first change; a saved session stays readable either way.
  write(
      [&] { db_.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_opened', datetime('now'))"); });
}

void Store::open_file(const std::string& file, bool full_sync) {
  db_ = Database::open(file, OpenOptions{.create = true, .exclusive = true});
  const int version = check_ours(db_, file);
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec(full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  // Our own hook replaces SQLite's automatic checkpoint after a commit: the
  // store decides when (Store::write), so a reply never waits for one.
  sqlite3_wal_hook(
      db_.handle(),
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<Store*>(self)->wal_pages_ = pages;
        return SQLITE_OK;
      },
      this);
  db_.exec(kSchema);
  // Written only when it changes: reopening a saved session writes nothing.
  if (version != kSchemaVersion) db_.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
  prepare_statements();
}

// The disk won't take writes but the saved file may still be read. SQLite
// can't read a WAL database read-only after a crash (its log needs
// recovering), so the file and its log are copied to a private temporary
// folder, opened there, copied into memory, and the copy removed at once.
// False, with nothing open, when that fails too.
bool Store::open_saved_read_only(const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(file, ec)) return false;
  const fs::path tmp = fs::temp_directory_path(ec) / ("attune-resume-" + random_id());
  if (ec || !fs::create_directory(tmp, ec)) return false;
  fs::permissions(tmp, fs::perms::owner_all, ec);
  const fs::path copy = tmp / "attune.db";
  bool ok = fs::copy_file(file, copy, ec);
  if (ok && fs::exists(file + "-wal", ec)) ok = fs::copy_file(file + "-wal", tmp / "attune.db-wal", ec);
  try {
    if (!ok) throw SqliteError("could not copy " + file, SQLITE_CANTOPEN, 0);
    {
      Database disk = Database::open(copy.string(), OpenOptions{.create = false, .exclusive = true});
      check_ours(disk, file);
      db_ = Database::memory();
      copy_database(disk, db_);
    }
    fs::remove_all(tmp, ec);
    prepare_statements();  // Fails when the file has no tables of ours yet.
    return true;
  } catch (const DamagedStoreError&) {
    close_all();
    fs::remove_all(tmp, ec);
    throw;
  } catch (const SqliteError&) {
    close_all();
    fs::remove_all(tmp, ec);
    return false;
  }
}

void Store::close_all() {
  for (auto* stmt : {&insert_change_, &insert_intent_, &outbox_insert_, &thin_changes_, &prune_changes_,
                     &prune_intents_, &begin_, &commit_})
    *stmt = Statement();
  db_.close();
}

// A fresh database in memory, with the same schema, for a disk that won't
// take us.
void Store::open_memory() {
  db_ = Database::memory();
  db_.exec(kSchema);
  prepare_statements();
}

void Store::prepare_statements() {
  auto keep = [&](const char* sql) { return Statement(db_, sql, /*persistent=*/true); };
  insert_change_ =
      keep("INSERT INTO changes (seq, intent_id, actor, intent, at_ms, state) VALUES (?, ?, ?, ?, ?, ?)");
  insert_intent_ = keep("INSERT OR REPLACE INTO intents (intent_id, seq, refusal) VALUES (?, ?, ?)");
  thin_changes_ = keep("UPDATE changes SET intent = x'', state = x'' WHERE seq = ? - 1");
  prune_changes_ = keep("DELETE FROM changes WHERE seq <= ?");
  prune_intents_ = keep("DELETE FROM intents WHERE rowid <= (SELECT MAX(rowid) FROM intents) - ?");
  outbox_insert_ = keep("INSERT INTO outbox (intent_id, intent) VALUES (?, ?)");
  begin_ = keep("BEGIN IMMEDIATE");
  commit_ = keep("COMMIT");
}

void Store::on_unavailable(std::function<void(Unavailable)> callback) {
  on_unavailable_ = std::move(callback);
  if (unavailable_ && on_unavailable_) on_unavailable_(*unavailable_);
}

void Store::go_memory_only(Unavailable why) {
  if (unavailable_) return;
  unavailable_ = why;
  if (on_unavailable_) on_unavailable_(why);
}

template <typename Write>
void Store::write(Write&& body, bool on_reply_path) {
  if (unavailable_) return;
  try {
    body();
  } catch (const SqliteError& error) {
    const auto why = disk_failure(error.code(), error.system_errno());
    if (!why) throw;
    go_memory_only(*why);
    return;
  }
  if (wal_pages_ >= (on_reply_path ? kWalCapPages : kCheckpointPages)) checkpoint();
}

void Store::checkpoint() {
  if (unavailable_ || wal_pages_ == 0) return;
  // PASSIVE: with this connection the only one, it copies the whole log.
  if (sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
      SQLITE_OK)
    wal_pages_ = 0;  // The next commit starts the log over.
}

Store::~Store() { close_all(); }

bool Store::has_device_id() {
  Statement get(db_, "SELECT value FROM meta WHERE key = 'device_id'");
  return get.step();
}

void Store::adopt_device_id(const std::string& id) {
  write([&] {
    Statement put(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES ('device_id', ?)");
    put.bind(1, id).run();
  });
}

std::string Store::device_id() {
  {
    Statement get(db_, "SELECT value FROM meta WHERE key = 'device_id'");
    if (get.step()) return get.text(0);
  }
  const std::string id = random_id();
  write([&] {
    Statement put(db_, "INSERT INTO meta (key, value) VALUES ('device_id', ?)");
    put.bind(1, id).run();
  });
  return id;
}

std::optional<HostSession> Store::load_host_session() {
  Statement get(db_, "SELECT session_id, seq, state FROM host_session WHERE id = 1");
  if (!get.step()) return std::nullopt;
  HostSession out;
  out.session_id = get.text(0);
  out.seq = static_cast<uint64_t>(get.integer(1));
  std::string bytes = get.text(2);
  // The newest change row holds the state after it.
  Statement last(db_, "SELECT seq, state FROM changes ORDER BY seq DESC LIMIT 1");
  if (last.step()) {
    out.seq = static_cast<uint64_t>(last.integer(0));
    bytes = last.text(1);
  }
  // An older version may have stored a name that isn't UTF-8: repaired here,
  // so the session still resumes.
  if (!parse_repairing(bytes, out.state))
    throw StoreError("the stored session is damaged and cannot be read");
  return out;
}

void Store::begin_host_session(const std::string& session_id, const v1::SessionState& state) {
  write([&] {
    Transaction transaction(db_);
    {
      db_.exec(
          "DELETE FROM changes; DELETE FROM intents; DELETE FROM host_session; "
          "DELETE FROM meta WHERE key = 'declined';");
      Statement put(db_, "INSERT INTO host_session (id, session_id, seq, state) VALUES (1, ?, 0, ?)");
      put.bind(1, session_id).bind_blob(2, serialize(state)).run();
    }
    transaction.commit();
  });
}

void Store::record_change(uint64_t seq, const std::string& intent_id, const std::string& actor,
                          const v1::Intent& intent, int64_t at_ms, const v1::SessionState& state) {
  // One transaction: the change, the id it came from (for dedupe) and the
  // state after it, so a restart needs no replay. Only the newest row keeps
  // a state and an intent: the file grows with the session's content, not
  // with the number of writes (a rewrite of the same text replaces it), and
  // only the newest ids are kept for dedupe (attune/host/intent_memory.hpp).
  write(
      [&] {
        Transaction transaction(db_, begin_, commit_);
        {
          insert_change_.bind(1, static_cast<int64_t>(seq))
              .bind(2, intent_id)
              .bind(3, actor)
              .bind_blob(4, serialize(intent))
              .bind(5, at_ms)
              .bind_blob(6, serialize(state))
              .run();
          thin_changes_.bind(1, static_cast<int64_t>(seq)).run();
          prune_changes_.bind(1, static_cast<int64_t>(seq) - static_cast<int64_t>(host::kRememberedChanges))
              .run();
        }
        transaction.commit();
      },
      /*on_reply_path=*/true);
}

void Store::record_refusal(const std::string& intent_id, const v1::Refusal& refusal) {
  write([&] {
    Transaction transaction(db_);
    {
      insert_intent_.bind(1, intent_id).bind(2, int64_t{0}).bind_blob(3, serialize(refusal)).run();
      // Bounded: only the newest refusals are remembered.
      prune_intents_.bind(1, static_cast<int64_t>(host::kRememberedRefusals)).run();
    }
    transaction.commit();
  });
}

void Store::record_declined(const std::string& device_id) {
  auto declined = load_declined();
  if (std::find(declined.begin(), declined.end(), device_id) != declined.end()) return;
  declined.push_back(device_id);
  std::string value;
  for (const auto& id : declined) value += id + "\n";
  write([&] {
    Statement(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES ('declined', ?)").bind(1, value).run();
  });
}

std::vector<std::string> Store::load_declined() {
  std::vector<std::string> out;
  Statement get(db_, "SELECT value FROM meta WHERE key = 'declined'");
  if (!get.step()) return out;
  const std::string value = get.text(0);
  std::size_t start = 0;
  for (std::size_t end; (end = value.find('\n', start)) != std::string::npos; start = end + 1) {
    if (end > start) out.push_back(value.substr(start, end - start));
  }
  return out;
}

std::unordered_map<std::string, ProcessedIntent> Store::load_processed_intents() {
  std::unordered_map<std::string, ProcessedIntent> out;
  {
    Statement applied(db_, "SELECT intent_id, seq FROM changes WHERE intent_id <> ''");
    while (applied.step())
      out.emplace(applied.text(0), ProcessedIntent{static_cast<uint64_t>(applied.integer(1)), {}});
  }
  Statement get(db_, "SELECT intent_id, seq, refusal FROM intents");
  while (get.step()) {
    ProcessedIntent processed;
    processed.seq = static_cast<uint64_t>(get.integer(1));
    if (!get.is_null(2)) {
      v1::Refusal refusal;
      parse_repairing(get.text(2), refusal);
      processed.refusal = refusal;
    }
    out.emplace(get.text(0), std::move(processed));
  }
  return out;
}

uint64_t Store::change_count() {
  Statement get(db_, "SELECT COUNT(*) FROM changes");
  get.step();
  return static_cast<uint64_t>(get.integer(0));
}

std::optional<JoinerSnapshot> Store::load_joiner_snapshot() {
  Statement get(db_, "SELECT session_id, host, seq, state FROM client_snapshot WHERE id = 1");
  if (!get.step()) return std::nullopt;
  JoinerSnapshot out;
  out.session_id = get.text(0);
  out.host = get.text(1);
  out.seq = static_cast<uint64_t>(get.integer(2));
  if (!parse_repairing(get.text(3), out.state)) return std::nullopt;  // A cache: start fresh.
  return out;
}

void Store::save_joiner_snapshot(const JoinerSnapshot& snapshot) {
  write([&] {
    Statement put(
        db_,
        "INSERT OR REPLACE INTO client_snapshot (id, session_id, host, seq, state) VALUES (1, ?, ?, ?, ?)");
    put.bind(1, snapshot.session_id)
        .bind(2, snapshot.host)
        .bind(3, static_cast<int64_t>(snapshot.seq))
        .bind_blob(4, serialize(snapshot.state))
        .run();
  });
}

void Store::outbox_add(const std::string& intent_id, const v1::Intent& intent) {
  write([&] { outbox_insert_.bind(1, intent_id).bind_blob(2, serialize(intent)).run(); });
}

void Store::outbox_add_all(const std::vector<OutboxEntry>& entries) {
  if (entries.size() == 1) {
    outbox_add(entries[0].intent_id, entries[0].intent);
    return;
  }
  write([&] {
    Transaction transaction(db_);
    {
      for (const auto& entry : entries) {
        outbox_insert_.bind(1, entry.intent_id).bind_blob(2, serialize(entry.intent)).run();
      }
    }
    transaction.commit();
  });
}

void Store::outbox_remove(const std::vector<std::string>& intent_ids) {
  if (intent_ids.empty()) return;
  write([&] {
    Transaction transaction(db_);
    {
      Statement del(db_, "DELETE FROM outbox WHERE intent_id = ?");
      for (const auto& id : intent_ids) {
        del.bind(1, id).run();
        del.reset();
      }
    }
    transaction.commit();
  });
}

void Store::outbox_clear() {
  write([&] { db_.exec("DELETE FROM outbox"); });
}

std::vector<OutboxEntry> Store::outbox_load() {
  std::vector<OutboxEntry> out;
  std::unordered_set<std::string> seen;  // An id added twice is sent once.
  Statement get(db_, "SELECT intent_id, intent FROM outbox ORDER BY n");
  while (get.step()) {
    OutboxEntry entry;
    entry.intent_id = get.text(0);
    if (!seen.insert(entry.intent_id).second) continue;
    if (parse_repairing(get.text(1), entry.intent)) out.push_back(std::move(entry));
  }
  return out;
}

void Store::add_check_in(const StoredCheckIn& check_in) {
  write([&] {
    Statement put(db_, "INSERT INTO check_ins (session_id, level, at_ms, step) VALUES (?, ?, ?, ?)");
    put.bind(1, check_in.session_id)
        .bind(2, int64_t{check_in.level})
        .bind(3, check_in.at_ms)
        .bind(4, int64_t{check_in.step})
        .run();
  });
}

std::vector<StoredCheckIn> Store::load_check_ins(const std::string& session_id) {
  std::vector<StoredCheckIn> out;
  Statement get(db_, "SELECT level, at_ms, step FROM check_ins WHERE session_id = ? ORDER BY n");
  get.bind(1, session_id);
  while (get.step()) {
    StoredCheckIn entry;
    entry.session_id = session_id;
    entry.level = static_cast<int>(get.integer(0));
    entry.at_ms = get.integer(1);
    entry.step = static_cast<v1::Step>(get.integer(2));
    out.push_back(entry);
  }
  return out;
}

}  // namespace attune::store
