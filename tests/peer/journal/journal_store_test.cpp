// The journal's file: kept across restarts, the owner's alone, whole after
// a kill at any moment, and honest about a file it can't use.
#include "journal/journal_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "journal/local_time.hpp"
#include "peer_process.hpp"

namespace attune::journal {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kHour = 60LL * 60 * 1000;

std::unique_ptr<JournalStore> open_or_fail(const std::filesystem::path& file) {
  std::string error;
  auto store = JournalStore::open(file, &error);
  EXPECT_TRUE(store) << error;
  return store;
}

Draft draft(const std::string& what, int64_t ago_ms = kHour) {
  Draft d;
  d.happened_ms = kNow - ago_ms;
  d.what = what;
  return d;
}

int64_t id_of(const std::variant<Rupture, Problem>& result) {
  EXPECT_TRUE(std::holds_alternative<Rupture>(result));
  return std::holds_alternative<Rupture>(result) ? std::get<Rupture>(result).id : -1;
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

TEST(JournalStore, NotesAndRepairsAreKeptAcrossARestart) {
  test::TempDir dir;
  const auto file = journal_file(dir.path());
  int64_t first = 0;
  {
    auto store = open_or_fail(file);
    Draft d = draft("we both went quiet after the call", 26 * kHour);
    d.size = Size::Big;
    d.underneath = {"fear", "to be heard"};
    first = id_of(store->note(d, kNow));
    id_of(store->note(draft("a sharp word at breakfast"), kNow));
    ASSERT_TRUE(std::holds_alternative<Rupture>(
        store->mark_repaired(first, Repair{RepairWay::Session, "s-7", 0}, kNow)));
  }
  auto store = open_or_fail(file);
  const auto all = store->list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].what, "we both went quiet after the call");
  EXPECT_EQ(all[0].size, Size::Big);
  EXPECT_EQ(all[0].underneath, (std::vector<std::string>{"fear", "to be heard"}));
  ASSERT_TRUE(all[0].repair);
  EXPECT_EQ(all[0].repair->session_id, "s-7");
  EXPECT_EQ(time_to_repair(all[0]), 26 * kHour);
  EXPECT_TRUE(all[1].open());
}

TEST(JournalStore, RefusedNotesLeaveNothingBehind) {
  test::TempDir dir;
  auto store = open_or_fail(journal_file(dir.path()));
  const auto result = store->note(draft("  "), kNow);
  ASSERT_TRUE(std::holds_alternative<Problem>(result));
  EXPECT_TRUE(store->list().empty());
  const auto missing = store->mark_repaired(99, Repair{}, kNow);
  ASSERT_TRUE(std::holds_alternative<Problem>(missing));
  EXPECT_NE(std::get<Problem>(missing).message.find("no entry 99"), std::string::npos);
}

TEST(JournalStore, TheFileIsTheOwnersAlone) {
  test::TempDir dir;
  const auto data = dir.path() / "data";
  const mode_t old = ::umask(022);  // Even under a permissive umask.
  {
    auto store = open_or_fail(journal_file(data));
    id_of(store->note(draft("private words"), kNow));
    EXPECT_EQ(mode_of(journal_file(data)), 0600u);
    const auto wal = journal_file(data).string() + "-wal";
    ASSERT_TRUE(std::filesystem::exists(wal)) << "WAL mode keeps a -wal file while open";
    EXPECT_EQ(mode_of(wal), 0600u);
  }
  ::umask(old);
  EXPECT_EQ(mode_of(data), 0700u);
}

TEST(JournalStore, TheFollowUpIsTakenOnceEvenAcrossARestart) {
  test::TempDir dir;
  const auto file = journal_file(dir.path());
  {
    auto store = open_or_fail(file);
    id_of(store->note(draft("left for work without a word", 0), kNow));
    EXPECT_FALSE(store->take_follow_up(kNow + kHour)) << "too soon";
    const auto taken = store->take_follow_up(kNow + 3 * kDayMs);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->follow_up_shown_ms, kNow + 3 * kDayMs);
  }
  auto store = open_or_fail(file);
  EXPECT_FALSE(store->take_follow_up(kNow + 9 * kDayMs)) << "never repeated";
  const auto showing = store->showing_follow_up();
  ASSERT_TRUE(showing) << "still on screen until dismissed";
  EXPECT_FALSE(store->dismiss_follow_up(showing->id));
  EXPECT_FALSE(store->showing_follow_up());
}

