// SIGKILL at every step boundary: three real `attune --headless` processes
// (host = partner A, partner B, a coach) walk the whole session, and one of
// them is killed and started again from its data folder at every transition
// (each step change, each gate opening, each floor change, the speaker swap)
// and once in the middle of every gate, with one check-in given. After each
// restart all replicas show the same state and version as before the kill,
// and at the end every acknowledged intent was applied exactly once.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>
#include <string>

#include "peer_cluster.hpp"
#include "session_script.hpp"
#include "stall_relay.hpp"

namespace attune::test {
namespace {

// What makes a moment a boundary: the step, the phase, the gate's target or
// who holds the floor changed.
Json boundary_of(const Json& state) {
  return Json{{"step", state.value("step", "")},
              {"phase", state.value("phase", "")},
              {"gate", state.contains("gate") ? state["gate"].value("target_step", "") : ""},
              {"floor", state.value("floor", "")}};
}

int checked_in(const Json& state) {
  if (!state.contains("gate")) return 0;
  int n = 0;
  for (const auto& key : {"checked_in_a", "checked_in_b"}) {
    if (state["gate"].value(key, false)) ++n;
  }
  return n;
}

void walk_killing(Who target) {
  // A generous silence window: a restart takes well under it, so a kill is
  // about crash recovery, not the pause a long absence causes (tested in
  // liveness_test and the outage test).
  PeerCluster cluster(ATTUNE_BINARY, ClusterOptions{15000, 1000});
  // The host allows each address a few connection attempts, then one per
  // 12 s (abuse_test covers that). Killing at every boundary means dozens of
  // reconnects a minute, so each joiner reaches the host through a relay that
  // gives every new connection its own loopback address.
  StallRelay relay_b;
  StallRelay relay_coach;
  relay_b.rotate_sources();
  relay_coach.rotate_sources();
  cluster.route([&](Who who, uint16_t host_port) {
    auto& relay = who == Who::Coach ? relay_coach : relay_b;
    relay.set_target(host_port);
    return relay.port();
  });
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  const auto started = std::chrono::steady_clock::now();
  int kills = 0;
  int mid_gate = 0;

  const auto kill_here = [&](const std::string& moment) {
    const auto before = cluster.converge();
    const auto seq = cluster.peer(Who::A).latest_seq();
    std::map<Who, std::size_t> from;
    for (auto who : {Who::A, Who::B, Who::Coach}) from[who] = cluster.peer(who).line_count();
    cluster.kill_and_restart(target);
    ++kills;
    // Lines survive a restart, so wait for fresh proof: the restarted peer
    // shows the session again, and after a host restart both others are
    // linked to it again.
    auto& restarted = cluster.peer(target);
    ASSERT_TRUE(restarted.wait_for(
        [&](const Json& j) { return j.value("event", "") == "state" && j["seq"].get<uint64_t>() >= seq; },
        PeerCluster::kWait, from[target]))
        << restarted.tail();
    for (auto who : {Who::B, Who::Coach}) {
      if (target != Who::A && target != who) continue;
      ASSERT_TRUE(cluster.peer(who).wait_for(
          [](const Json& j) { return j.value("event", "") == "link" && j["link"] == "connected"; },
          PeerCluster::kWait, from[who]))
          << cluster.peer(who).tail();
    }
    const auto after = cluster.converge();
    // Nothing moved and nothing was lost: the same state, at least the same
    // version (a host restart may count its own bookkeeping, never less).
    EXPECT_GE(cluster.peer(Who::A).latest_seq(), seq) << "after killing at " << moment;
    EXPECT_EQ(after, before) << "killing " << who_name(target) << " at " << moment
                             << " changed the session: " << Json::diff(before, after).dump();
  };

  Json last = boundary_of(cluster.state());
  for (const auto& line : nine_steps()) {
    const auto command = expand(line.command, cluster.state());
    cluster.act(line.who, command);
    const auto state = cluster.state();
    check_after(line, state);
    ASSERT_FALSE(::testing::Test::HasFailure()) << "stopped at '" << command << "'\n"
                                                << state.dump() << cluster.peer(target).tail(30);
    const auto now = boundary_of(state);
    if (now != last) {
      kill_here("'" + command + "' -> " + now.dump());
    } else if (state.value("phase", "") == "PHASE_CHECK_IN" && checked_in(state) == 1) {
      // Mid-gate: one partner's check-in is in, the other's is not.
      kill_here("mid-gate after '" + command + "'");
      ++mid_gate;
    }
    last = now;
    ASSERT_FALSE(::testing::Test::HasFailure()) << "stopped after killing at '" << command << "'";
  }
  const auto took = std::chrono::steady_clock::now() - started;
  std::cerr << "killed " << who_name(target) << " " << kills << " times (" << mid_gate << " mid-gate) in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  EXPECT_GE(kills, 30);
  EXPECT_EQ(mid_gate, 9);
  expect_finished_together(cluster);
  expect_exactly_once(cluster, script_changes() + 2);
}

TEST(KillAtEveryStep, Host) { walk_killing(Who::A); }
TEST(KillAtEveryStep, PartnerB) { walk_killing(Who::B); }
TEST(KillAtEveryStep, Coach) { walk_killing(Who::Coach); }

}  // namespace
}  // namespace attune::test

namespace attune::test {
namespace {

// A partner restarted before it has seen the session (nothing saved yet, the
// host not reached) does not know the threshold: its check-in must be
// refused with a clear message, not judged against zero and sent as "above"
// (which paused the session for two minutes for a calm partner).
TEST(KillAtEveryStep, ACheckInBeforeTheSessionIsKnownIsRefusedNotSentAsAbove) {
  TempDir dir;
  // Nobody listens on the port the relay forwards to, so the host is never reached.
  StallRelay nowhere;
  nowhere.stall();
  PeerProcess b("partner B", ATTUNE_BINARY,
                {"--headless", "--data-dir", (dir.path() / "b").string(), "join",
                 "127.0.0.1:" + std::to_string(nowhere.port()), "--name", "Blake", "--role", "partner-b",
                 "--code", "123456"},
                dir.path() / "b.stderr");
  ASSERT_TRUE(b.wait_for([](const Json& j) { return j.value("event", "") == "started"; }, PeerCluster::kWait))
      << b.tail();
  b.send("checkin 1");
  const auto answer = b.wait_for(
      [](const Json& j) {
        const auto event = j.value("event", "");
        return event == "refused" || event == "queued" || event == "error";
      },
      PeerCluster::kWait);
  ASSERT_TRUE(answer) << b.tail();
  EXPECT_EQ((*answer)["event"], "refused") << b.tail();
  EXPECT_FALSE(answer->value("message", "").empty());
}

}  // namespace
}  // namespace attune::test
