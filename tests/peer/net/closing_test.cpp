// proto/README.md "Closing", between real headless processes on loopback: a
// host that quits says so in its close frame, and each joining device knows
// from it whether to come back (the host stepped away for now) or to stop
// (the session is over), instead of reading every host shutdown as a cut-off
// stream.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "peer_cluster.hpp"
#include "session_script.hpp"

namespace attune::test {
namespace {

bool is_closed(const Json& j) { return j.value("event", "") == "closed"; }

// Lobby to the first step: both partners seated and ready.
void reach_first_step(PeerCluster& cluster) {
  const auto script = nine_steps();
  for (const auto& line : script) {
    cluster.act(line.who, line.command);
    check_after(line, cluster.state());
    if (::testing::Test::HasFailure() || line.step_after == "STEP_NAME_IT") return;
  }
}

TEST(Closing, HostQuitForNowIsACleanCloseAndTheJoinersComeBack) {
  PeerCluster cluster(ATTUNE_BINARY);
  cluster.start();
  ASSERT_FALSE(::testing::Test::HasFailure());
  reach_first_step(cluster);
  ASSERT_FALSE(::testing::Test::HasFailure());
  auto& host = cluster.peer(Who::A);
  auto& b = cluster.peer(Who::B);
  const std::map<Who, std::size_t> from = {{Who::B, b.line_count()},
                                           {Who::Coach, cluster.peer(Who::Coach).line_count()}};
  host.send("quit");
  EXPECT_EQ(host.wait_exit(PeerCluster::kWait), 0);

  for (Who who : {Who::B, Who::Coach}) {
    const auto closed = cluster.peer(who).wait_for(is_closed, PeerCluster::kWait, from.at(who));
    ASSERT_TRUE(closed) << "no close frame reached " << who_name(who) << cluster.peer(who).tail();
    EXPECT_EQ((*closed)["reason"], "going_away");
    EXPECT_EQ((*closed)["reconnect"], true);
    EXPECT_FALSE((*closed)["message"].get<std::string>().empty());
  }
  // Not a cut-off stream: nothing about a truncated or unsafe connection.
  for (const auto& line : b.lines()) {
    const std::string text = line.dump();
    EXPECT_EQ(text.find("truncated"), std::string::npos) << text;
    EXPECT_EQ(text.find("for safety"), std::string::npos) << text;
    EXPECT_NE(line.value("event", ""), "peer_problem") << text;
  }
  // B keeps trying, and is back in the session once the host is.
  EXPECT_TRUE(b.running());
  const auto back_from = b.line_count();
  host.restart();
  const auto back = b.wait_for(
      [](const Json& j) { return j.value("event", "") == "link" && j["link"] == "connected"; },
      PeerCluster::kWait, back_from);
  EXPECT_TRUE(back) << b.tail();
}

TEST(Closing, HostQuitAfterTheSessionEndedStopsTheJoiners) {
  PeerCluster cluster(ATTUNE_BINARY);
  cluster.start();
  ASSERT_FALSE(::testing::Test::HasFailure());
  reach_first_step(cluster);
  ASSERT_FALSE(::testing::Test::HasFailure());
  cluster.act(Who::Coach, "exit");
  ASSERT_EQ(cluster.state()["phase"], "PHASE_ENDED");
  auto& host = cluster.peer(Who::A);
  const std::map<Who, std::size_t> from = {{Who::B, cluster.peer(Who::B).line_count()},
                                           {Who::Coach, cluster.peer(Who::Coach).line_count()}};
  host.send("quit");
  EXPECT_EQ(host.wait_exit(PeerCluster::kWait), 0);
  for (Who who : {Who::B, Who::Coach}) {
    auto& peer = cluster.peer(who);
    const auto closed = peer.wait_for(is_closed, PeerCluster::kWait, from.at(who));
    ASSERT_TRUE(closed) << peer.tail();
    EXPECT_EQ((*closed)["reason"], "session_ended");
    EXPECT_EQ((*closed)["reconnect"], false);
    // Nothing left to wait for: the device stops by itself, cleanly.
    EXPECT_EQ(peer.wait_exit(PeerCluster::kWait), 0) << peer.tail();
  }
}

// A second copy of B's device (its keys copied to another folder) connects:
// the host tells B's older link why it ends, so B's person reads "replaced",
// not a broken connection, and B comes back once the copy is gone.
TEST(Closing, AnOlderLinkOfTheSameDeviceHearsItWasReplaced) {
  PeerCluster cluster(ATTUNE_BINARY);
  cluster.start();
  ASSERT_FALSE(::testing::Test::HasFailure());
  auto& b = cluster.peer(Who::B);
  const auto copy_dir = cluster.root() / "b-copy";
  std::filesystem::create_directories(copy_dir);
  std::filesystem::copy(cluster.root() / "b" / "identity", copy_dir / "identity",
                        std::filesystem::copy_options::recursive);
  const auto from = b.line_count();
  PeerProcess copy("partner B's copy", ATTUNE_BINARY,
                   {"--headless", "--data-dir", copy_dir.string(), "join",
                    "127.0.0.1:" + std::to_string(cluster.port()), "--name", "Blake", "--role", "partner-b"},
                   cluster.root() / "b-copy.stderr");
  const auto closed = b.wait_for(is_closed, PeerCluster::kWait, from);
  ASSERT_TRUE(closed) << b.tail() << copy.tail();
  EXPECT_EQ((*closed)["reason"], "replaced");
  EXPECT_EQ((*closed)["reconnect"], true);
  EXPECT_FALSE((*closed)["message"].get<std::string>().empty());
  copy.kill_hard();
  EXPECT_TRUE(b.wait_for([](const Json& j) { return j.value("event", "") == "link" && j["link"] == "connected"; },
                         PeerCluster::kWait, from))
      << b.tail();
}

}  // namespace
}  // namespace attune::test
