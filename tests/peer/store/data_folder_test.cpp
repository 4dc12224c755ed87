// The data folder as other accounts on the computer and a second Attune see
// it: real processes, then a look at the disk. Everything in it is the
// owner's alone (folders 0700, files 0600: databases with their -wal and
// -shm, identity, pinned devices), from creation and after an older
// version left it open; and a second Attune on the same folder says so in
// plain words and exits 3, never with SQLite's "database is locked". Where
// the folder is by default: $XDG_DATA_HOME, then $HOME, else a plain "choose
// one with --data-dir", never private files left in /tmp or the current folder.
#include "data_folder.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "peer_process.hpp"

namespace attune::test {
namespace {

namespace fs = std::filesystem;
constexpr auto kWait = 20s;

bool is_event(const Json& j, const char* name) { return j.value("event", "") == name; }

// "path 0644" for `path` unless it is a 0700 folder or a 0600 file.
std::optional<std::string> not_private(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  const unsigned mode = st.st_mode & 0777;
  if ((S_ISDIR(st.st_mode) && mode != 0700) || (S_ISREG(st.st_mode) && mode != 0600)) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", mode);
    return path.string() + " " + octal;
  }
  return std::nullopt;
}

// The folder, and every folder and file in it, that anyone but the owner may open.
std::vector<std::string> open_to_others(const fs::path& dir) {
  std::vector<std::string> out;
  if (auto found = not_private(dir)) out.push_back(*found);
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (auto found = not_private(entry.path())) out.push_back(*found);
  return out;
}

std::vector<std::string> host_args(const fs::path& data, const std::string& name) {
  return {"--headless", "--data-dir", data.string(), "host",   "--name",
          name,         "--bind",     "127.0.0.1",   "--port", "0"};
}

// A typical user's umask, so what the files get is Attune's doing.
struct TypicalUmask {
  mode_t old = ::umask(022);
  ~TypicalUmask() { ::umask(old); }
};

TEST(DataFolder, EverythingInItIsTheOwnersAloneAfterASession) {
  TypicalUmask umask;
  TempDir dir;
  const fs::path a = dir.path() / "a";
  const fs::path b = dir.path() / "b";
  PeerProcess host("host", ATTUNE_BINARY, host_args(a, "Alex"), dir.path() / "a.stderr");
  const auto listening = host.wait_for([](const Json& j) { return is_event(j, "listening"); }, kWait);
  ASSERT_TRUE(listening) << host.tail();
  const auto code = host.wait_for([](const Json& j) { return is_event(j, "pairing_code"); }, kWait);
  ASSERT_TRUE(code) << host.tail();
  PeerProcess partner("partner", ATTUNE_BINARY,
                      {"--headless", "--data-dir", b.string(), "join",
                       "127.0.0.1:" + std::to_string((*listening)["port"].get<int>()), "--name", "Sam",
                       "--code", (*code)["code"].get<std::string>()},
                      dir.path() / "b.stderr");
  ASSERT_TRUE(host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait))
      << host.tail() << partner.tail();
  host.send("admit partner-b");
  ASSERT_TRUE(partner.wait_state(
      [](const Json& s, uint64_t) {
        for (const auto& p : s["participants"])
          if (p.value("role", "") == "ROLE_PARTNER_B" && p.value("admitted", false)) return true;
        return false;
      },
      kWait))
      << partner.tail();

  // While both run, with the databases' -wal and -shm files open.
  ASSERT_TRUE(fs::exists(a / "attune.db-wal")) << "expected a WAL file to check";
  EXPECT_EQ(open_to_others(a), std::vector<std::string>{});
  EXPECT_EQ(open_to_others(b), std::vector<std::string>{});
  ASSERT_TRUE(fs::exists(b / "identity")) << "expected the joiner's identity folder to check";

  host.send("quit");
  partner.send("quit");
  EXPECT_TRUE(host.wait_exit(kWait));
  EXPECT_TRUE(partner.wait_exit(kWait));
  EXPECT_EQ(open_to_others(a), std::vector<std::string>{});
  EXPECT_EQ(open_to_others(b), std::vector<std::string>{});

  // As an older Attune left them: readable by everyone. The next start
  // takes that back before it opens anything.
  for (const auto& entry : fs::recursive_directory_iterator(a))
    fs::permissions(entry.path(), entry.is_directory() ? fs::perms(0755) : fs::perms(0644));
  fs::permissions(a, fs::perms(0755));
  ASSERT_FALSE(open_to_others(a).empty());
  PeerProcess again("host again", ATTUNE_BINARY, host_args(a, "Alex"), dir.path() / "a2.stderr");
  ASSERT_TRUE(again.wait_for([](const Json& j) { return is_event(j, "listening"); }, kWait)) << again.tail();
  EXPECT_EQ(open_to_others(a), std::vector<std::string>{});
  again.send("quit");
  EXPECT_TRUE(again.wait_exit(kWait));
}

