// A second window app on one data folder brings the first forward instead of
// opening onto the same session file; when the first can't answer, the
// second says so in plain words.
#include "app/single_instance.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "app/window_title.hpp"

namespace attune::app {
namespace {

namespace fs = std::filesystem;
using Outcome = SingleInstance::Outcome;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("attune-single-" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(SingleInstance, SecondLaunchBringsTheFirstForward) {
  const fs::path dir = fresh_dir("forward");
  std::atomic<int> woken{0};
  Outcome outcome{};
  auto first = SingleInstance::claim(
      dir, [&] { ++woken; }, &outcome);
  ASSERT_TRUE(first);
  EXPECT_EQ(outcome, Outcome::First);
  EXPECT_FALSE(first->take_raise_request());

  auto second = SingleInstance::claim(dir, {}, &outcome);
  EXPECT_FALSE(second);
  EXPECT_EQ(outcome, Outcome::Forwarded);
  // The first heard it before the second was told "done".
  EXPECT_EQ(woken.load(), 1);
  EXPECT_TRUE(first->take_raise_request());
  EXPECT_FALSE(first->take_raise_request());
  EXPECT_NE(SingleInstance::message(outcome, dir).find("brought to the front"), std::string::npos);
  EXPECT_EQ(fs::status(dir / "window.sock").permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
}

TEST(SingleInstance, FolderIsFreeAgainOnceTheFirstCloses) {
  const fs::path dir = fresh_dir("again");
  Outcome outcome{};
  { auto first = SingleInstance::claim(dir, {}, &outcome); }
  EXPECT_FALSE(fs::exists(dir / "window.sock"));
  auto next = SingleInstance::claim(dir, {}, &outcome);
  EXPECT_TRUE(next);
  EXPECT_EQ(outcome, Outcome::First);
}

TEST(SingleInstance, LeftoverSocketFromACrashDoesNotBlock) {
  const fs::path dir = fresh_dir("crash");
  Outcome outcome{};
  auto first = SingleInstance::claim(dir, {}, &outcome);
  ASSERT_TRUE(first);
  // Simulate a crash: the socket file stays, the lock goes with the process.
  first.reset();
  { std::ofstream(dir / "window.sock") << "stale"; }
  auto next = SingleInstance::claim(dir, {}, &outcome);
  EXPECT_TRUE(next);
  EXPECT_EQ(outcome, Outcome::First);
}

TEST(SingleInstance, UnansweringFirstIsExplainedInPlainWords) {
  const fs::path dir = fresh_dir("busy");
  // Someone holds the lock but nobody listens (e.g. a stuck process).
  const int fd = ::open((dir / "window.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  Outcome outcome{};
  auto second = SingleInstance::claim(dir, {}, &outcome);
  EXPECT_FALSE(second);
  EXPECT_EQ(outcome, Outcome::Busy);
  const std::string message = SingleInstance::message(outcome, dir);
  EXPECT_NE(message.find("already open for this data folder"), std::string::npos) << message;
  EXPECT_NE(message.find(dir.string()), std::string::npos) << message;
  EXPECT_EQ(message.find("locked"), std::string::npos) << message;
  ::close(fd);
}

TEST(WindowTitle, NamesTheSessionOnceInOne) {
  State state;
  EXPECT_EQ(window_title("Attune", nullptr), "Attune");
  EXPECT_EQ(window_title("Attune", &state), "Attune");  // No session yet: the start screen.
  state.set_session_id("s1");
  state.set_session_name("Sunday talk");
  EXPECT_EQ(window_title("Attune", &state), "Sunday talk \xE2\x80\x94 Attune");
  state.set_session_name("");
  EXPECT_EQ(window_title("Attune", &state), "A session \xE2\x80\x94 Attune");
  // Another device's name can't break the title onto new lines or run on forever.
  state.set_session_name("Line one\nline two" + std::string(100, 'x'));
  const std::string title = window_title("Attune", &state);
  EXPECT_EQ(title.find('\n'), std::string::npos);
  EXPECT_LT(title.size(), 90u);
}

}  // namespace
}  // namespace attune::app
