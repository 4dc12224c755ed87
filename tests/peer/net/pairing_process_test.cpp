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
  std::vector<std::string> extra;  // More host options, e.g. a short code lifetime.

  void start() {
    std::vector<std::string> args{"--headless", "--data-dir", (dir.path() / "a").string(),
                                  "host",       "--name",     "Alex",
                                  "--role",     "partner-a",  "--bind",
                                  "127.0.0.1",  "--port",     "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    host = std::make_unique<PeerProcess>("host", ATTUNE_BINARY, args, dir.path() / "a.stderr");
    const auto listening =
        host->wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait);
    ASSERT_TRUE(listening) << host->tail();
    port = (*listening)["port"].get<uint16_t>();
    const auto shown =
        host->wait_for([](const Json& j) { return j.value("event", "") == "pairing_code"; }, kWait);
    ASSERT_TRUE(shown) << host->tail();
    code = (*shown)["code"];
  }

  // Types `new-code` at the host and returns the fresh code it prints.
  std::string new_code() {
    const std::size_t from = host->line_count();
    host->send("new-code");
    const auto opened = host->wait_for(
        [](const Json& j) {
          return j.value("event", "") == "pairing_code" && j.value("kind", "") == "opened";
        },
        kWait, from);
    EXPECT_TRUE(opened) << host->tail();
    return opened ? (*opened)["code"].get<std::string>() : std::string();
  }

  // Types `new-code` where the host must refuse; returns the error's words.
  std::string new_code_refused() {
    const std::size_t from = host->line_count();
    host->send("new-code");
    const auto error =
        host->wait_for([](const Json& j) { return j.value("event", "") == "error"; }, kWait, from);
    EXPECT_TRUE(error) << host->tail();
    // Nothing changed: no code was printed (the error came after anything new).
    const auto seen = host->lines();
    for (std::size_t i = from; i < seen.size(); ++i) {
      EXPECT_NE(seen[i].value("event", ""), "pairing_code") << seen[i].dump();
    }
    return error ? (*error)["message"].get<std::string>() : std::string();
  }

  // A joiner pairs with the code, joins (the host then sees 2 devices) and
  // quits; returns its device id.
  std::string pair_and_leave(const std::string& data) {
    PeerProcess joiner("joiner", ATTUNE_BINARY, join_args(data, code), dir.path() / (data + ".stderr"));
    const auto started =
        joiner.wait_for([](const Json& j) { return j.value("event", "") == "started"; }, kWait);
    EXPECT_TRUE(started) << joiner.tail();
    const std::string id = started ? started->value("device_id", "") : "";
    EXPECT_FALSE(id.empty());
    EXPECT_TRUE(host->wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait))
        << host->tail() << joiner.tail();
    joiner.close_stdin();
    EXPECT_TRUE(joiner.wait_exit(kWait));
    return id;
  }

  // A joiner with `code_typed`, once the host sees `people` devices.
  std::unique_ptr<PeerProcess> join_until(const std::string& data, const std::string& code_typed,
                                          std::size_t people, const std::string& role = "partner-b") {
    auto joiner = std::make_unique<PeerProcess>(data, ATTUNE_BINARY, join_args(data, code_typed, role),
                                                dir.path() / (data + ".stderr"));
    EXPECT_TRUE(host->wait_state(
        [people](const Json& s, uint64_t) { return s["participants"].size() == people; }, kWait))
        << host->tail() << joiner->tail();
    return joiner;
  }

  std::vector<std::string> join_args(const std::string& data, const std::string& code_typed,
                                     const std::string& role = "partner-b") const {
    std::vector<std::string> args{"--headless",
                                  "--data-dir",
                                  (dir.path() / data).string(),
                                  "join",
                                  "127.0.0.1:" + std::to_string(port),
                                  "--name",
                                  "Blake",
                                  "--role",
                                  role};
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

// A fresh code replaces the open one at once: the old code is refused with
// the usual words, and a joiner with the new code gets in.
TEST(Pairing, NewCodeReplacesTheOpenCode) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  const std::string fresh = h.new_code();
  ASSERT_FALSE(fresh.empty());
  EXPECT_NE(fresh, h.code);
  {
    PeerProcess old("old code", ATTUNE_BINARY, h.join_args("old", h.code), h.dir.path() / "old.stderr");
    const auto exit_code = old.wait_exit(kWait);
    ASSERT_TRUE(exit_code) << old.tail();
    EXPECT_EQ(*exit_code, 6) << old.tail();
    const auto fatal = old.wait_for([](const Json& j) { return j.value("event", "") == "fatal"; }, 1s);
    ASSERT_TRUE(fatal) << old.tail();
    EXPECT_NE((*fatal)["message"].get<std::string>().find("code didn't match"), std::string::npos)
        << (*fatal)["message"];
  }
  h.join_until("b", fresh, 2);
}

