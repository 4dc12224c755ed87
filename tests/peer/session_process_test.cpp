// Three real `attune --headless` processes on loopback (host = partner A,
// partner B, a coach) walk the nine steps; then again while each of them is
// killed with SIGKILL at several moments and started again.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "doc_between.hpp"
#include "doc_section.hpp"
#include "peer_cluster.hpp"
#include "session_script.hpp"

namespace attune::test {
namespace {

// scripts/package-check.sh points this at the installed /usr/bin/attune.
std::string attune_binary() {
  const char* installed = std::getenv("ATTUNE_TEST_BINARY");
  return installed && *installed ? installed : ATTUNE_BINARY;
}

void walk(PeerCluster& cluster, const std::vector<Line>& script) {
  for (const auto& line : script) {
    const auto command = expand(line.command, cluster.state());
    cluster.act(line.who, command);
    check_after(line, cluster.state());
    ASSERT_FALSE(::testing::Test::HasFailure()) << "stopped at '" << command << "'";
  }
}

// README.md "Output", the `state` event's `cause`: on the host, the id of
// every intent, whoever sent it; on a joining device, the ids of its own
// intents only, and "" for everyone else's.
void expect_causes_as_documented(PeerCluster& cluster) {
  const std::string readme = contract::read_squeezed(contract::source_dir() / "README.md");
  const std::string rule = contract::between(readme, "`cause`: on the host,", "`link` only in the answer");
  EXPECT_NE(rule.find("the id of the intent that made the change, whoever sent it"), std::string::npos)
      << rule;
  EXPECT_NE(rule.find("on a joining device, only the id of this device's own intent, and `\"\"` for a change "
                      "another device's intent made (the host's person's included)"),
            std::string::npos)
      << rule;
  // Each intent, by the change it made: its sender's `ack` line says both.
  std::map<uint64_t, std::pair<Who, std::string>> made;
  for (Who who : {Who::A, Who::B, Who::Coach}) {
    for (const auto& line : cluster.peer(who).lines()) {
      if (line.value("event", "") == "ack") made[line["seq"].get<uint64_t>()] = {who, line["intent_id"]};
    }
  }
  for (Who who : {Who::A, Who::B, Who::Coach}) {
    std::map<uint64_t, std::string> named;  // seq -> the cause its line named
    for (const auto& line : cluster.peer(who).lines()) {
      const std::string cause = line.value("cause", "");
      if (line.value("event", "") != "state" || cause.empty()) continue;
      const uint64_t seq = line["seq"].get<uint64_t>();
      named[seq] = cause;
      const auto it = made.find(seq);
      ASSERT_NE(it, made.end()) << who_name(who) << ": change " << seq << " named " << cause;
      EXPECT_EQ(cause, it->second.second) << who_name(who) << ": change " << seq;
      EXPECT_TRUE(who == Who::A || who == it->second.first)
          << who_name(who) << " was told the id of " << who_name(it->second.first) << "'s intent " << cause;
    }
    // Every change its own intents made (every one, on the host) names them.
    for (const auto& [seq, by] : made) {
      if (who == Who::A || who == by.first) {
        EXPECT_EQ(named[seq], by.second)
            << who_name(who) << ": change " << seq << " by " << who_name(by.first);
      }
    }
  }
  // The walk has each joining partner's own intents and the host's person's.
  std::set<Who> senders;
  for (const auto& [seq, by] : made) senders.insert(by.first);
  EXPECT_EQ(senders, (std::set<Who>{Who::A, Who::B, Who::Coach}));
}

TEST(SessionOverNetwork, ThreePeersCompleteAllNineSteps) {
  PeerCluster cluster(attune_binary());
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  ASSERT_NO_FATAL_FAILURE(walk(cluster, nine_steps()));
  expect_finished_together(cluster);
  expect_exactly_once(cluster, script_changes() + 2);
  expect_causes_as_documented(cluster);

  // Only the coach heard partner A's numbers (A opted in); B never did.
  auto& coach = cluster.peer(Who::Coach);
  const auto levels = coach.lines();
  const auto count = std::count_if(levels.begin(), levels.end(), [](const Json& j) {
    return j.value("event", "") == "coach_level" && j["partner"] == "ROLE_PARTNER_A" && j["level"] == 2;
  });
  EXPECT_GE(count, 1);
  for (const auto& line : cluster.peer(Who::B).lines()) {
    EXPECT_NE(line.value("event", ""), "coach_level") << "partner B must never see A's rating";
  }
  for (const auto& line : cluster.peer(Who::Coach).lines()) {
    if (line.value("event", "") == "coach_level") {
      EXPECT_NE(line["partner"], "ROLE_PARTNER_B");
    }
  }
}

TEST(SessionOverNetwork, ThreePeersCompleteAQuickRepair) {
  PeerCluster cluster(attune_binary());
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  ASSERT_NO_FATAL_FAILURE(walk(cluster, quick_repair()));
  expect_quick_finished(cluster, false);
  expect_exactly_once(cluster, quick_repair().size() + 2);
}

TEST(SessionOverNetwork, AQuickRepairMovesIntoTheNineStepsKeepingWhatWasSaid) {
  PeerCluster cluster(attune_binary());
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  ASSERT_NO_FATAL_FAILURE(walk(cluster, quick_then_whole()));
  expect_quick_finished(cluster, true);
  expect_exactly_once(cluster, quick_then_whole().size() + 2);
}

TEST(SessionOverNetwork, RefusalsGoToTheSenderAlone) {
  PeerCluster cluster(attune_binary());
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  cluster.act(Who::A, "admit partner-b");
  const auto b_lines = cluster.peer(Who::B).line_count();
  const auto host_lines = cluster.peer(Who::A).line_count();
  const auto id = cluster.submit(Who::Coach, "confirm");
  EXPECT_FALSE(cluster.expect_refusal(Who::Coach, id).empty());
  // Settle with a change everyone sees, then look: nobody else heard of it.
  cluster.act(Who::B, "admit coach");
  for (auto who : {Who::A, Who::B}) {
    const auto lines = cluster.peer(who).lines();
    for (std::size_t i = who == Who::A ? host_lines : b_lines; i < lines.size(); ++i) {
      EXPECT_NE(lines[i].value("intent_id", ""), id) << who_name(who) << " heard of the coach's refusal";
    }
  }
}

TEST(SessionOverNetwork, KillingEachPeerAtSeveralStepsLosesAndDoublesNothing) {
  // A generous silence window: restarts here are about crash recovery, not
  // about the pause a long absence causes (tested separately).
  PeerCluster cluster(attune_binary(), ClusterOptions{15000, 1000});
  ASSERT_NO_FATAL_FAILURE(cluster.start());

  // Before the given line: kill and restart someone, or kill the sender right
  // after its intent was durably queued (before the host answered), or kill
  // the host right after a partner sent an intent.
  enum class Chaos { Restart, KillSenderInFlight, KillHostInFlight };
  struct Hook {
    Chaos chaos;
    Who who;
  };
  const std::multimap<std::string, Hook> hooks = {
      {"admit coach", {Chaos::Restart, Who::A}},
      {"settings threshold=4", {Chaos::Restart, Who::Coach}},
      {"confirm", {Chaos::KillSenderInFlight, Who::B}},
      {"checkin 1", {Chaos::KillHostInFlight, Who::B}},
      {"checkin 2", {Chaos::KillSenderInFlight, Who::A}},
      {"write I felt pushed away", {Chaos::KillHostInFlight, Who::B}},
      {"write When I feel cornered I go quiet", {Chaos::Restart, Who::B}},
      {"offer-first", {Chaos::Restart, Who::B}},
      {"pass-floor", {Chaos::Restart, Who::A}},
      {"not-quite", {Chaos::KillHostInFlight, Who::A}},
      {"finish-reflection", {Chaos::KillSenderInFlight, Who::B}},
      {"heard", {Chaos::Restart, Who::Coach}},
      {"propose-gesture a long hug", {Chaos::Restart, Who::A}},
      {"accept-gesture {first}", {Chaos::KillSenderInFlight, Who::B}},
  };
  // Each hook fires once: at the first line with its command (for the
  // in-flight kinds, the first such line sent by `who`).
  std::set<std::string> used;

  int restarts = 0;
  for (const auto& line : nine_steps()) {
    const auto command = expand(line.command, cluster.state());
    auto hook = hooks.end();
    for (auto [it, end] = hooks.equal_range(line.command); it != end; ++it) {
      const bool in_flight = it->second.chaos != Chaos::Restart;
      if (!in_flight || it->second.who == line.who) hook = it;
    }
    const bool fire = hook != hooks.end() && used.insert(line.command).second;
    if (fire) std::cerr << "chaos before '" << command << "' (" << who_name(hook->second.who) << ")\n";
    if (fire && hook->second.chaos == Chaos::Restart) {
      cluster.kill_and_restart(hook->second.who);
      ++restarts;
      cluster.converge();
    }
    if (fire && hook->second.chaos == Chaos::KillSenderInFlight) {
      auto& sender = cluster.peer(line.who);
      const auto from = sender.line_count();
      const auto id = cluster.submit(line.who, command);
      // Once it is in the outbox on disk (on the host: applied and stored),
      // the user's tap must survive.
      ASSERT_TRUE(sender.wait_for(
          [&](const Json& j) {
            const auto event = j.value("event", "");
            return (event == "queued" || event == "ack") && j["intent_id"] == id;
          },
          PeerCluster::kWait, from));
      cluster.kill_and_restart(line.who);
      ++restarts;
      cluster.expect_ack(line.who, id);
      cluster.converge();
    } else if (fire && hook->second.chaos == Chaos::KillHostInFlight && line.who != Who::A) {
      // The partner's intent may or may not have reached the host's disk:
      // either way, after the restart it is applied exactly once.
      const auto id = cluster.submit(line.who, command);
      cluster.kill_and_restart(Who::A);
      ++restarts;
      cluster.expect_ack(line.who, id);
      cluster.converge();
    } else if (fire && hook->second.chaos == Chaos::KillHostInFlight) {
      // The host's own intents are applied synchronously: kill right after.
      const auto id = cluster.submit(line.who, command);
      cluster.expect_ack(line.who, id);
      cluster.kill_and_restart(Who::A);
      ++restarts;
      cluster.converge();
    } else {
      cluster.act(line.who, command);
    }
    check_after(line, cluster.state());
    ASSERT_FALSE(::testing::Test::HasFailure()) << "stopped at '" << command << "'";
  }
  EXPECT_EQ(restarts, static_cast<int>(hooks.size()));
  expect_finished_together(cluster);
  expect_exactly_once(cluster, script_changes() + 2);
}

}  // namespace
}  // namespace attune::test
