// Pairing between real processes on loopback: a wrong code stops the joiner
// with words (and never retries by itself), a device whose key changed is
// refused on reconnect with a clear message on both sides, and once the
// host forgets it (`attune devices forget`) it pairs again with a code.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
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

// Runs `attune devices ...` on a data folder (bounded by timeout(1));
// returns the exit code and what it printed.
int devices(const std::filesystem::path& data_dir, const std::vector<std::string>& more, const TempDir& dir,
            std::string* out, std::string* err = nullptr) {
  const auto quote = [](const std::string& arg) {
    std::string q = "'";
    for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  const auto err_file = dir.path() / "devices.stderr";
  std::string command =
      "timeout 20 " + quote(ATTUNE_BINARY) + " --data-dir " + quote(data_dir.string()) + " devices";
  for (const auto& arg : more) command += " " + quote(arg);
  command += " 2>" + quote(err_file.string());
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return -1;
  std::string text;
  char buffer[512];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, n);
  const int status = ::pclose(pipe);
  if (out) *out = text;
  if (err) {
    std::ifstream in(err_file);
    err->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

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

TEST(Pairing, AForgottenDevicePairsAgainWithACode) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  std::string joiner_id;
  {
    PeerProcess joiner("joiner", ATTUNE_BINARY, h.join_args("b", h.code), h.dir.path() / "b.stderr");
    const auto started =
        joiner.wait_for([](const Json& j) { return j.value("event", "") == "started"; }, kWait);
    ASSERT_TRUE(started) << joiner.tail();
    joiner_id = started->value("device_id", "");
    ASSERT_FALSE(joiner_id.empty());
    ASSERT_TRUE(
        h.host->wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait))
        << h.host->tail() << joiner.tail();
    joiner.close_stdin();
    ASSERT_TRUE(joiner.wait_exit(kWait));
  }
  // The joiner keeps its id but gets a new key; even the right code can't
  // move a paired id onto a new key, and both sides say what to do.
  std::filesystem::remove(h.dir.path() / "b" / "identity" / "device.json");
  {
    PeerProcess refused("refused", ATTUNE_BINARY, h.join_args("b", h.code), h.dir.path() / "b2.stderr");
    const auto exit_code = refused.wait_exit(kWait);
    ASSERT_TRUE(exit_code) << refused.tail();
    EXPECT_EQ(*exit_code, 6);
    const auto fatal = refused.wait_for([](const Json& j) { return j.value("event", "") == "fatal"; }, 1s);
    ASSERT_TRUE(fatal);
    EXPECT_NE((*fatal)["message"].get<std::string>().find("attune devices"), std::string::npos)
        << (*fatal)["message"];
  }
  h.host->close_stdin();
  ASSERT_TRUE(h.host->wait_exit(kWait));

  const auto host_data = h.dir.path() / "a";
  std::string out;
  std::string err;
  ASSERT_EQ(devices(host_data, {}, h.dir, &out), 0);
  EXPECT_NE(out.find(joiner_id), std::string::npos) << out;
  EXPECT_NE(out.find("paired 20"), std::string::npos) << out;

  // Wrong or empty ids are usage errors that change nothing.
  EXPECT_EQ(devices(host_data, {"forget", "no-such-device"}, h.dir, &out, &err), 1);
  EXPECT_NE(err.find("no paired device"), std::string::npos) << err;
  EXPECT_EQ(devices(host_data, {"forget", ""}, h.dir, &out, &err), 1);
  EXPECT_NE(err.find("say which device"), std::string::npos) << err;
  ASSERT_EQ(devices(host_data, {}, h.dir, &out), 0);
  EXPECT_NE(out.find(joiner_id), std::string::npos) << out;

  // The first few characters are enough.
  ASSERT_EQ(devices(host_data, {"forget", joiner_id.substr(0, 6)}, h.dir, &out, &err), 0) << err;
  EXPECT_NE(out.find("Forgot " + joiner_id), std::string::npos) << out;
  ASSERT_EQ(devices(host_data, {}, h.dir, &out), 0);
  EXPECT_EQ(out.find(joiner_id), std::string::npos) << out;

  // The host resumes its session; the device pairs with the new code and
  // takes its old seat back.
  ASSERT_NO_FATAL_FAILURE(h.start());
  PeerProcess again("joiner again", ATTUNE_BINARY, h.join_args("b", h.code), h.dir.path() / "b3.stderr");
  EXPECT_TRUE(again.wait_for(
      [](const Json& j) { return j.value("event", "") == "link" && j.value("link", "") == "connected"; },
      kWait))
      << again.tail() << h.host->tail();
  EXPECT_TRUE(h.host->wait_state(
      [&](const Json& s, uint64_t) {
        for (const auto& p : s["participants"]) {
          if (p.value("id", "") == joiner_id && p.value("connected", false))
            return s["participants"].size() == 2;
        }
        return false;
      },
      kWait))
      << h.host->tail();
}

TEST(Pairing, ANewComputerHasNoPairedDevices) {
  TempDir dir;
  std::string out;
  std::string err;
  EXPECT_EQ(devices(dir.path() / "fresh", {}, dir, &out), 0);
  EXPECT_NE(out.find("hasn't paired with any device yet"), std::string::npos) << out;
  EXPECT_EQ(devices(dir.path() / "fresh", {"forget", "abc"}, dir, &out, &err), 1);
  EXPECT_NE(err.find("no paired device"), std::string::npos) << err;
}

}  // namespace
}  // namespace attune::test
