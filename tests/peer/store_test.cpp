// The SQLite store keeps what a restart needs: the hosted session and its
// change log, processed intent ids, a joining device's snapshot and outbox.
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "peer_process.hpp"

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

v1::Intent pause_intent() {
  v1::Intent i;
  i.mutable_call_pause();
  return i;
}

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
    v1::Intent confirm;
    confirm.mutable_confirm();
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
    store.save_client_snapshot(ClientSnapshot{"s-1", "127.0.0.1:4000", 7, state_at(7)});
    store.add_check_in(StoredCheckIn{"s-1", 6, 1000, v1::STEP_GAUGE});
    store.add_check_in(StoredCheckIn{"s-other", 2, 1001, v1::STEP_GAUGE});
  }
  Store store(dir.path());
  const auto snapshot = store.load_client_snapshot();
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

}  // namespace
}  // namespace attune::store
