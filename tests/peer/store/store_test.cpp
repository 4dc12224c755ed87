// The SQLite store keeps what a restart needs: the hosted session and its
// change log, processed intent ids, a joining device's snapshot and outbox.
#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "attune/host/intent_memory.hpp"
#include "peer_process.hpp"
#include "attune/intents.hpp"

namespace attune::store {
namespace {

using attune::test::TempDir;

v1::SessionState state_at(uint64_t version) {
  v1::SessionState s;
  s.set_session_id("s-1");
  s.set_version(version);
  s.set_step(v1::STEP_NAME_IT);
  return s;
}

v1::Intent pause_intent() { return intents::pause(); }

TEST(Store, DeviceIdIsStableAcrossReopen) {
  TempDir dir;
  std::string first;
  {
    Store store(dir.path());
    first = store.device_id();
    EXPECT_EQ(first.size(), 32u);
    EXPECT_EQ(store.device_id(), first);
  }
  Store again(dir.path());
  EXPECT_EQ(again.device_id(), first);
}

TEST(Store, HostedSessionAndItsChangesSurviveReopen) {
  TempDir dir;
  {
    Store store(dir.path());
    EXPECT_FALSE(store.load_host_session());
    store.begin_host_session("s-1", state_at(0));
    store.record_change(1, "intent-1", "dev-a", pause_intent(), 1000, state_at(1));
    store.record_change(2, "", "shell", pause_intent(), 1001, state_at(2));
    v1::Refusal refusal;
    refusal.set_code(v1::REFUSAL_CODE_PAUSED);
    refusal.set_message("Already paused.");
    store.record_refusal("intent-2", refusal);
  }
  Store store(dir.path());
  const auto session = store.load_host_session();
  ASSERT_TRUE(session);
  EXPECT_EQ(session->session_id, "s-1");
  EXPECT_EQ(session->seq, 2u);
  EXPECT_EQ(session->state.version(), 2u);
  EXPECT_EQ(store.change_count(), 2u);
  const auto processed = store.load_processed_intents();
  ASSERT_EQ(processed.size(), 2u);
  EXPECT_EQ(processed.at("intent-1").seq, 1u);
  EXPECT_FALSE(processed.at("intent-1").refusal);
  ASSERT_TRUE(processed.at("intent-2").refusal);
  EXPECT_EQ(processed.at("intent-2").refusal->code(), v1::REFUSAL_CODE_PAUSED);
}

TEST(Store, ASequenceIsStoredOnlyOnce) {
  TempDir dir;
  Store store(dir.path());
  store.begin_host_session("s-1", state_at(0));
  store.record_change(1, "intent-1", "dev-a", pause_intent(), 1000, state_at(1));
  EXPECT_THROW(store.record_change(1, "intent-9", "dev-a", pause_intent(), 1000, state_at(1)), StoreError);
  // The failed transaction left nothing behind and the store still works.
  EXPECT_EQ(store.load_host_session()->seq, 1u);
  store.record_change(2, "intent-2", "dev-a", pause_intent(), 1000, state_at(2));
  EXPECT_EQ(store.load_host_session()->seq, 2u);
}

TEST(Store, NewHostedSessionForgetsTheOldOne) {
  TempDir dir;
  Store store(dir.path());
  store.begin_host_session("s-1", state_at(0));
  store.record_change(1, "intent-1", "dev-a", pause_intent(), 1000, state_at(1));
  store.begin_host_session("s-2", state_at(0));
  EXPECT_EQ(store.load_host_session()->session_id, "s-2");
  EXPECT_EQ(store.change_count(), 0u);
  EXPECT_TRUE(store.load_processed_intents().empty());
}

TEST(Store, OutboxKeepsOrderAndSurvivesReopen) {
  TempDir dir;
  {
    Store store(dir.path());
    const v1::Intent confirm = intents::confirm();
    store.outbox_add("i-1", confirm);
    store.outbox_add("i-2", pause_intent());
    store.outbox_add("i-1", confirm);  // Adding again is harmless.
    store.outbox_add("i-3", confirm);
    store.outbox_remove({"i-3"});
  }
  Store store(dir.path());
  const auto outbox = store.outbox_load();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[0].intent_id, "i-1");
  EXPECT_TRUE(outbox[0].intent.has_confirm());
  EXPECT_EQ(outbox[1].intent_id, "i-2");
  store.outbox_clear();
  EXPECT_TRUE(store.outbox_load().empty());
}

TEST(Store, ClientSnapshotAndPrivateCheckIns) {
  TempDir dir;
  {
    Store store(dir.path());
    store.save_joiner_snapshot(JoinerSnapshot{"s-1", "127.0.0.1:4000", 7, state_at(7)});
    store.add_check_in(StoredCheckIn{"s-1", 6, 1000, v1::STEP_GAUGE});
    store.add_check_in(StoredCheckIn{"s-other", 2, 1001, v1::STEP_GAUGE});
  }
  Store store(dir.path());
  const auto snapshot = store.load_joiner_snapshot();
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(snapshot->seq, 7u);
  EXPECT_EQ(snapshot->host, "127.0.0.1:4000");
  EXPECT_EQ(snapshot->state.version(), 7u);
  const auto mine = store.load_check_ins("s-1");
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].level, 6);
}

