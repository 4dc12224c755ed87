// A host (or joiner) whose disk is full or read-only, at start or in the
// middle of a session, keeps the session going in memory and says so once;
// a damaged data file stops the host with a clear message and exit code 3,
// and --fresh-start moves it aside and begins anew. Real `attune --headless`
// processes; real full and read-only file systems: this program moves into
// its own mount namespace (root needed) and mounts small tmpfs folders there,
// invisible to the rest of the machine. Without root it skips, except under
// CI=true, where it fails (the convention of tests/netns).
#include <gtest/gtest.h>
#include <sched.h>
#include <sqlite3.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "peer_cluster.hpp"
#include "session_script.hpp"

namespace attune::test {
namespace {

namespace fs = std::filesystem;

std::string g_namespace_problem = "not tried";  // Empty once we own a mount namespace.

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

#define REQUIRE_MOUNT_NAMESPACE()                                                  \
  do {                                                                             \
    if (!g_namespace_problem.empty()) {                                            \
      if (in_ci()) FAIL() << "CI=true, so this must run: " << g_namespace_problem; \
      GTEST_SKIP() << g_namespace_problem;                                         \
    }                                                                              \
  } while (false)

// A small tmpfs on `dir` inside our private namespace; detached on scope exit.
class SmallDisk {
 public:
  SmallDisk(fs::path dir, std::size_t bytes) : dir_(std::move(dir)) {
    fs::create_directories(dir_);
    const std::string size = "size=" + std::to_string(bytes);
    mounted_ = ::mount("attune-test", dir_.c_str(), "tmpfs", 0, size.c_str()) == 0;
    EXPECT_TRUE(mounted_) << "mount tmpfs on " << dir_ << ": " << std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  void make_read_only() {
    EXPECT_EQ(::mount(nullptr, dir_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr), 0)
        << "remount read-only: " << std::strerror(errno);
  }
  // Writes a filler file until the file system says it is full (bounded by its size).
  void fill() {
    std::FILE* f = std::fopen((dir_ / "filler").c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const std::string chunk(4096, 'x');
    for (int i = 0; i < 1 << 20; ++i) {
      if (std::fwrite(chunk.data(), 1, chunk.size(), f) != chunk.size() || std::fflush(f) != 0) break;
    }
    std::fclose(f);
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

std::size_t count_events(PeerProcess& peer, const std::string& name) {
  std::size_t n = 0;
  for (const auto& line : peer.lines()) n += line.value("event", "") == name ? 1 : 0;
  return n;
}

std::optional<Json> wait_event(PeerProcess& peer, const std::string& name, std::size_t from = 0) {
  return peer.wait_for([&](const Json& j) { return j.value("event", "") == name; }, PeerCluster::kWait, from);
}

// Walks nine_steps() from index `from` to `to`, stopping at the first failure.
void walk(PeerCluster& cluster, std::size_t from, std::size_t to) {
  const auto script = nine_steps();
  for (std::size_t i = from; i < to && i < script.size(); ++i) {
    const auto command = expand(script[i].command, cluster.state());
    cluster.act(script[i].who, command);
    ASSERT_FALSE(::testing::Test::HasFailure()) << "stopped at '" << command << "'";
  }
}

// The whole session finished on every device, with what was written, and
// every acknowledged intent is in the host's record exactly once.
void expect_completed_with_nothing_lost(PeerCluster& cluster) {
  const auto state = cluster.converge();
  EXPECT_EQ(state["step"], "STEP_COMPLETE");
  EXPECT_EQ(state["phase"], "PHASE_COMPLETE");
  ASSERT_EQ(state["rounds"].size(), 2u);
  EXPECT_EQ(state["rounds"][0]["share_text"], "I felt alone when the plans changed without me");
  EXPECT_EQ(state["rounds"][1]["share_text"], "I felt pushed away");
  const auto causes = cluster.broadcast_causes();
  for (const auto& [id, seqs] : causes) EXPECT_EQ(seqs.size(), 1u) << "intent " << id;
  for (const auto& id : cluster.acked_ids()) {
    EXPECT_TRUE(causes.count(id)) << "intent " << id << " was acknowledged but never applied";
  }
  EXPECT_EQ(causes.size(), nine_steps().size() + 2);
}

void expect_one_notice(PeerProcess& peer, const std::string& words) {
  const auto notice = wait_event(peer, "storage_unavailable");
  ASSERT_TRUE(notice) << peer.tail();
  EXPECT_NE((*notice)["message"].get<std::string>().find(words), std::string::npos) << notice->dump();
  EXPECT_NE((*notice)["message"].get<std::string>().find("The conversation can go on"), std::string::npos);
  EXPECT_EQ(count_events(peer, "storage_unavailable"), 1u) << "said once, not per change";
}

TEST(StorageFaults, HostStartsOnReadOnlyFolderAndSessionCompletesInMemory) {
  REQUIRE_MOUNT_NAMESPACE();
  PeerCluster cluster(ATTUNE_BINARY);
  SmallDisk disk(cluster.root() / "a", 1 << 20);
  disk.make_read_only();
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  expect_one_notice(cluster.peer(Who::A), "can't be written");
  walk(cluster, 0, nine_steps().size());
  expect_completed_with_nothing_lost(cluster);
  EXPECT_EQ(count_events(cluster.peer(Who::A), "storage_unavailable"), 1u);
}

TEST(StorageFaults, HostStartsOnFullDiskAndSessionCompletesInMemory) {
  REQUIRE_MOUNT_NAMESPACE();
  PeerCluster cluster(ATTUNE_BINARY);
  SmallDisk disk(cluster.root() / "a", 64 * 1024);
  disk.fill();
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  expect_one_notice(cluster.peer(Who::A), "disk is full");
  walk(cluster, 0, nine_steps().size());
  expect_completed_with_nothing_lost(cluster);
}

// The disk of `who` fills halfway through the nine steps; the rest are walked.
void fill_mid_session(Who who, const std::string& folder) {
  PeerCluster cluster(ATTUNE_BINARY);
  SmallDisk disk(cluster.root() / folder, 2 << 20);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  const std::size_t half = nine_steps().size() / 2;
  walk(cluster, 0, half);
  EXPECT_EQ(count_events(cluster.peer(who), "storage_unavailable"), 0u) << "the disk was fine so far";
  disk.fill();
  walk(cluster, half, nine_steps().size());
  expect_one_notice(cluster.peer(who), "disk is full");
  expect_completed_with_nothing_lost(cluster);
}

TEST(StorageFaults, HostDiskFillsMidSessionAndSessionCompletesInMemory) {
  REQUIRE_MOUNT_NAMESPACE();
  fill_mid_session(Who::A, "a");
}

TEST(StorageFaults, JoinerDiskFillsMidSessionAndSessionCompletes) {
  REQUIRE_MOUNT_NAMESPACE();
  fill_mid_session(Who::B, "b");
}

enum class Fault { DiskFull, ReadOnly };

// The host is killed halfway (its log still in the WAL), its disk fails,
// and it comes back: it resumes the saved session in memory, and the rest
// of the session is walked.
void restart_host_on_failed_disk(Fault fault) {
  PeerCluster cluster(ATTUNE_BINARY);
  SmallDisk disk(cluster.root() / "a", 2 << 20);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  const std::size_t half = nine_steps().size() / 2;
  walk(cluster, 0, half);
  const auto before = cluster.state();
  cluster.peer(Who::A).kill_hard();
  switch (fault) {
    case Fault::DiskFull:
      disk.fill();
      break;
    case Fault::ReadOnly:
      disk.make_read_only();  // Possible only once nothing has the file open.
      break;
  }
  cluster.peer(Who::A).restart();
  ASSERT_TRUE(wait_event(cluster.peer(Who::A), "storage_unavailable")) << cluster.peer(Who::A).tail();
  const auto resumed = cluster.converge();
  EXPECT_EQ(resumed["session_id"], before["session_id"]);
  EXPECT_EQ(resumed["step"], before["step"]);
  walk(cluster, half, nine_steps().size());
  expect_completed_with_nothing_lost(cluster);
}

TEST(StorageFaults, HostRestartedOnAFullDiskResumesTheSavedSessionInMemory) {
  REQUIRE_MOUNT_NAMESPACE();
  restart_host_on_failed_disk(Fault::DiskFull);
}

TEST(StorageFaults, HostRestartedOnAReadOnlyFolderResumesTheSavedSessionInMemory) {
  REQUIRE_MOUNT_NAMESPACE();
  restart_host_on_failed_disk(Fault::ReadOnly);
}

// --- Damaged data files ---

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::vector<std::string> host_args(const fs::path& dir, bool fresh) {
  std::vector<std::string> args = {"--headless", "--data-dir", dir.string()};
  if (fresh) args.push_back("--fresh-start");
  for (const char* a : {"host", "--name", "Alex", "--bind", "127.0.0.1", "--port", "0"}) args.emplace_back(a);
  return args;
}

// A real data folder made by one clean run of the host.
void make_real_data(const fs::path& dir) {
  PeerProcess host("host", ATTUNE_BINARY, host_args(dir, false), dir.parent_path() / "seed.stderr");
  ASSERT_TRUE(wait_event(host, "listening")) << host.tail();
  host.send("quit");
  ASSERT_EQ(host.wait_exit(PeerCluster::kWait), 0);
}

void run_sql(const fs::path& file, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

enum class Variant { Garbage, Truncated, NotOurs, Newer };

void damage(const fs::path& dir, Variant variant) {
  const auto file = dir / "attune.db";
  switch (variant) {
    case Variant::Garbage:
      fs::create_directories(dir);
      write_bytes(file, std::string(8192, '\x5a') + "definitely not a database");
      return;
    case Variant::Truncated: {
      ASSERT_NO_FATAL_FAILURE(make_real_data(dir));
      const auto bytes = read_bytes(file);
      ASSERT_GT(bytes.size(), 4096u);
      write_bytes(file, bytes.substr(0, bytes.size() / 2 + 100));
      return;
    }
    case Variant::NotOurs:
      fs::create_directories(dir);
      run_sql(file, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');");
      return;
    case Variant::Newer:
      ASSERT_NO_FATAL_FAILURE(make_real_data(dir));
      run_sql(file, "PRAGMA user_version = 99");
      return;
  }
}

class DamagedData : public ::testing::TestWithParam<std::pair<Variant, std::string>> {};

TEST_P(DamagedData, HostStopsWithClearMessageThenFreshStartKeepsTheFileAside) {
  const auto [variant, words] = GetParam();
  TempDir root;
  const auto dir = root.path() / "data";
  ASSERT_NO_FATAL_FAILURE(damage(dir, variant));
  const auto file = dir / "attune.db";
  const std::string before = read_bytes(file);

  PeerProcess host("host", ATTUNE_BINARY, host_args(dir, false), root.path() / "host.stderr");
  const auto code = host.wait_exit(PeerCluster::kWait);
  ASSERT_TRUE(code) << "the host should stop by itself, not hang";
  EXPECT_EQ(*code, 3) << host.tail();
  const auto fatal = wait_event(host, "fatal");
  ASSERT_TRUE(fatal) << host.tail();
  EXPECT_EQ((*fatal)["reason"], "damaged_data");
  EXPECT_EQ((*fatal)["file"], file.string());
  const std::string message = (*fatal)["message"];
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("--fresh-start"), std::string::npos) << message;
  EXPECT_NE(message.find(words), std::string::npos) << message;
  EXPECT_NE(host.stderr_text().find("--fresh-start"), std::string::npos);
  EXPECT_EQ(read_bytes(file), before) << "a refused file is left exactly as it was";

  PeerProcess fresh("fresh", ATTUNE_BINARY, host_args(dir, true), root.path() / "fresh.stderr");
  const auto moved = wait_event(fresh, "fresh_start");
  ASSERT_TRUE(moved) << fresh.tail();
  ASSERT_TRUE(wait_event(fresh, "listening")) << fresh.tail();
  const fs::path aside = (*moved)["set_aside"].get<std::string>();
  EXPECT_NE(aside.filename().string().find("attune.db.set-aside-"), std::string::npos);
  EXPECT_EQ(read_bytes(aside), before) << "the damaged file is kept, byte for byte";
  const auto state = fresh.latest_state();
  ASSERT_TRUE(state);
  EXPECT_EQ((*state)["state"]["step"], "STEP_LOBBY") << "a new session begins";
  EXPECT_EQ(count_events(fresh, "storage_unavailable"), 0u);
  fresh.send("quit");
  EXPECT_EQ(fresh.wait_exit(PeerCluster::kWait), 0);

  // The new file is a healthy one: the next plain start resumes it.
  PeerProcess again("again", ATTUNE_BINARY, host_args(dir, false), root.path() / "again.stderr");
  ASSERT_TRUE(wait_event(again, "listening")) << again.tail();
  EXPECT_EQ(again.latest_state().value()["state"]["session_id"], (*state)["state"]["session_id"]);
  again.send("quit");
  EXPECT_EQ(again.wait_exit(PeerCluster::kWait), 0);
}

INSTANTIATE_TEST_SUITE_P(Variants, DamagedData,
                         ::testing::Values(std::make_pair(Variant::Garbage, "damaged"),
                                           std::make_pair(Variant::Truncated, "damaged"),
                                           std::make_pair(Variant::NotOurs, "not one Attune made"),
                                           std::make_pair(Variant::Newer, "newer version of Attune")),
                         [](const auto& info) {
                           switch (info.param.first) {
                             case Variant::Garbage:
                               return std::string("Garbage");
                             case Variant::Truncated:
                               return std::string("Truncated");
                             case Variant::NotOurs:
                               return std::string("NotOurs");
                             case Variant::Newer:
                               return std::string("NewerSchema");
                           }
                           return std::string("Unknown");
                         });

}  // namespace
}  // namespace attune::test

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Before any thread exists: a private mount namespace whose mounts never
  // reach the rest of the machine; children (the peers) inherit it.
  if (::unshare(CLONE_NEWNS) != 0) {
    attune::test::g_namespace_problem =
        std::string("a private mount namespace needs root: ") + std::strerror(errno);
  } else if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    attune::test::g_namespace_problem = std::string("could not make mounts private: ") + std::strerror(errno);
  } else {
    attune::test::g_namespace_problem.clear();
  }
  return RUN_ALL_TESTS();
}
