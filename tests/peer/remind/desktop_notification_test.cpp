// The desktop notification, against a real notification daemon (dunst) on a
// private session bus the test starts, drawing on its own Xvfb display. What
// the daemon received is read back from it (dunstctl history): the summary
// and body are the reminder's warm words and nothing intimate. Without a
// bus, or with a bus but no server, nothing is sent and nothing waits.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "peer_process.hpp"
#include "remind/desktop_notifier.hpp"
#include "attune/remind/reminder.hpp"

extern char** environ;

namespace attune::remind {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

bool have(const char* program) {
  return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
}

// A child process with its stdout in a file, stopped (SIGTERM, then reaped) when it goes.
class Daemon {
 public:
  Daemon(std::vector<std::string> args, const std::filesystem::path& out, std::vector<std::string> env = {}) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> envs = std::move(env);
    for (char** e = environ; *e; ++e) envs.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : envs) envp.push_back(e.data());
    envp.push_back(nullptr);
    if (posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Daemon() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

// The first line of `file` once one has been written, within `deadline`.
std::optional<std::string> first_line(const std::filesystem::path& file, std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  while (Clock::now() < until) {
    std::ifstream in(file);
    std::string line;
    if (std::getline(in, line) && !line.empty() && in.good()) return line;
    std::this_thread::sleep_for(20ms);
  }
  return std::nullopt;
}

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

// Sets DBUS_SESSION_BUS_ADDRESS for this process while it lives.
class BusAddress {
 public:
  explicit BusAddress(const std::string& address) {
    if (const char* old = std::getenv("DBUS_SESSION_BUS_ADDRESS")) old_ = old;
    if (address.empty()) unsetenv("DBUS_SESSION_BUS_ADDRESS");
    else setenv("DBUS_SESSION_BUS_ADDRESS", address.c_str(), 1);
  }
  ~BusAddress() {
    if (old_) setenv("DBUS_SESSION_BUS_ADDRESS", old_->c_str(), 1);
    else unsetenv("DBUS_SESSION_BUS_ADDRESS");
  }

 private:
  std::optional<std::string> old_;
};

// The summaries and bodies the daemon holds, once it has been asked to close them into its history.
std::vector<std::pair<std::string, std::string>> received(const std::string& bus) {
  const std::string env = "DBUS_SESSION_BUS_ADDRESS='" + bus + "' ";
  std::vector<std::pair<std::string, std::string>> out;
  const auto until = Clock::now() + 5s;
  while (out.empty() && Clock::now() < until) {
    run(env + "dunstctl close-all 2>/dev/null");
    const auto j = nlohmann::json::parse(run(env + "dunstctl history 2>/dev/null"), nullptr, false);
    if (j.is_object() && j["data"].is_array() && !j["data"].empty())
      for (const auto& n : j["data"][0])
        out.emplace_back(n["summary"].value("data", ""), n["body"].value("data", ""));
    if (out.empty()) std::this_thread::sleep_for(50ms);
  }
  return out;
}

TEST(DesktopNotification, ARealDaemonOnAPrivateBusGetsTheWarmWords) {
  if (!have("dbus-daemon") || !have("Xvfb") || !have("dunst") || !have("dunstctl"))
    GTEST_SKIP() << "needs dbus-daemon, Xvfb and dunst (scripts/install-deps.sh installs them)";
  test::TempDir dir;
  Daemon bus({"dbus-daemon", "--session", "--nofork", "--print-address"}, dir.path() / "bus");
  const auto address = first_line(dir.path() / "bus", 10s);
  ASSERT_TRUE(address) << "the private session bus didn't start";
  Daemon x({"Xvfb", "-displayfd", "1", "-screen", "0", "640x480x24", "-nolisten", "tcp"}, dir.path() / "display");
  const auto display = first_line(dir.path() / "display", 10s);
  ASSERT_TRUE(display) << "Xvfb didn't start";
  std::ofstream(dir.path() / "dunstrc") << "[global]\n  idle_threshold = 0\n";
  Daemon dunst({"dunst", "-config", (dir.path() / "dunstrc").string()}, dir.path() / "dunst.log",
               {"DISPLAY=:" + *display, "DBUS_SESSION_BUS_ADDRESS=" + *address});
  BusAddress on(*address);
  // The daemon takes its name on the bus a moment after it starts.
  NotifyResult sent = NotifyResult::NoServer;
  const auto until = Clock::now() + 10s;
  const Words words = reminder_words("Sam", "19:30");
  while (sent == NotifyResult::NoServer && Clock::now() < until) {
    sent = notify_desktop({words.summary, words.body});
    if (sent == NotifyResult::NoServer) std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(sent, NotifyResult::Sent);
  const auto got = received(*address);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, "Time to come back to each other");
  EXPECT_EQ(got[0].second, words.body);
  EXPECT_NE(got[0].second.find("19:30"), std::string::npos);
  for (const char* intimate : {"journal", "rupture", "invitation", "happened"})
    EXPECT_EQ(got[0].second.find(intimate), std::string::npos) << intimate;
}

TEST(DesktopNotification, NoBusOrNoServerSendsNothingAndDoesntWait) {
  {
    BusAddress none("");
    EXPECT_EQ(notify_desktop({"a", "b"}), NotifyResult::NoBus);
  }
  {
    BusAddress nowhere("unix:path=/nonexistent/attune-test-bus");
    EXPECT_EQ(notify_desktop({"a", "b"}), NotifyResult::NoBus);
  }
  if (!have("dbus-daemon")) GTEST_SKIP() << "needs dbus-daemon";
  test::TempDir dir;
  Daemon bus({"dbus-daemon", "--session", "--nofork", "--print-address"}, dir.path() / "bus");
  const auto address = first_line(dir.path() / "bus", 10s);
  ASSERT_TRUE(address);
  BusAddress on(*address);
  const auto start = Clock::now();
  EXPECT_EQ(notify_desktop({"a", "b"}), NotifyResult::NoServer);
  EXPECT_LT(Clock::now() - start, 1s) << "nobody serves notifications: no waiting for one";
}

}  // namespace
}  // namespace attune::remind