TEST(Store, AnUnusableFolderIsAClearError) {
  TempDir dir;
  const auto file = dir.path() / "not-a-folder";
  { std::ofstream(file) << "x"; }
  try {
    Store store(file / "sub");
    FAIL() << "expected an error";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("data folder"), std::string::npos) << error.what();
  }
}

// --- Damaged files and disks that refuse writes ---

void write_file(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Damage damage_of(const std::filesystem::path& dir) {
  try {
    Store store(dir);
  } catch (const DamagedStoreError& error) {
    EXPECT_EQ(error.file(), database_file(dir));
    return error.damage();
  }
  ADD_FAILURE() << "expected the file to be refused";
  return Damage::Unreadable;
}

TEST(Store, GarbageFileIsReportedAsDamagedAndLeftAlone) {
  TempDir dir;
  const std::string garbage(10000, '\x42');
  write_file(database_file(dir.path()), garbage);
  EXPECT_EQ(damage_of(dir.path()), Damage::Unreadable);
  EXPECT_EQ(read_file(database_file(dir.path())), garbage);
}

TEST(Store, TruncatedFileIsReportedAsDamaged) {
  TempDir dir;
  {
    Store store(dir.path());
    store.begin_host_session("s-1", state_at(0));
    for (uint64_t i = 1; i <= 200; ++i)
      store.record_change(i, "i" + std::to_string(i), "a", pause_intent(), 0, state_at(i));
  }
  const auto bytes = read_file(database_file(dir.path()));
  ASSERT_GT(bytes.size(), 8192u);
  write_file(database_file(dir.path()), bytes.substr(0, bytes.size() / 2 + 10));
  EXPECT_EQ(damage_of(dir.path()), Damage::Unreadable);
}

TEST(Store, SomeoneElsesDatabaseIsNotTouched) {
  TempDir dir;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(database_file(dir.path()).c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE photos (name TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  const auto before = read_file(database_file(dir.path()));
  EXPECT_EQ(damage_of(dir.path()), Damage::NotOurs);
  EXPECT_EQ(read_file(database_file(dir.path())), before);
}

TEST(Store, NewerSchemaVersionIsRefusedWithTheVersionsNamed) {
  TempDir dir;
  { Store store(dir.path()); }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(database_file(dir.path()).c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  try {
    Store store(dir.path());
    FAIL() << "expected a newer file to be refused";
  } catch (const DamagedStoreError& error) {
    EXPECT_EQ(error.damage(), Damage::Newer);
    EXPECT_NE(std::string(error.what()).find("newer version"), std::string::npos) << error.what();
  }
}

TEST(Store, WritesTheSchemaVersionAndReopensItsOwnFile) {
  TempDir dir;
  {
    Store store(dir.path());
    store.begin_host_session("s-1", state_at(0));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(database_file(dir.path()).c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), kSchemaVersion);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  Store again(dir.path());
  EXPECT_TRUE(again.load_host_session().has_value());
  EXPECT_FALSE(again.unavailable().has_value());
}

TEST(Store, MoveAsideKeepsEveryByteUnderATimestampedName) {
  TempDir dir;
  const std::string garbage = "not a database at all";
  write_file(database_file(dir.path()), garbage);
  write_file(dir.path() / "attune.db-wal", "wal bytes");
  const auto aside = move_aside(dir.path());
  ASSERT_TRUE(aside);
  EXPECT_NE(aside->filename().string().find("attune.db.set-aside-"), std::string::npos);
  EXPECT_EQ(read_file(*aside), garbage);
  auto wal = *aside;
  wal += "-wal";
  EXPECT_EQ(read_file(wal), "wal bytes");
  EXPECT_FALSE(std::filesystem::exists(database_file(dir.path())));
  EXPECT_FALSE(move_aside(dir.path()).has_value()) << "nothing left to move";
  Store fresh(dir.path());
  EXPECT_FALSE(fresh.load_host_session().has_value());
}

TEST(Store, ReadOnlyFolderKeepsWorkingInMemoryAndSaysWhy) {
  if (::geteuid() == 0)
    GTEST_SKIP() << "root writes anywhere; storage_fault_test covers this with a read-only mount";
  TempDir dir;
  std::filesystem::permissions(dir.path(),
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  std::vector<Unavailable> said;
  {
    Store store(dir.path());
    store.on_unavailable([&](Unavailable why) { said.push_back(why); });
    ASSERT_TRUE(store.unavailable().has_value());
    store.begin_host_session("s-1", state_at(0));
    store.record_change(1, "i1", "a", pause_intent(), 0, state_at(1));
  }
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all);
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0], Unavailable::ReadOnly);
}

TEST(Store, WordsForEachReasonAreWarmAndSayTheSessionGoesOn) {
  for (auto why : {Unavailable::DiskFull, Unavailable::ReadOnly, Unavailable::Failing}) {
    const auto text = describe(why);
    EXPECT_NE(text.find("The conversation can go on"), std::string::npos) << text;
    EXPECT_NE(text.find("restart"), std::string::npos) << text;
  }
  EXPECT_NE(describe(Unavailable::DiskFull).find("disk is full"), std::string::npos);
}

// Storage grows with the session's content, not with the number of writes
// (issue 12, item 4): 3,000 rewrites of an 8 KB text keep one state and one
// intent, and the memory of refusals is bounded too. Sizes are of the file
// after the store closed (SQLite folds its log back in then).
// A change is committed to the log before its reply leaves, but the reply
// never waits for the log to be copied into the file (a checkpoint, with two
// fsyncs, milliseconds on a slow disk): the host runs it when the session is
// quiet (net::Host::checkpoint_when_quiet), and a log past the cap is copied
// at once. Nothing is lost either way.
TEST(Store, ChangesNeverWaitForACheckpointBelowTheCapAndSurviveOne) {
  TempDir dir;
  const std::string text(2 * 1024, 'w');
  const auto file = database_file(dir.path());
  std::uintmax_t before = 0;
  {
    Store store(dir.path());
    store.begin_host_session("s-1", state_at(0));
    store.checkpoint();
    before = std::filesystem::file_size(file);
    uint64_t seq = 0;
    while (!store.checkpoint_due() && seq < 10'000) {
      v1::SessionState state = state_at(++seq);
      state.set_session_name(text);
      store.record_change(seq, "write-" + std::to_string(seq), "dev-b", intents::write(text), 1000, state);
    }
    ASSERT_TRUE(store.checkpoint_due());
    // A few hundred more, all past SQLite's own checkpoint threshold.
    for (int i = 0; i < 300; ++i) {
      v1::SessionState state = state_at(++seq);
      state.set_session_name(text);
      store.record_change(seq, "write-" + std::to_string(seq), "dev-b", intents::write(text), 1000, state);
    }
    EXPECT_EQ(std::filesystem::file_size(file), before) << "a change waited for a checkpoint";
    store.checkpoint();
    EXPECT_FALSE(store.checkpoint_due());
    EXPECT_GT(std::filesystem::file_size(file), before) << "checkpoint() copied nothing into the file";
    v1::SessionState last = state_at(++seq);
    last.set_session_name("after the checkpoint");
    store.record_change(seq, "write-last", "dev-b", intents::write("x"), 1000, last);
  }
  Store store(dir.path());
  const auto session = store.load_host_session();
  ASSERT_TRUE(session);
  EXPECT_EQ(session->state.session_name(), "after the checkpoint");
  EXPECT_TRUE(store.load_processed_intents().contains("write-last"));
}

TEST(Store, ThousandsOfRewritesAndRefusalsKeepTheFileSmall) {
  TempDir dir;
  const std::string text(8 * 1024, 'w');
  std::uintmax_t empty_size = 0;
  {
    Store store(dir.path());
    store.begin_host_session("s-1", state_at(0));
  }
  empty_size = std::filesystem::file_size(database_file(dir.path()));
  {
    Store store(dir.path());
    const v1::Intent write = intents::write(text);
    for (uint64_t seq = 1; seq <= 3000; ++seq) {
      v1::SessionState state = state_at(seq);
      state.set_session_name(text);  // Stands for the current draft: 8 KB in every state.
      store.record_change(seq, "write-" + std::to_string(seq), "dev-b", write, 1000, state);
    }
    v1::Refusal refusal;
    refusal.set_code(v1::REFUSAL_CODE_NOT_ADMITTED);
    refusal.set_message("Please wait until the partners let you in.");
    for (int i = 0; i < 20'000; ++i) store.record_refusal("refused-" + std::to_string(i), refusal);
  }
  const auto size = std::filesystem::file_size(database_file(dir.path()));
  std::printf("store: 3,000 rewrites of 8 KB and 20,000 refusals: file %ju KiB -> %ju KiB\n", empty_size / 1024,
              size / 1024);
  EXPECT_LT(size, empty_size + 2 * 1024 * 1024) << "the file grew with the number of writes";

  Store store(dir.path());
  const auto session = store.load_host_session();
  ASSERT_TRUE(session);
  EXPECT_EQ(session->seq, 3000u);
  EXPECT_EQ(session->state.session_name(), text);
  const auto processed = store.load_processed_intents();
  // The newest ids are kept for dedupe, and only those.
  EXPECT_TRUE(processed.contains("write-3000"));
  EXPECT_TRUE(processed.contains("refused-19999"));
  EXPECT_FALSE(processed.contains("refused-0"));
  EXPECT_LE(processed.size(), host::kRememberedChanges + host::kRememberedRefusals);
}

}  // namespace
}  // namespace attune::store