TEST(JournalStore, FollowUpSettingsAreKeptAndChecked) {
  test::TempDir dir;
  auto store = open_or_fail(journal_file(dir.path()));
  EXPECT_TRUE(store->follow_up_settings().enabled);
  EXPECT_EQ(store->follow_up_settings().gap_ms, kDefaultGapMs);
  EXPECT_FALSE(store->set_follow_up(FollowUpSettings{false, 5 * kDayMs}));
  EXPECT_FALSE(store->follow_up_settings().enabled);
  EXPECT_EQ(store->follow_up_settings().gap_ms, 5 * kDayMs);
  EXPECT_TRUE(store->set_follow_up(FollowUpSettings{true, 1000}));
  EXPECT_FALSE(store->follow_up_settings().enabled) << "a refused change changes nothing";
  id_of(store->note(draft("x", 0), kNow));
  EXPECT_FALSE(store->take_follow_up(kNow + 30 * kDayMs)) << "turned off";
}

std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Removing an entry wipes its words from this device: neither the journal
// file nor its write-ahead log holds them afterwards, even while the store
// stays open (the window keeps it open all day).
TEST(JournalStore, ARemovedEntryIsGoneFromTheFilesNotJustHidden) {
  test::TempDir dir;
  const auto file = journal_file(dir.path());
  auto store = open_or_fail(file);
  Draft secret = draft("the quarrel about the plumtreewhisper letter");
  secret.underneath = {"shame"};
  const int64_t gone = id_of(store->note(secret, kNow));
  const int64_t kept = id_of(store->note(draft("the missed birthday call"), kNow));
  ASSERT_FALSE(store->remove(gone));
  EXPECT_FALSE(store->find(gone));
  ASSERT_EQ(store->list().size(), 1u);
  EXPECT_EQ(store->list()[0].id, kept);
  for (const auto& f : {file, std::filesystem::path(file.string() + "-wal")})
    EXPECT_EQ(bytes_of(f).find("plumtreewhisper"), std::string::npos) << f << " still holds the removed words";
  const auto problem = store->remove(gone);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->message.find("no entry"), std::string::npos) << problem->message;
  store.reset();
  EXPECT_EQ(open_or_fail(file)->list().size(), 1u);
}

TEST(JournalStore, AFileItCannotUseIsLeftAloneWithAReason) {
  test::TempDir dir;
  const auto file = journal_file(dir.path());
  { std::ofstream(file) << "this is not a database, just some text that happens to be here........"; }
  std::string error;
  EXPECT_FALSE(JournalStore::open(file, &error));
  EXPECT_NE(error.find("can't be opened"), std::string::npos) << error;
  EXPECT_NE(error.find("still there"), std::string::npos) << error;
  std::ifstream in(file);
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept.rfind("this is not a database", 0), 0u) << "the file must not be touched";
}

// A child notes entries as fast as it can and reports each committed id on
// a pipe; it is killed mid-stream. Every reported note must be there, whole.
TEST(JournalStore, AKillAtAnyMomentLosesNoCommittedNote) {
  test::TempDir dir;
  const auto file = journal_file(dir.path());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    std::string error;
    auto store = JournalStore::open(file, &error);
    for (int i = 0; store && i < 100000; ++i) {
      const auto r = store->note(draft("note number " + std::to_string(i) + " with its words"), kNow);
      if (!std::holds_alternative<Rupture>(r)) ::_exit(2);
      const int64_t id = std::get<Rupture>(r).id;
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
  ASSERT_GT(last, 0) << "the child never committed a note";

  auto store = open_or_fail(file);
  const auto all = store->list();
  ASSERT_GE(all.size(), static_cast<std::size_t>(last)) << "a committed note was lost";
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(all[i].what, "note number " + std::to_string(i) + " with its words") << "a note came back torn";
  }
  EXPECT_TRUE(std::holds_alternative<Rupture>(store->note(draft("after the crash"), kNow)));
}

TEST(JournalLocalTime, StoredInUtcShownInTheReadersZone) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  ::setenv("TZ", "Europe/Berlin", 1);
  ::tzset();
  const auto berlin = parse_local_time("2026-11-28 19:30");
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  const auto utc = parse_local_time("2026-11-28T19:30");
  ASSERT_TRUE(berlin && utc);
  EXPECT_EQ(*utc - *berlin, kHour) << "19:30 in Berlin is 18:30 UTC in November";
  EXPECT_EQ(local_date_time(*berlin), "Sat 28 Nov, 18:30");
  EXPECT_EQ(local_day(*utc, *utc + kHour), "Saturday");
  EXPECT_EQ(local_day(*utc, *utc + 10 * kDayMs), "Sat 28 Nov");
  EXPECT_FALSE(parse_local_time("2026-02-31 10:00"));
  EXPECT_FALSE(parse_local_time("yesterday"));
  EXPECT_FALSE(parse_local_time("2026-11-28 25:00"));
  if (old) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

}  // namespace
}  // namespace attune::journal
