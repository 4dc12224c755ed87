// The attune program's front door: arguments, exit codes, and bad commands
// answered with an error line while the peer keeps running.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "peer_process.hpp"

namespace attune::test {
namespace {

int run(const std::vector<std::string>& args, TempDir& dir, std::string* err = nullptr) {
  return run_to_exit(ATTUNE_BINARY, args, dir, err);
}

TEST(Cli, VersionAndHelpExitCleanly) {
  TempDir dir;
  EXPECT_EQ(run({"--version"}, dir), 0);
  EXPECT_EQ(run({"--help"}, dir), 0);
}

TEST(Cli, WithoutHeadlessItSaysHowToRun) {
  TempDir dir;
  std::string err;
  EXPECT_EQ(run({}, dir, &err), 1);
  EXPECT_NE(err.find("--headless"), std::string::npos) << err;
}

TEST(Cli, BadArgumentsAreUsageErrors) {
  TempDir dir;
  std::string err;
  EXPECT_EQ(run({"--headless", "--data-dir", dir.path().string(), "host", "--name", "A", "--role", "captain"},
                dir, &err),
            1);
  EXPECT_NE(err.find("partner-a"), std::string::npos) << err;
  EXPECT_EQ(
      run({"--headless", "--data-dir", dir.path().string(), "join", "nowhere", "--name", "B"}, dir, &err), 1);
  EXPECT_NE(err.find("address"), std::string::npos) << err;
  EXPECT_EQ(run({"--headless", "--no-such-flag"}, dir), 1);
}

TEST(Cli, APortInUseIsANetworkError) {
  TempDir dir;
  // Hold a loopback port so the host cannot have it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const auto port = std::to_string(ntohs(addr.sin_port));
  std::string err;
  EXPECT_EQ(run({"--headless", "--data-dir", (dir.path() / "d").string(), "host", "--name", "A", "--bind",
                 "127.0.0.1", "--port", port},
                dir, &err),
            4);
  EXPECT_NE(err.find("could not listen"), std::string::npos) << err;
  ::close(fd);
}

TEST(Cli, AnUnusableDataFolderIsAStorageError) {
  TempDir dir;
  const auto file = dir.path() / "file";
  { std::ofstream(file) << "x"; }
  std::string err;
  EXPECT_EQ(
      run({"--headless", "--data-dir", (file / "sub").string(), "host", "--name", "A", "--bind", "127.0.0.1"},
          dir, &err),
      3);
  EXPECT_NE(err.find("data folder"), std::string::npos) << err;
}

TEST(Cli, BadCommandsGetAnErrorLineAndThePeerCarriesOn) {
  TempDir dir;
  PeerProcess host("host", ATTUNE_BINARY,
                   {"--headless", "--data-dir", (dir.path() / "a").string(), "host", "--name", "Alex",
                    "--bind", "127.0.0.1"},
                   dir.path() / "stderr");
  ASSERT_TRUE(host.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, 20s));
  for (const std::string bad :
       {"frobnicate", "checkin 42", "checkin", "admit nobody", "settings colour=blue"}) {
    const auto from = host.line_count();
    host.send(bad);
    const auto error = host.wait_for([&](const Json& j) { return j.value("input", "") == bad; }, 10s, from);
    ASSERT_TRUE(error) << bad << "\n" << host.tail();
    EXPECT_EQ((*error)["event"], "error") << bad;
    EXPECT_FALSE((*error)["message"].get<std::string>().empty());
  }
  // Refused by the engine: a refusal line with its words, still running.
  const auto from = host.line_count();
  host.send("confirm");
  const auto refused =
      host.wait_for([](const Json& j) { return j.value("event", "") == "refused"; }, 10s, from);
  ASSERT_TRUE(refused) << host.tail();
  EXPECT_FALSE((*refused)["message"].get<std::string>().empty());
  host.send("help");
  const auto help = host.wait_for([](const Json& j) { return j.value("event", "") == "help"; }, 10s, from);
  ASSERT_TRUE(help);
  EXPECT_GT((*help)["commands"].size(), 25u);
  EXPECT_TRUE(host.running());
  host.send("quit");
  const auto code = host.wait_exit(10s);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace attune::test
