#include "recent_hosts.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace attune::discovery {
namespace {

class RecentHostsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("attune-recent-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path() const { return (dir_ / "nested" / "recent_hosts.sqlite").string(); }
  std::filesystem::path dir_;
};

TEST_F(RecentHostsTest, RemembersAcrossRestartsNewestFirst) {
  {
    RecentHosts store(path());
    EXPECT_TRUE(store.problem().empty()) << store.problem();
    store.remember("10.8.0.2:47000", "Sam's laptop", 1000);
    store.remember("[fd00::5]:47000", "Office", 2000);
  }
  RecentHosts again(path());
  const auto list = again.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].address, "[fd00::5]:47000");
  EXPECT_EQ(list[1].label, "Sam's laptop");
}

// Where someone has joined from is theirs alone: 0600 in a 0700 folder,
// even under a typical 022 umask.
TEST_F(RecentHostsTest, TheFileIsTheOwnersAlone) {
  const mode_t old_umask = ::umask(022);
  {
    RecentHosts store(path());
    store.remember("10.8.0.2:47000", "Sam's laptop", 1000);
  }
  ::umask(old_umask);
  struct stat st {};
  ASSERT_EQ(::stat(path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir_ / "nested").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(RecentHostsTest, UsingAgainMovesToTheFrontWithoutDuplicates) {
  RecentHosts store(path());
  store.remember("a:1", "A", 1);
  store.remember("b:1", "B", 2);
  store.remember("a:1", "A again", 3);
  const auto list = store.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].address, "a:1");
  EXPECT_EQ(list[0].label, "A again");
}

TEST_F(RecentHostsTest, KeepsOnlyTheNewest) {
  RecentHosts store(path());
  for (int i = 0; i < 30; ++i) store.remember("h" + std::to_string(i) + ":1", "", i);
  const auto list = store.list();
  ASSERT_EQ(list.size(), RecentHosts::kKeep);
  EXPECT_EQ(list.front().address, "h29:1");
  EXPECT_EQ(list.back().address, "h10:1");
}

TEST_F(RecentHostsTest, ForgetRemoves) {
  RecentHosts store(path());
  store.remember("a:1", "A", 1);
  store.forget("a:1");
  EXPECT_TRUE(store.list().empty());
}

TEST_F(RecentHostsTest, UnwritablePlaceStillWorksInMemory) {
  std::filesystem::create_directories(dir_);
  const auto blocker = dir_ / "file";
  {
    std::FILE* f = std::fopen(blocker.c_str(), "w");
    std::fclose(f);
  }
  RecentHosts store((blocker / "sub" / "recent.sqlite").string());  // A file where a folder should be.
  EXPECT_FALSE(store.problem().empty());
  store.remember("a:1", "A", 1);
  EXPECT_EQ(store.list().size(), 1u);
}

}  // namespace
}  // namespace attune::discovery
