#include "app/history_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "local_flow.hpp"

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

  const std::string path = temp_db("keep.db");
  std::string error;
  {
    auto store = HistoryStore::open(path, &error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->save(entry));
    ASSERT_TRUE(store->save(entry));  // Saving twice keeps one entry.
  }
  auto store = HistoryStore::open(path, &error);
  ASSERT_TRUE(store) << error;
  const auto list = store->list();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].steps_reached, 9);
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

TEST(HistoryStore, AnUnusablePathIsAClearError) {
  std::string error;
  auto store = HistoryStore::open("/nonexistent-dir/for/sure/history.db", &error);
  EXPECT_FALSE(store);
  EXPECT_NE(error.find("history"), std::string::npos);
}

}  // namespace
}  // namespace attune::app
