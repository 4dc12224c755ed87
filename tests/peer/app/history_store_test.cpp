#include "app/history_store.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>

#include "local_flow.hpp"
#include "attune/intents.hpp"

namespace attune::app {
namespace {

std::string temp_db(const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("attune-history-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::filesystem::remove(path);
  return path.string();
}

TEST(HistoryStore, KeepsMySummaryAndTimelineAcrossReopen) {
  test::LocalFlow f;
  ASSERT_EQ(f.to_share(), "");
  ASSERT_EQ(f.share_to_complete(), "");
  const HistoryEntry entry = make_history_entry(*f.alex->snapshot(), f.now_ms());
  EXPECT_TRUE(entry.completed);
  EXPECT_EQ(entry.role, "Partner A");
  EXPECT_EQ(entry.session_name, "Sunday evening");
  EXPECT_EQ(entry.with, "Sam");
  EXPECT_EQ(entry.gesture, "a long hug");
  EXPECT_EQ(make_history_entry(*f.robin->snapshot(), f.now_ms()).with, "Alex and Sam");
  HistoryEntry noted = entry;
  noted.private_note = "They were tired, not unkind.";

  const std::string path = temp_db("keep.db");
  std::string error;
  {
    auto store = HistoryStore::open(path, &error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->save(noted));
    ASSERT_TRUE(store->save(noted));  // Saving twice keeps one entry.
  }
  auto store = HistoryStore::open(path, &error);
  ASSERT_TRUE(store) << error;
  const auto list = store->list();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].steps_reached, 9);
  EXPECT_EQ(list[0].with, "Sam");
  EXPECT_EQ(list[0].gesture, "a long hug");
  EXPECT_EQ(list[0].private_note, "They were tired, not unkind.");
  ASSERT_EQ(list[0].timeline.size(), entry.timeline.size());
  EXPECT_EQ(list[0].timeline[0].level, entry.timeline[0].level);
  EXPECT_EQ(list[0].timeline[0].step, entry.timeline[0].step);
}

TEST(HistoryStore, NewestFirst) {
  std::string error;
  auto store = HistoryStore::open(temp_db("order.db"), &error);
  ASSERT_TRUE(store) << error;
  HistoryEntry older{"s1", "First", "Partner A", 1000, 2000, true, 9, 0, {}, ""};
  HistoryEntry newer{"s2", "Second", "Coach", 3000, 4000, false, 4, 1, {}, "Went gently."};
  ASSERT_TRUE(store->save(older));
  ASSERT_TRUE(store->save(newer));
  const auto list = store->list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].session_id, "s2");
  EXPECT_EQ(list[0].notes, "Went gently.");
}

TEST(HistoryStore, KnowsWhichKindEachSessionWas) {
  test::LocalFlow f;
  ASSERT_EQ(f.admit_everyone(), "");
  v1::Settings quick = f.alex->snapshot()->state.settings();
  quick.set_kind(v1::REPAIR_KIND_QUICK);
  quick.set_repairer(v1::ROLE_PARTNER_A);
  const Intent propose = intents::settings(quick);
  ASSERT_EQ(f.send(*f.alex, propose), "");
  ASSERT_EQ(f.start(), "");
  ASSERT_EQ(f.send(*f.alex, intents::confirm()), "");
  ASSERT_EQ(f.send(*f.sam, intents::confirm()), "");
  ASSERT_EQ(f.both_check_in(1, 1), "");
  ASSERT_EQ(f.send(*f.alex, intents::pass_floor()), "");
  ASSERT_EQ(f.send(*f.sam, intents::heard()), "");
  ASSERT_EQ(f.send(*f.alex, intents::pass_floor()), "");
  ASSERT_EQ(f.send(*f.sam, intents::skip_part()), "");
  ASSERT_EQ(f.both_check_in(1, 1), "");
  ASSERT_EQ(f.send(*f.alex, intents::propose_gesture("A hug")), "");
  const Intent accept = intents::accept_gesture(f.sam->snapshot()->state.gestures(0).id());
  ASSERT_EQ(f.send(*f.sam, accept), "");

  const HistoryEntry entry = make_history_entry(*f.sam->snapshot(), f.now_ms());
  EXPECT_TRUE(entry.completed);
  EXPECT_EQ(entry.kind, RepairKindRecord::Quick);
  EXPECT_EQ(entry.steps_reached, 5);
  EXPECT_EQ(steps_total(entry.kind), 5);
  HistoryEntry later = entry;
  later.session_id = "s-later";
  later.ended_ms += 1000;
  later.kind = RepairKindRecord::QuickThenFull;

  std::string error;
  auto store = HistoryStore::open(temp_db("kinds.db"), &error);
  ASSERT_TRUE(store) << error;
  ASSERT_TRUE(store->save(entry));
  ASSERT_TRUE(store->save(later));
  const auto list = store->list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].kind, RepairKindRecord::QuickThenFull);
  EXPECT_EQ(list[1].kind, RepairKindRecord::Quick);
  EXPECT_EQ(kind_words(list[1].kind), "Quick repair");
}

TEST(HistoryStore, AFileFromBeforeKindsOpensAndReadsAsTheWholeConversation) {
  const std::string path = temp_db("older.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE sessions (session_id TEXT PRIMARY KEY, session_name TEXT NOT NULL, "
                         "role TEXT NOT NULL, started_ms INTEGER NOT NULL, ended_ms INTEGER NOT NULL, "
                         "completed INTEGER NOT NULL, steps INTEGER NOT NULL, pauses INTEGER NOT NULL, "
                         "timeline TEXT NOT NULL, notes TEXT NOT NULL);"
                         "INSERT INTO sessions VALUES ('s-old', 'Last spring', 'Partner B', 1, 2, 1, 9, 0, "
                         "'[]', '');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::string error;
  auto store = HistoryStore::open(path, &error);
  ASSERT_TRUE(store) << error;
  const auto list = store->list();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].session_name, "Last spring");
  EXPECT_EQ(list[0].kind, RepairKindRecord::Full);
  HistoryEntry quick = list[0];
  quick.session_id = "s-new";
  quick.kind = RepairKindRecord::Quick;
  EXPECT_TRUE(store->save(quick)) << "the older file takes new entries too";
}

TEST(HistoryStore, AnUnusablePathIsAClearError) {
  std::string error;
  auto store = HistoryStore::open("/nonexistent-dir/for/sure/history.db", &error);
  EXPECT_FALSE(store);
  EXPECT_NE(error.find("history"), std::string::npos);
}

}  // namespace
}  // namespace attune::app
