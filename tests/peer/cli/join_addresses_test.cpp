// The headless peer, as real `attune --headless` processes on loopback:
// joining by an invite whose first address can't be reached (a LAN address
// seen from across a VPN) reaches the host at its next one, and a `join`
// typed on a device that is already seated is answered in plain words.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "attune/discovery/invite_code.hpp"
#include "peer_process.hpp"

namespace attune::test {
namespace {

constexpr auto kWait = 20s;

bool event_is(const Json& j, const char* name) { return j.value("event", "") == name; }

// A headless host on 127.0.0.1, its port and its pairing code.
struct Host {
  explicit Host(const TempDir& dir)
      : process("host", ATTUNE_BINARY,
                {"--headless", "host", "--name", "Alex", "--bind", "127.0.0.1", "--port", "0", "--data-dir",
                 (dir.path() / "host").string()},
                dir.path() / "host.err") {
    const auto opened = process.wait_for(
        [](const Json& j) { return event_is(j, "pairing_code") && j.value("kind", "") == "opened"; }, kWait);
    const auto listening = process.wait_for([](const Json& j) { return event_is(j, "listening"); }, kWait);
    if (opened && listening) {
      code = (*opened)["code"].get<std::string>();
      port = (*listening)["port"].get<uint16_t>();
    }
  }
  // The host's invite, listing `addresses`, in that order.
  std::string invite(std::vector<std::string> addresses) const {
    discovery::InviteInfo info;
    info.addresses = std::move(addresses);
    info.port = port;
    info.session_code = code;
    return discovery::encode_invite(info).text;
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }
  PeerProcess process;
  uint16_t port = 0;
  std::string code;
};

PeerProcess joiner_with(const TempDir& dir, const std::string& invite) {
  return PeerProcess("joiner", ATTUNE_BINARY,
                     {"--headless", "--data-dir", (dir.path() / "joiner").string(), "join", invite, "--name",
                      "Blake", "--role", "partner-b"},
                     dir.path() / "joiner.err");
}

std::optional<Json> connected(PeerProcess& joiner) {
  return joiner.wait_for(
      [](const Json& j) { return event_is(j, "link") && j.value("link", "") == "connected"; }, kWait);
}

TEST(HeadlessJoin, AnInviteWhoseFirstAddressRefusesReachesTheHostAtTheNext) {
  TempDir dir;
  Host host(dir);
  ASSERT_NE(host.port, 0) << host.process.tail();
  // Nothing listens on 127.0.0.2: the invite's first address refuses.
  PeerProcess joiner = joiner_with(dir, host.invite({"127.0.0.2", "127.0.0.1"}));
  const auto reached = connected(joiner);
  ASSERT_TRUE(reached) << joiner.tail() << joiner.stderr_text();
  // One plain line says where it got in; the address that refused raised no alarm.
  EXPECT_EQ((*reached)["detail"], "Connected to the host at " + host.address() + ".");
  std::vector<Json> links;
  for (const auto& line : joiner.lines())
    if (event_is(line, "link")) links.push_back(line);
  ASSERT_EQ(links.size(), 2u) << joiner.tail();
  EXPECT_EQ(links[0]["link"], "connecting");
  EXPECT_EQ(links[0]["detail"], "Reaching the host at 127.0.0.2:" + std::to_string(host.port) +
                                    " (or 1 other address)...");
  const auto seated = host.process.wait_state(
      [](const Json& state, uint64_t) {
        for (const auto& p : state["participants"])
          if (p["display_name"] == "Blake") return true;
        return false;
      },
      kWait);
  EXPECT_TRUE(seated) << host.process.tail() << joiner.tail();
}

// README.md, "Lines for the less common paths": the join the device sends by
// itself on a reconnect stays silent, but a person who typed `join` hears
// they are in already, and the device goes on.
TEST(HeadlessJoin, ATypedJoinOnASeatedDeviceSaysItIsInAlready) {
  TempDir dir;
  Host host(dir);
  ASSERT_NE(host.port, 0) << host.process.tail();
  PeerProcess joiner = joiner_with(dir, host.invite({"127.0.0.1"}));
  ASSERT_TRUE(joiner.wait_for([](const Json& j) { return event_is(j, "ack"); }, kWait))
      << "its own Join was never applied: " << joiner.tail() << joiner.stderr_text();
  const std::size_t from = joiner.line_count();
  joiner.send("join Blake partner-b");
  const auto submitted = joiner.wait_for([](const Json& j) { return event_is(j, "submitted"); }, kWait, from);
  ASSERT_TRUE(submitted) << joiner.tail();
  const std::string id = (*submitted)["intent_id"].get<std::string>();
  const auto answer = joiner.wait_for(
      [&](const Json& j) { return event_is(j, "refused") && j.value("intent_id", "") == id; }, kWait, from);
  ASSERT_TRUE(answer) << "nothing after submitted: " << joiner.tail();
  EXPECT_EQ((*answer)["code"], "REFUSAL_CODE_ALREADY_JOINED");
  EXPECT_NE((*answer)["message"].get<std::string>().find("already in this session"), std::string::npos)
      << answer->dump();
  // Still in, still connected.
  joiner.send("state");
  EXPECT_TRUE(joiner.wait_for(
      [](const Json& j) { return event_is(j, "state") && j.value("link", "") == "connected"; }, kWait, from))
      << joiner.tail();
  const auto lines = joiner.lines();
  for (std::size_t i = from; i < lines.size(); ++i) EXPECT_FALSE(event_is(lines[i], "fatal")) << lines[i].dump();
}

}  // namespace
}  // namespace attune::test