// A partner arriving after the code ran out: the host types `new-code` and
// they pair with it; the expired code is refused.
TEST(Pairing, NewCodeAfterExpiryLetsALatecomerIn) {
  HostUnderTest h;
  h.extra = {"--code-lifetime-ms", "2500"};
  ASSERT_NO_FATAL_FAILURE(h.start());
  const auto expired = h.host->wait_for(
      [](const Json& j) {
        return j.value("event", "") == "pairing_code" && j.value("kind", "") == "expired";
      },
      kWait);
  ASSERT_TRUE(expired) << h.host->tail();
  EXPECT_NE((*expired)["message"].get<std::string>().find("make a new code"), std::string::npos)
      << (*expired)["message"];
  {
    PeerProcess late("too late", ATTUNE_BINARY, h.join_args("late", h.code), h.dir.path() / "late.stderr");
    const auto exit_code = late.wait_exit(kWait);
    ASSERT_TRUE(exit_code) << late.tail();
    EXPECT_EQ(*exit_code, 6) << late.tail();
  }
  const std::string fresh = h.new_code();
  ASSERT_FALSE(fresh.empty());
  h.join_until("b", fresh, 2);
}

// With every seat taken there is nobody to invite: `new-code` says so and
// no code opens.
TEST(Pairing, NewCodeWithNoFreeSeatIsRefusedWithWords) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  std::vector<std::unique_ptr<PeerProcess>> joiners;
  for (const std::string role : {"partner-b", "coach", "coach"}) {
    const std::string data = "j" + std::to_string(joiners.size());
    joiners.push_back(h.join_until(data, h.code, joiners.size() + 2, role));
  }
  ASSERT_TRUE(h.host->wait_for(
      [](const Json& j) {
        return j.value("event", "") == "pairing_code" && j.value("kind", "") == "seats_filled";
      },
      kWait))
      << h.host->tail();
  const std::string why = h.new_code_refused();
  EXPECT_NE(why.find("Every seat is taken"), std::string::npos) << why;
}

// Joining is lobby-only, so once the session began `new-code` says so.
TEST(Pairing, NewCodeAfterTheSessionBeganIsRefusedWithWords) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  auto joiner = h.join_until("b", h.code, 2);
  h.host->send("admit partner-b");
  ASSERT_TRUE(h.host->wait_state(
      [](const Json& s, uint64_t) {
        return s["participants"].size() == 2 && s["participants"][1]["admitted"];
      },
      kWait))
      << h.host->tail();
  h.host->send("ready");
  joiner->send("ready");
  ASSERT_TRUE(h.host->wait_state(
      [](const Json& s, uint64_t) { return s.value("phase", "") == "PHASE_ACTIVE"; }, kWait))
      << h.host->tail() << joiner->tail();
  const std::string why = h.new_code_refused();
  EXPECT_NE(why.find("already begun"), std::string::npos) << why;
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

