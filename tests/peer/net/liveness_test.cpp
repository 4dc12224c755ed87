// A device that goes silent pauses the session for everyone; when it comes
// back the session continues. A device keeps what its user did while the
// host was away and delivers it once the host returns.
#include <gtest/gtest.h>
#include <signal.h>

#include "peer_cluster.hpp"

namespace attune::test {
namespace {

bool connected(const Json& state, const std::string& name) {
  for (const auto& p : state["participants"]) {
    if (p["display_name"] == name) return p["connected"].get<bool>();
  }
  return false;
}

TEST(Liveness, ASilentPartnerPausesTheSessionAndItResumesWhenBack) {
  // Short liveness timing so the test is quick, with room for a loaded machine.
  PeerCluster cluster(ATTUNE_BINARY, ClusterOptions{2500, 400});
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  for (auto [who, command] : std::vector<std::pair<Who, std::string>>{{Who::A, "admit partner-b"},
                                                                      {Who::A, "admit coach"},
                                                                      {Who::B, "admit coach"},
                                                                      {Who::A, "ready"},
                                                                      {Who::B, "ready"}}) {
    cluster.act(who, command);
  }
  ASSERT_EQ(cluster.state()["step"], "STEP_NAME_IT");

  // Freeze partner B: its socket stays open but it says nothing.
  cluster.peer(Who::B).signal(SIGSTOP);
  const auto paused = cluster.peer(Who::A).wait_state(
      [](const Json& s, uint64_t) { return s["phase"] == "PHASE_PAUSED" && !connected(s, "Blake"); }, 15s);
  ASSERT_TRUE(paused) << cluster.peer(Who::A).tail();
  EXPECT_EQ((*paused)["state"]["pause"]["reason"], "PAUSE_REASON_CONNECTION");
  // The coach sees the same pause.
  EXPECT_TRUE(cluster.peer(Who::Coach)
                  .wait_state([](const Json& s, uint64_t) { return s["phase"] == "PHASE_PAUSED"; }, 10s));

  // B wakes up, notices its link is gone, reconnects by itself, and the
  // session asks both partners to check in again.
  cluster.peer(Who::B).signal(SIGCONT);
  const auto back = cluster.peer(Who::A).wait_state(
      [](const Json& s, uint64_t) { return s["phase"] == "PHASE_CHECK_IN" && connected(s, "Blake"); }, 15s);
  ASSERT_TRUE(back) << cluster.peer(Who::A).tail() << cluster.peer(Who::B).tail();
  EXPECT_TRUE((*back)["state"]["gate"]["resume"].get<bool>());
  cluster.converge();
  cluster.act(Who::A, "checkin 1");
  cluster.act(Who::B, "checkin 0");
  const auto state = cluster.converge();
  EXPECT_EQ(state["step"], "STEP_NAME_IT");
  EXPECT_EQ(state["phase"], "PHASE_ACTIVE");
}

TEST(Liveness, WhatAPartnerDoesWhileTheHostIsDownArrivesOnceItIsBack) {
  PeerCluster cluster(ATTUNE_BINARY, ClusterOptions{15000, 1000});
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  cluster.act(Who::A, "admit partner-b");
  cluster.act(Who::A, "admit coach");

  // The host is gone; B keeps working and its intent waits in the outbox.
  cluster.peer(Who::A).kill_hard();
  const auto id = cluster.submit(Who::B, "admit coach");
  ASSERT_TRUE(cluster.peer(Who::B).wait_for(
      [&](const Json& j) { return j.value("event", "") == "queued" && j["intent_id"] == id; }, 5s));
  EXPECT_TRUE(cluster.peer(Who::B).wait_for(
      [](const Json& j) { return j.value("event", "") == "link" && j["link"] == "reconnecting"; }, 5s));

  // The host comes back on the same port with the same session.
  const auto started = std::chrono::steady_clock::now();
  cluster.peer(Who::A).restart();
  cluster.expect_ack(Who::B, id);
  const auto state = cluster.converge();
  const auto took = std::chrono::steady_clock::now() - started;
  // Backoff is capped low (half a second) while a session is live.
  EXPECT_LT(took, 6s);
  for (const auto& p : state["participants"]) EXPECT_TRUE(p["admitted"].get<bool>()) << p.dump();
  EXPECT_EQ(cluster.broadcast_causes().count(id), 1u);
}

TEST(Liveness, ARestartedPartnerShowsItsLastSnapshotAtOnce) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  cluster.act(Who::A, "admit partner-b");
  const auto seq = cluster.peer(Who::A).latest_seq();
  // Stop the host for good, then restart B: it shows the session from disk
  // before any host answers.
  cluster.peer(Who::A).kill_hard();
  // Give B's coalesced snapshot save time to land, bounded by a deadline.
  auto& b = cluster.peer(Who::B);
  b.signal(SIGTERM);
  ASSERT_TRUE(b.wait_exit(10s));
  const auto from = b.line_count();
  b.restart();
  const auto shown = b.wait_for([](const Json& j) { return j.value("event", "") == "state"; }, 10s, from);
  ASSERT_TRUE(shown) << b.tail();
  EXPECT_EQ((*shown)["seq"].get<uint64_t>(), seq);
  EXPECT_EQ((*shown)["state"]["participants"].size(), 3u);
}

}  // namespace
}  // namespace attune::test

