// Headless parity with the window app (README.md, "Headless peer"): real
// headless processes join by the invite a host gives out, take the global
// options after the subcommand too, and a headless host shows itself to
// devices nearby the way the window app does. Discovery stays on loopback
// here (--discovery-loopback); a host bound to loopback otherwise never
// announces, which keeps every other headless test off the network.
#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <atomic>
#include <thread>

#include "attune/discovery/invite_code.hpp"
#include "browser.hpp"
#include "peer_process.hpp"

namespace attune::test {
namespace {

constexpr auto kWait = 20s;

bool event_is(const Json& j, const char* name) { return j.value("event", "") == name; }

std::vector<std::string> host_args(const TempDir& dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--headless", "host", "--name", "Alex", "--bind", "127.0.0.1", "--port", "0",
                                   "--data-dir", (dir.path() / "host").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Starts a host and returns its port and pairing code (0 / "" on failure).
std::pair<uint16_t, std::string> listening(PeerProcess& host) {
  const auto code = host.wait_for(
      [](const Json& j) { return event_is(j, "pairing_code") && j.value("kind", "") == "opened"; }, kWait);
  const auto port = host.wait_for([](const Json& j) { return event_is(j, "listening"); }, kWait);
  if (!code || !port) return {0, ""};
  return {(*port)["port"].get<uint16_t>(), (*code)["code"].get<std::string>()};
}

TEST(HeadlessParity, GlobalOptionsWorkAfterTheSubcommand) {
  TempDir dir;
  PeerProcess host("host", ATTUNE_BINARY, host_args(dir, {"-v", "--fresh-start"}), dir.path() / "host.err");
  const auto started = host.wait_for([](const Json& j) { return event_is(j, "started"); }, kWait);
  ASSERT_TRUE(started) << host.tail() << host.stderr_text();
  EXPECT_EQ((*started)["data_dir"], (dir.path() / "host").string());
  EXPECT_EQ((*started)["mode"], "host");
  EXPECT_TRUE(listening(host).first != 0) << host.tail();
  // -v after the subcommand still turns on the detailed log.
  EXPECT_NE(host.stderr_text().find("[info]"), std::string::npos) << host.stderr_text();
  host.close_stdin();
  EXPECT_EQ(host.wait_exit(kWait), 0);

  PeerProcess joiner("joiner", ATTUNE_BINARY,
                     {"--headless", "join", "127.0.0.1:9", "--name", "Blake", "--data-dir",
                      (dir.path() / "joiner").string()},
                     dir.path() / "joiner.err");
  const auto joined = joiner.wait_for([](const Json& j) { return event_is(j, "started"); }, kWait);
  ASSERT_TRUE(joined) << joiner.stderr_text();
  EXPECT_EQ((*joined)["data_dir"], (dir.path() / "joiner").string());
  joiner.close_stdin();
  EXPECT_EQ(joiner.wait_exit(kWait), 0);
}

TEST(HeadlessParity, JoinsByTheInviteTheHostGaveOut) {
  TempDir dir;
  PeerProcess host("host", ATTUNE_BINARY, host_args(dir), dir.path() / "host.err");
  const auto [port, code] = listening(host);
  ASSERT_NE(port, 0) << host.tail();
  discovery::InviteInfo info;
  info.addresses = {"127.0.0.1"};
  info.port = port;
  info.session_code = code;
  const auto invite = discovery::encode_invite(info);
  ASSERT_EQ(invite.error, discovery::InviteError::None);
  // The invite carries the code: no --code needed.
  PeerProcess joiner("joiner", ATTUNE_BINARY,
                     {"--headless", "--data-dir", (dir.path() / "joiner").string(), "join", invite.text, "--name",
                      "Blake", "--role", "partner-b"},
                     dir.path() / "joiner.err");
  const auto seated = host.wait_state(
      [](const Json& state, uint64_t) {
        for (const auto& p : state["participants"])
          if (p["display_name"] == "Blake") return true;
        return false;
      },
      kWait);
  EXPECT_TRUE(seated) << host.tail() << joiner.tail() << joiner.stderr_text();

  // A damaged invite is a usage error in the window app's own words.
  std::string broken = invite.text;
  broken[broken.size() / 2] = broken[broken.size() / 2] == 'a' ? 'b' : 'a';
  PeerProcess bad("bad", ATTUNE_BINARY,
                  {"--headless", "--data-dir", (dir.path() / "bad").string(), "join", broken, "--name", "Dana"},
                  dir.path() / "bad.err");
  bad.close_stdin();
  EXPECT_EQ(bad.wait_exit(kWait), 1);
  EXPECT_NE(bad.stderr_text().find(discovery::describe(discovery::InviteError::BadChecksum)), std::string::npos)
      << bad.stderr_text();
}

// Listens on loopback until a beacon for `port` arrives (or `within` passes);
// `names` collects what its name fields said.
bool heard_beacon(uint16_t port, std::chrono::milliseconds within, std::string* names = nullptr) {
  asio::io_context io;
  discovery::ChannelOptions channel;
  channel.only_loopback = true;
  std::atomic<bool> heard{false};
  discovery::BrowseEvents events;
  auto seen = [&](const discovery::HostEntry& h) {
    if (h.beacon.port() == port) {
      if (names) *names = h.beacon.session_name() + h.beacon.host_name();
      heard = true;
      io.stop();
    }
  };
  events.added = seen;
  events.updated = seen;
  discovery::Browser browser(io, channel, events);
  browser.start();
  io.run_for(within);
  return heard;
}

TEST(HeadlessParity, AHeadlessHostAnnouncesItselfNearby) {
  TempDir dir;
  PeerProcess host("host", ATTUNE_BINARY,
                   host_args(dir, {"--discovery-loopback", "--session-name", "Sunday talk"}),
                   dir.path() / "host.err");
  const auto [port, code] = listening(host);
  ASSERT_NE(port, 0) << host.tail();
  const auto announced = host.wait_for([](const Json& j) { return event_is(j, "announced"); }, kWait);
  ASSERT_TRUE(announced) << host.tail();
  EXPECT_FALSE((*announced)["tag"].get<std::string>().empty());
  std::string names = "unset";
  EXPECT_TRUE(heard_beacon(port, 10s, &names)) << "no beacon for port " << port;
  // Like the window app's, the beacon names nobody and no session.
  EXPECT_EQ(names, "");
}

TEST(HeadlessParity, NoAnnounceAndALoopbackHostStayOffTheNetwork) {
  TempDir dir;
  for (const auto& extra : {std::vector<std::string>{"--discovery-loopback", "--no-announce"},
                            std::vector<std::string>{}}) {
    PeerProcess host("host", ATTUNE_BINARY, host_args(dir, extra), dir.path() / "host.err");
    const auto [port, code] = listening(host);
    ASSERT_NE(port, 0) << host.tail();
    EXPECT_FALSE(heard_beacon(port, 2s)) << "a beacon for port " << port;
    for (const auto& line : host.lines()) EXPECT_FALSE(event_is(line, "announced")) << line.dump();
    host.close_stdin();
    EXPECT_EQ(host.wait_exit(kWait), 0);
  }
}

}  // namespace
}  // namespace attune::test
