// What was prepared alone is kept across restarts, editable, the owner's
// alone, whole after a kill at any moment, and a file it can't use is left
// alone with a reason.
#include "prepare/prepare_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "peer_process.hpp"

namespace attune::prepare {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

std::unique_ptr<PrepareStore> open_or_fail(const std::filesystem::path& file) {
  std::string error;
  auto store = PrepareStore::open(file, &error);
  EXPECT_TRUE(store) << error;
  return store;
}

Words words(const std::string& what, const std::string& share = "") {
  Words w;
  w.what = what;
  w.share = share;
  return w;
}

int64_t id_of(const std::variant<Preparation, Problem>& r) {
  EXPECT_TRUE(std::holds_alternative<Preparation>(r)) << std::get<Problem>(r).message;
  return std::holds_alternative<Preparation>(r) ? std::get<Preparation>(r).id : -1;
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

TEST(PrepareStore, PreparationsAreKeptAcrossARestartAndEditable) {
  test::TempDir dir;
  const auto file = prepare_file(dir.path());
  int64_t id = 0;
  {
    auto store = open_or_fail(file);
    Words w = words("the phone call on Sunday", "I felt left out when the plans changed");
    w.activation = 5;
    w.gesture = "a walk after dinner";
    id = id_of(store->add(w, kNow));
  }
  {
    auto store = open_or_fail(file);
    auto p = store->find(id);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->words.share, "I felt left out when the plans changed");
    EXPECT_EQ(p->words.activation, 5);
    Words w = p->words;
    w.own_part = "When I feel left out I go quiet";
    EXPECT_EQ(id_of(store->edit(id, w, kNow + 60000)), id);
  }
  auto store = open_or_fail(file);
  const auto all = store->list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].words.own_part, "When I feel left out I go quiet");
  EXPECT_EQ(all[0].words.gesture, "a walk after dinner");
  EXPECT_EQ(all[0].created_ms, kNow);
  EXPECT_EQ(all[0].updated_ms, kNow + 60000);
}

TEST(PrepareStore, RefusedWordsAndMissingIdsChangeNothing) {
  test::TempDir dir;
  auto store = open_or_fail(prepare_file(dir.path()));
  EXPECT_TRUE(std::holds_alternative<Problem>(store->add(words("  "), kNow)));
  EXPECT_TRUE(std::holds_alternative<Problem>(store->add(words("caf\xC3"), kNow)));
  EXPECT_TRUE(store->list().empty());
  const int64_t id = id_of(store->add(words("kept"), kNow));
  EXPECT_TRUE(std::holds_alternative<Problem>(store->edit(id, words("", std::string(kMaxTextBytes + 1, 'x')), kNow)));
  EXPECT_EQ(store->find(id)->words.what, "kept") << "a refused edit leaves the old words";
  const auto missing = store->edit(99, words("x"), kNow);
  ASSERT_TRUE(std::holds_alternative<Problem>(missing));
  EXPECT_NE(std::get<Problem>(missing).message.find("no preparation 99"), std::string::npos);
  EXPECT_TRUE(store->remove(99));
  EXPECT_FALSE(store->remove(id));
  EXPECT_TRUE(store->list().empty());
}

TEST(PrepareStore, TheFileIsTheOwnersAlone) {
  test::TempDir dir;
  const auto data = dir.path() / "data";
  const mode_t old = ::umask(022);
  {
    auto store = open_or_fail(prepare_file(data));
    id_of(store->add(words("private words"), kNow));
    EXPECT_EQ(mode_of(prepare_file(data)), 0600u);
    const auto wal = prepare_file(data).string() + "-wal";
    ASSERT_TRUE(std::filesystem::exists(wal));
    EXPECT_EQ(mode_of(wal), 0600u);
  }
  ::umask(old);
  EXPECT_EQ(mode_of(data), 0700u);
}

TEST(PrepareStore, AFileItCannotUseIsLeftAloneWithAReason) {
  test::TempDir dir;
  const auto file = prepare_file(dir.path());
  { std::ofstream(file) << "this is not a database, just some text that happens to be here........"; }
  std::string error;
  EXPECT_FALSE(PrepareStore::open(file, &error));
  EXPECT_NE(error.find("can't be opened"), std::string::npos) << error;
  EXPECT_NE(error.find("still there"), std::string::npos) << error;
  std::ifstream in(file);
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept.rfind("this is not a database", 0), 0u);
}

TEST(PrepareStore, AnotherAppsDatabaseIsNotTaken) {
  test::TempDir dir;
  const auto file = prepare_file(dir.path());
  {
    auto db = store::Database::open(file.string());
    db.exec("CREATE TABLE other (x); PRAGMA application_id=1234;");
  }
  std::string error;
  EXPECT_FALSE(PrepareStore::open(file, &error));
  EXPECT_NE(error.find("isn't a file of preparations"), std::string::npos) << error;
}

// A child adds preparations as fast as it can and reports each committed
// id on a pipe; it is killed mid-stream. Every reported one must be whole.
TEST(PrepareStore, AKillAtAnyMomentLosesNoCommittedPreparation) {
  test::TempDir dir;
  const auto file = prepare_file(dir.path());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    std::string error;
    auto store = PrepareStore::open(file, &error);
    for (int i = 0; store && i < static_cast<int>(kMaxPreparations); ++i) {
      const std::string n = std::to_string(i);
      const auto r = store->add(words("what " + n, "share " + n), kNow);
      if (!std::holds_alternative<Preparation>(r)) ::_exit(2);
      const int64_t id = std::get<Preparation>(r).id;
      if (::write(fds[1], &id, sizeof id) != sizeof id) ::_exit(3);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  int64_t last = 0, id = 0;
  for (int seen = 0; seen < 40 && ::read(fds[0], &id, sizeof id) == sizeof id; ++seen) last = id;
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(fds[0]);
  ASSERT_GT(last, 0) << "the child never committed one";

  auto store = open_or_fail(file);
  const auto all = store->list();
  ASSERT_GE(all.size(), static_cast<std::size_t>(last)) << "a committed preparation was lost";
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(all[i].words.what, "what " + std::to_string(i)) << "one came back torn";
    EXPECT_EQ(all[i].words.share, "share " + std::to_string(i)) << "one came back torn";
  }
  EXPECT_TRUE(std::holds_alternative<Preparation>(store->add(words("after the crash"), kNow)));
}

TEST(PrepareStore, HoldsABoundedNumber) {
  test::TempDir dir;
  auto store = open_or_fail(prepare_file(dir.path()));
  for (std::size_t i = 0; i < kMaxPreparations; ++i) id_of(store->add(words("n" + std::to_string(i)), kNow));
  const auto full = store->add(words("one more"), kNow);
  ASSERT_TRUE(std::holds_alternative<Problem>(full));
  EXPECT_NE(std::get<Problem>(full).message.find("Remove one"), std::string::npos);
  EXPECT_EQ(store->list().size(), kMaxPreparations);
}

}  // namespace
}  // namespace attune::prepare
