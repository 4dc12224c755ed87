// proto/README.md "Closing", between real headless processes on loopback: a
// host that quits says so in its close frame, and each joining device knows
// from it whether to come back (the host stepped away for now) or to stop
// (the session is over), instead of reading every host shutdown as a cut-off
// stream; and the side that receives a close frame closes without answering.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "attune/intents.hpp"
#include "doc_between.hpp"
#include "doc_section.hpp"
#include "peer_cluster.hpp"
#include "sealed_device.hpp"
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
  const auto back =
      b.wait_for([](const Json& j) { return j.value("event", "") == "link" && j["link"] == "connected"; },
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
  EXPECT_TRUE(
      b.wait_for([](const Json& j) { return j.value("event", "") == "link" && j["link"] == "connected"; },
                 PeerCluster::kWait, from))
      << b.tail();
}

// proto/README.md "Closing", "Receiving a close frame" and "The host reads
// nothing into a joining device's reason": a seated device says goodbye
// (for now, and then with a reason only a host may send); each time the
// host sends nothing back, closes at once rather than draining, keeps the
// seat and prints no problem.
TEST(Closing, TheReceiverOfACloseFrameClosesWithoutAnswering) {
  const std::string doc = contract::read_squeezed(contract::source_dir() / "proto" / "README.md");
  const std::string rule = contract::between(doc, "**Receiving a close frame.**", "**The host reads");
  EXPECT_NE(
      rule.find("does not answer it: it sends no close frame of its own, nor anything else, and it closes "
                "the TCP connection at once, without the one-second drain"),
      std::string::npos)
      << rule;
  const std::string host_rule =
      contract::between(doc, "**The host reads nothing into a joining device's reason.**", "| reason |");
  EXPECT_NE(host_rule.find("keeps the device's seat, prints no `peer_problem` line"), std::string::npos)
      << host_rule;
  for (const v1::CloseReason reason : {v1::CLOSE_REASON_GOING_AWAY, v1::CLOSE_REASON_SESSION_ENDED}) {
    SCOPED_TRACE(v1::CloseReason_Name(reason));
    TempDir dir;
    PeerProcess host("host", ATTUNE_BINARY,
                     {"--headless", "--data-dir", (dir.path() / "a").string(), "host", "--name", "Alex",
                      "--bind", "127.0.0.1"},
                     dir.path() / "host.stderr");
    const auto ready = wait_ready(host);
    ASSERT_TRUE(ready) << host.tail();
    SealedDevice device(ready->port, ready->code);
    ASSERT_TRUE(device.pair()) << host.tail();
    ASSERT_TRUE(device.welcomed()) << host.tail();
    v1::Envelope join;
    join.mutable_submit_intent()->set_intent_id("raw-join");
    *join.mutable_submit_intent()->mutable_intent() = intents::join("Robin", v1::ROLE_PARTNER_B);
    device.send_sealed(join.SerializeAsString());
    std::optional<v1::Envelope> got;
    while ((got = device.next()) && !got->has_intent_ack()) {
    }
    ASSERT_TRUE(got) << host.tail();

    const auto from = host.line_count();
    device.say_goodbye(reason, "This device closed Attune for now.");
    const Ending ending = device.read_to_end();
    EXPECT_TRUE(ending.ended) << "the host did not close the link";
    EXPECT_FALSE(ending.close_frame) << "the host answered the close frame with one of its own";
    // Still not shut down on this side: a host that drained would still be
    // reading; one that closed answers new bytes with a reset.
    EXPECT_TRUE(device.reset_when_written(500ms))
        << "the host kept the connection open after the close frame";

    host.send("state");
    const auto state = host.wait_for([](const Json& j) { return j.value("event", "") == "state"; },
                                     PeerCluster::kWait, from);
    ASSERT_TRUE(state) << host.tail();
    bool seated = false;
    for (const auto& p : (*state)["state"]["participants"]) seated = seated || p["id"] == SealedDevice::kId;
    EXPECT_TRUE(seated) << "the host let the seat go";
    const auto lines = host.lines();
    for (std::size_t i = from; i < lines.size(); ++i) {
      EXPECT_NE(lines[i].value("event", ""), "peer_problem") << lines[i].dump();
    }
    EXPECT_TRUE(host.running());
  }
}

}  // namespace
}  // namespace attune::test