namespace attune::test {
namespace {

TEST(HostTimers, APauseEndsOnTimeEvenAcrossAHostRestart) {
  PeerCluster cluster(ATTUNE_BINARY, ClusterOptions{15000, 1000});
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  for (auto [who, command] : std::vector<std::pair<Who, std::string>>{{Who::A, "admit partner-b"},
                                                                      {Who::A, "admit coach"},
                                                                      {Who::B, "admit coach"},
                                                                      {Who::A, "settings min-pause=30"},
                                                                      {Who::A, "ready"},
                                                                      {Who::B, "ready"}}) {
    cluster.act(who, command);
  }
  // The coach calls a pause; the engine asks the host for a timer.
  cluster.act(Who::Coach, "pause");
  const auto paused = cluster.state();
  ASSERT_EQ(paused["phase"], "PHASE_PAUSED");
  const auto until_ms = std::stoll(paused["pause"]["min_until_ms"].get<std::string>());
  // Ending it early is refused.
  const auto early = cluster.submit(Who::A, "timer-fired");
  EXPECT_EQ(cluster.expect_refusal(Who::A, early), "REFUSAL_CODE_SYSTEM_ONLY");

  // The host crashes mid-pause; the restarted host re-arms the timer.
  cluster.kill_and_restart(Who::A);
  const auto resumed = cluster.peer(Who::A).wait_state(
      [](const Json& s, uint64_t) { return s["phase"] == "PHASE_CHECK_IN"; }, 60s);
  ASSERT_TRUE(resumed) << cluster.peer(Who::A).tail();
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_GE(now_ms, until_ms) << "the pause ended before its minimum";
  EXPECT_TRUE((*resumed)["state"]["gate"]["resume"].get<bool>());
  cluster.converge();
  cluster.act(Who::A, "checkin 1");
  cluster.act(Who::B, "checkin 1");
  EXPECT_EQ(cluster.converge()["phase"], "PHASE_ACTIVE");
}

TEST(Lobby, ADeclinedDeviceIsToldAndStops) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  cluster.act(Who::A, "admit partner-b");
  cluster.act(Who::A, "decline coach");
  auto& coach = cluster.peer(Who::Coach);
  const auto code = coach.wait_exit(PeerCluster::kWait);
  ASSERT_TRUE(code) << coach.tail();
  EXPECT_EQ(*code, 5);
  const auto fatal = coach.wait_for([](const Json& j) { return j.value("event", "") == "fatal"; }, 1s);
  ASSERT_TRUE(fatal);
  EXPECT_EQ((*fatal)["reason"], "removed");
  EXPECT_EQ(cluster.state()["participants"].size(), 2u);
}

}  // namespace
}  // namespace attune::test
