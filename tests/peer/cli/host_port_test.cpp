// The real binary: a headless host given no --port listens on the port it
// hosted on last (its last_host_port file, as the window's host does), so
// the partner's remembered address stays right; an explicit --port wins;
// a port taken by something else now gives way to any free one.
#include <gtest/gtest.h>

#include <asio.hpp>
#include <chrono>

#include "peer_process.hpp"

namespace attune::test {
namespace {

constexpr auto kWait = 20s;

// Runs a headless host until it listens, then quits it: the port it listened on.
std::optional<int> hosted_port(const TempDir& dir, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--headless", "--data-dir", (dir.path() / "d").string(), "host", "--name", "Alex",
                                "--bind",     "127.0.0.1",  "--no-announce"};
  args.insert(args.end(), extra.begin(), extra.end());
  PeerProcess host("host", ATTUNE_BINARY, args, dir.path() / "host.log");
  const auto listening = host.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait);
  EXPECT_TRUE(listening) << host.tail();
  host.send("quit");
  EXPECT_EQ(host.wait_exit(kWait), 0);
  if (!listening) return std::nullopt;
  return listening->value("port", 0);
}

uint16_t free_loopback_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

TEST(HeadlessHostPort, WithNoPortTheHostListensWhereItHostedLast) {
  TempDir dir;
  const auto first = hosted_port(dir, {});
  ASSERT_TRUE(first && *first > 0);
  EXPECT_EQ(hosted_port(dir, {}), first) << "a host given no --port didn't come back on its last port";

  // An explicit --port wins, and is the one remembered from then on.
  const uint16_t asked = free_loopback_port();
  EXPECT_EQ(hosted_port(dir, {"--port", std::to_string(asked)}), asked);
  EXPECT_EQ(hosted_port(dir, {}), asked);

  // The last port is taken by something else now: the host starts anyway.
  asio::io_context io;
  asio::ip::tcp::acceptor squatter(io, {asio::ip::make_address("127.0.0.1"), asked});
  const auto elsewhere = hosted_port(dir, {});
  ASSERT_TRUE(elsewhere);
  EXPECT_NE(*elsewhere, asked);
  EXPECT_GT(*elsewhere, 0);
}

}  // namespace
}  // namespace attune::test
