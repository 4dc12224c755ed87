#include <gtest/gtest.h>

#include "peer_cluster.hpp"
#include "session_script.hpp"

namespace attune::test {

void expect_quick_finished(PeerCluster& cluster, bool escalated) {
  const auto state = cluster.converge();
  EXPECT_EQ(state["step"], "STEP_COMPLETE");
  EXPECT_EQ(state["phase"], "PHASE_COMPLETE");
  EXPECT_EQ(state["settings"]["kind"], "REPAIR_KIND_QUICK");
  EXPECT_EQ(state["settings"]["repairer"], "ROLE_PARTNER_B");
  const auto& q = state["quick"];
  EXPECT_TRUE(q.value("seen", false));
  EXPECT_EQ(q.value("escalated", false), escalated);
  if (escalated) {
    EXPECT_EQ(q["acknowledgment_text"], "I see that I hurt you when I laughed at your idea");
    ASSERT_EQ(state["rounds"].size(), 2u);
  } else {
    EXPECT_EQ(q["acknowledgment_text"], "I see that you felt small, in front of our friends");
    EXPECT_EQ(q["not_quite"], 1);
    EXPECT_EQ(q["own_text"], "I made a joke to cover my own nerves");
    EXPECT_EQ(q["other_text"], "I went cold instead of telling you");
    EXPECT_EQ(state.value("rounds", Json::array()).size(), 0u);
  }
  ASSERT_EQ(state["gestures"].size(), 1u) << "a gesture was proposed once";
}

std::string expand(const std::string& command, const Json& state) {
  const auto at = command.find("{first}");
  if (at == std::string::npos) return command;
  const auto id = state["gestures"].at(0).value("id", 0u);
  return command.substr(0, at) + std::to_string(id);
}

void check_after(const Line& line, const Json& state) {
  if (!line.step_after.empty()) {
    EXPECT_EQ(state["step"], line.step_after) << "after " << line.command;
  }
  if (!line.phase_after.empty()) {
    EXPECT_EQ(state["phase"], line.phase_after) << "after " << line.command;
  }
}

// Every intent the host broadcast produced exactly one change, and every
// intent anyone saw acknowledged is among them.
void expect_exactly_once(PeerCluster& cluster, std::size_t expected_changes) {
  const auto causes = cluster.broadcast_causes();
  for (const auto& [id, seqs] : causes) {
    EXPECT_EQ(seqs.size(), 1u) << "intent " << id << " was applied " << seqs.size() << " times";
  }
  for (const auto& id : cluster.acked_ids()) {
    EXPECT_TRUE(causes.count(id)) << "intent " << id << " was acknowledged but the host never broadcast it";
  }
  EXPECT_EQ(causes.size(), expected_changes);
}

void expect_finished_together(PeerCluster& cluster) {
  const auto state = cluster.converge();
  EXPECT_EQ(state["step"], "STEP_COMPLETE");
  EXPECT_EQ(state["phase"], "PHASE_COMPLETE");
  ASSERT_EQ(state["rounds"].size(), 2u);
  EXPECT_EQ(state["rounds"][0]["share_text"], "I felt alone when the plans changed without me");
  EXPECT_EQ(state["rounds"][0]["reflection_text"], "You felt alone, and that makes sense");
  EXPECT_EQ(state["rounds"][0]["clarifications"], 1);
  EXPECT_EQ(state["rounds"][0]["more_text"], "And nobody asked me");
  EXPECT_EQ(state["rounds"][0]["more_added"], 1);
  EXPECT_EQ(state["rounds"][0]["validation_text"], "It makes sense to me, because I decided without you");
  EXPECT_EQ(state["rounds"][0]["empathy_text"], "I imagine you felt small");
  EXPECT_EQ(state["rounds"][1]["share_text"], "I felt pushed away");
  ASSERT_EQ(state["gestures"].size(), 1u) << "a gesture was proposed once";
  EXPECT_EQ(state["gestures"][0]["text"], "a long hug");
  for (const auto& p : state["participants"]) {
    EXPECT_TRUE(p["admitted"].get<bool>());
    EXPECT_TRUE(p["connected"].get<bool>()) << p["display_name"] << " should be back";
  }
}

}  // namespace attune::test