// proto/HANDSHAKE.md section 5: a host that proves the id of this device's
// partner with another key (say, someone restored the partner's data folder
// without its key file and shows a code) is not let take that pin over,
// though the person typed its code: the joiner stops with words saying to
// forget the old pairing first, and the partner's pin stays as it was.
TEST(Pairing, ACodeNeverLetsAHostTakeOverThePartnersPinnedId) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  const auto pins_file = h.dir.path() / "b" / "identity" / "pinned_peers.json";
  {
    PeerProcess joiner("joiner", ATTUNE_BINARY, h.join_args("b", h.code), h.dir.path() / "b.stderr");
    ASSERT_TRUE(joiner.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait))
        << joiner.tail();
    h.host->send("quit");
    ASSERT_TRUE(h.host->wait_exit(kWait));
    ASSERT_TRUE(joiner.wait_for([](const Json& j) { return j.value("event", "") == "link" &&
                                                           j.value("link", "") != "connected"; },
                                kWait))
        << joiner.tail();
    joiner.close_stdin();
    ASSERT_TRUE(joiner.wait_exit(kWait));
  }
  const auto read_pins = [&] {
    std::ifstream in(pins_file);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  const std::string pins_before = read_pins();
  ASSERT_NE(pins_before.find("partner_a"), std::string::npos) << "B kept A's seat: " << pins_before;
  // A keeps its id but comes back with a new key, and shows a fresh code.
  std::filesystem::remove(h.dir.path() / "a" / "identity" / "device.json");
  ASSERT_NO_FATAL_FAILURE(h.start());
  PeerProcess again("joiner again", ATTUNE_BINARY, h.join_args("b", h.code), h.dir.path() / "b2.stderr");
  const auto exit_code = again.wait_exit(kWait);
  ASSERT_TRUE(exit_code) << again.tail();
  EXPECT_EQ(*exit_code, 6) << again.tail();
  const auto fatal = again.wait_for([](const Json& j) { return j.value("event", "") == "fatal"; }, 1s);
  ASSERT_TRUE(fatal) << again.tail();
  EXPECT_NE((*fatal)["message"].get<std::string>().find("forget the old pairing first"), std::string::npos)
      << (*fatal)["message"];
  for (const auto& line : again.lines())
    EXPECT_FALSE(line.value("event", "") == "link" && line.value("link", "") == "connected") << "joined: " << line.dump();
  EXPECT_EQ(read_pins(), pins_before) << "the partner's pin was replaced";
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
  ASSERT_NO_FATAL_FAILURE(joiner_id = h.pair_and_leave("b"));
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

// `attune devices forget` while the host runs (issue 12, item 7): the next
// pairing must not write the forgotten device back from the host's memory,
// and the forgotten device can't reconnect with its old key.
TEST(Pairing, ForgettingADeviceWhileTheHostRunsSticks) {
  HostUnderTest h;
  ASSERT_NO_FATAL_FAILURE(h.start());
  std::string b_id;
  ASSERT_NO_FATAL_FAILURE(b_id = h.pair_and_leave("b"));
  const auto host_data = h.dir.path() / "a";
  std::string out;
  std::string err;
  ASSERT_EQ(devices(host_data, {"forget", b_id}, h.dir, &out, &err), 0) << err;

  // Someone else pairs, so the running host saves its pins again.
  auto coach = h.join_until("coach", h.code, 3, "coach");
  ASSERT_EQ(devices(host_data, {}, h.dir, &out), 0);
  EXPECT_EQ(out.find(b_id), std::string::npos) << "the host wrote the forgotten device back:\n" << out;

  // B comes back without a code: its old key no longer opens the door.
  PeerProcess again("forgotten joiner", ATTUNE_BINARY, h.join_args("b", ""), h.dir.path() / "b2.stderr");
  const auto exit_code = again.wait_exit(kWait);
  EXPECT_TRUE(exit_code && *exit_code != 0) << again.tail();
  for (const auto& line : again.lines()) {
    EXPECT_FALSE(line.value("event", "") == "link" && line.value("link", "") == "connected") << line.dump();
  }
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