TEST(DataFolder, ASecondAttuneOnTheSameFolderSaysSoAndExits3) {
  TempDir dir;
  const fs::path a = dir.path() / "a";
  PeerProcess first("first", ATTUNE_BINARY, host_args(a, "Alex"), dir.path() / "first.stderr");
  ASSERT_TRUE(first.wait_for([](const Json& j) { return is_event(j, "listening"); }, kWait)) << first.tail();

  for (const std::vector<std::string>& args :
       {host_args(a, "Alex"),
        std::vector<std::string>{"--headless", "--data-dir", a.string(), "join", "127.0.0.1:9", "--name",
                                 "Sam"},
        std::vector<std::string>{"--headless", "--data-dir", a.string(), "--fresh-start", "host", "--name",
                                 "Alex", "--bind", "127.0.0.1"}}) {
    PeerProcess second("second", ATTUNE_BINARY, args, dir.path() / "second.stderr");
    second.close_stdin();
    const auto code = second.wait_exit(kWait);
    ASSERT_TRUE(code) << "the second Attune kept running";
    EXPECT_EQ(*code, 3) << second.stderr_text();
    const std::string err = second.stderr_text();
    EXPECT_NE(err.find("Another Attune is already using this data folder"), std::string::npos) << err;
    EXPECT_NE(err.find("--data-dir"), std::string::npos) << err;
    EXPECT_EQ(err.find("locked"), std::string::npos) << err;
    EXPECT_EQ(err.find("SQLite"), std::string::npos) << err;
    const auto fatal = second.wait_for([](const Json& j) { return is_event(j, "fatal"); }, 1s);
    ASSERT_TRUE(fatal) << second.tail();
    EXPECT_EQ((*fatal)["reason"], "data_dir_in_use");
  }
  // The first one is untouched, its saved session still where it was.
  EXPECT_TRUE(first.running());
  EXPECT_TRUE(fs::exists(a / "attune.db"));
  first.send("quit");
  EXPECT_TRUE(first.wait_exit(kWait));
}

TEST(DataFolder, ByDefaultItIsUnderXdgDataHomeThenHome) {
  EXPECT_EQ(default_data_folder("/x/data", "/home/alex"), fs::path("/x/data/attune"));
  EXPECT_EQ(default_data_folder(nullptr, "/home/alex"), fs::path("/home/alex/.local/share/attune"));
  EXPECT_EQ(default_data_folder("", "/home/alex"), fs::path("/home/alex/.local/share/attune"));
  // The XDG spec ignores a relative path; so does a relative HOME.
  EXPECT_EQ(default_data_folder("data", "/home/alex"), fs::path("/home/alex/.local/share/attune"));
  EXPECT_EQ(default_data_folder(nullptr, nullptr), std::nullopt);
  EXPECT_EQ(default_data_folder("", ""), std::nullopt);
  EXPECT_EQ(default_data_folder("data", "alex"), std::nullopt);
  // --data-dir wins over everything.
  EXPECT_EQ(data_folder("/chosen/here"), fs::path("/chosen/here"));
}

// `attune ...` started with neither HOME nor XDG_DATA_HOME, from `dir`.
std::vector<std::string> without_home(const fs::path& dir, std::vector<std::string> args) {
  std::vector<std::string> out{"-u", "HOME", "-u", "XDG_DATA_HOME", "-C", dir.string(), ATTUNE_BINARY};
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

TEST(DataFolder, WithoutHomeAttuneSaysHowToChooseOneAndLeavesNothingBehind) {
  TempDir dir;
  const fs::path cwd = dir.path() / "cwd";
  fs::create_directories(cwd);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--headless", "host", "--name", "Alex", "--bind", "127.0.0.1", "--port",
                                 "0"},
        std::vector<std::string>{"--headless", "join", "127.0.0.1:9", "--name", "Sam"},
        std::vector<std::string>{"devices"}}) {
    PeerProcess attune("attune", "/usr/bin/env", without_home(cwd, args), dir.path() / "attune.stderr");
    attune.close_stdin();
    const auto code = attune.wait_exit(kWait);
    ASSERT_TRUE(code) << "Attune kept running with nowhere to keep its data";
    EXPECT_EQ(*code, 3) << attune.stderr_text();
    const std::string err = attune.stderr_text();
    EXPECT_NE(err.find("HOME"), std::string::npos) << err;
    EXPECT_NE(err.find("--data-dir"), std::string::npos) << err;
    EXPECT_TRUE(fs::is_empty(cwd)) << "files were left in the current folder";
  }
  // With --data-dir it needs neither.
  const fs::path chosen = dir.path() / "chosen";
  PeerProcess host("host", "/usr/bin/env",
                   without_home(cwd, {"--headless", "--data-dir", chosen.string(), "host", "--name", "Alex",
                                      "--bind", "127.0.0.1", "--port", "0"}),
                   dir.path() / "host.stderr");
  ASSERT_TRUE(host.wait_for([](const Json& j) { return is_event(j, "listening"); }, kWait)) << host.tail();
  EXPECT_TRUE(fs::exists(chosen / "attune.db"));
  host.send("quit");
  EXPECT_TRUE(host.wait_exit(kWait));
  EXPECT_TRUE(fs::is_empty(cwd));
}

}  // namespace
}  // namespace attune::test
