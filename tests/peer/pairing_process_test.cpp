// Pairing between real processes on loopback: a wrong code stops the joiner
// with words (and never retries by itself), and a device whose key changed
// is refused on reconnect with a clear message on both sides.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "peer_process.hpp"

namespace attune::test {
namespace {

using namespace std::chrono_literals;
constexpr auto kWait = 20s;

struct HostUnderTest {
  TempDir dir;
  std::unique_ptr<PeerProcess> host;
  uint16_t port = 0;
  std::string code;

  void start() {
    host = std::make_unique<PeerProcess>(
        "host", ATTUNE_BINARY,
        std::vector<std::string>{"--headless", "--data-dir", (dir.path() / "a").string(), "host", "--name",
                                 "Alex", "--role", "partner-a", "--bind", "127.0.0.1", "--port", "0"},
        dir.path() / "a.stderr");
    const auto listening =
        host->wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait);
    ASSERT_TRUE(listening) << host->tail();
    port = (*listening)["port"].get<uint16_t>();
    const auto shown =
        host->wait_for([](const Json& j) { return j.value("event", "") == "pairing_code"; }, kWait);
    ASSERT_TRUE(shown) << host->tail();
    code = (*shown)["code"];
  }

  std::vector<std::string> join_args(const std::string& data, const std::string& code_typed) const {
    std::vector<std::string> args{"--headless",
                                  "--data-dir",
                                  (dir.path() / data).string(),
                                  "join",
                                  "127.0.0.1:" + std::to_string(port),
                                  "--name",
                                  "Blake",
                                  "--role",
                                  "partner-b"};
    if (!code_typed.empty()) {
      args.push_back("--code");
      args.push_back(code_typed);
    }
    return args;
  }
};

TEST(Pairing, AWrongCodeStopsTheJoinerWithWords) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  const std::string wrong = h.code == "000000" ? "000001" : "000000";
  PeerProcess joiner("joiner", ATTUNE_BINARY, h.join_args("b", wrong), h.dir.path() / "b.stderr");
  const auto exit_code = joiner.wait_exit(kWait);
  ASSERT_TRUE(exit_code) << joiner.tail();
  EXPECT_EQ(*exit_code, 6);
  const auto fatal = joiner.wait_for([](const Json& j) { return j.value("event", "") == "fatal"; }, 1s);
  ASSERT_TRUE(fatal);
  EXPECT_EQ((*fatal)["reason"], "pairing");
  EXPECT_NE((*fatal)["message"].get<std::string>().find("That code didn't match"), std::string::npos);
  EXPECT_TRUE(h.host->wait_for(
      [](const Json& j) {
        return j.value("event", "") == "peer_problem" &&
               j.value("message", "").find("code that didn't match") != std::string::npos;
      },
      kWait))
      << h.host->tail();
  // Exactly one guess was spent: the joiner did not retry by itself.
  std::size_t problems = 0;
  for (const auto& line : h.host->lines()) {
    if (line.value("event", "") == "peer_problem") ++problems;
  }
  EXPECT_EQ(problems, 1u);
}

// The headless host's screen is stdout: after the fifth wrong code it prints
// the new code with a sentence saying why, and the old code stops working.
TEST(Pairing, FiveWrongCodesGiveTheHostANewCodeAndTheReason) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  const std::string wrong = h.code == "000000" ? "000001" : "000000";
  for (int i = 0; i < 5; ++i) {
    PeerProcess joiner("guess " + std::to_string(i), ATTUNE_BINARY,
                       h.join_args("guess" + std::to_string(i), wrong),
                       h.dir.path() / ("guess" + std::to_string(i) + ".stderr"));
    const auto exit_code = joiner.wait_exit(kWait);
    ASSERT_TRUE(exit_code) << joiner.tail();
    EXPECT_EQ(*exit_code, 6) << joiner.tail();
  }
  const auto rotated = h.host->wait_for(
      [](const Json& j) {
        return j.value("event", "") == "pairing_code" && j.value("kind", "") == "rotated";
      },
      kWait);
  ASSERT_TRUE(rotated) << h.host->tail();
  const std::string fresh = (*rotated)["code"];
  EXPECT_FALSE(fresh.empty());
  EXPECT_NE(fresh, h.code);
  const std::string message = (*rotated)["message"];
  EXPECT_NE(message.find("didn't match"), std::string::npos) << message;
  EXPECT_NE(message.find("new code"), std::string::npos) << message;
  std::size_t rotations = 0;
  for (const auto& line : h.host->lines()) {
    if (line.value("kind", "") == "rotated") ++rotations;
  }
  EXPECT_EQ(rotations, 1u) << "one new code for five misses";
}

TEST(Pairing, ADeviceWhoseKeyChangedIsRefused) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  {
    PeerProcess joiner("joiner", ATTUNE_BINARY, h.join_args("b", h.code), h.dir.path() / "b.stderr");
    ASSERT_TRUE(
        h.host->wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait))
        << h.host->tail() << joiner.tail();
    joiner.close_stdin();
    ASSERT_TRUE(joiner.wait_exit(kWait));
  }
  // The device keeps its id but loses its key (say, a restored backup of
  // the session data without the key file).
  std::filesystem::remove(h.dir.path() / "b" / "identity" / "device.json");
  PeerProcess again("joiner again", ATTUNE_BINARY, h.join_args("b", ""), h.dir.path() / "b2.stderr");
  const auto exit_code = again.wait_exit(kWait);
  ASSERT_TRUE(exit_code) << again.tail();
  EXPECT_EQ(*exit_code, 6);
  const auto fatal = again.wait_for([](const Json& j) { return j.value("event", "") == "fatal"; }, 1s);
  ASSERT_TRUE(fatal);
  EXPECT_NE((*fatal)["message"].get<std::string>().find("different security key"), std::string::npos)
      << (*fatal)["message"];
  EXPECT_TRUE(h.host->wait_for(
      [](const Json& j) {
        return j.value("event", "") == "peer_problem" &&
               j.value("message", "").find("different security key") != std::string::npos;
      },
      kWait))
      << h.host->tail();
}

TEST(Pairing, APairedDeviceReconnectsWithoutACode) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  {
    PeerProcess joiner("joiner", ATTUNE_BINARY, h.join_args("b", h.code), h.dir.path() / "b.stderr");
    ASSERT_TRUE(
        h.host->wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait));
    joiner.close_stdin();
    ASSERT_TRUE(joiner.wait_exit(kWait));
  }
  PeerProcess again("joiner again", ATTUNE_BINARY, h.join_args("b", ""), h.dir.path() / "b2.stderr");
  EXPECT_TRUE(again.wait_for(
      [](const Json& j) { return j.value("event", "") == "link" && j.value("link", "") == "connected"; },
      kWait))
      << again.tail();
}

}  // namespace
}  // namespace attune::test
