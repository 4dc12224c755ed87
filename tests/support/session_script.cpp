#include "session_script.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace attune::test {

namespace {

std::vector<Line> gate_lines(const std::string& next) {
  return {{Who::A, "checkin 2", "", "PHASE_CHECK_IN"}, {Who::B, "checkin 1", next, "PHASE_ACTIVE"}};
}

// Lobby, naming it and the first check-in of a quick repair with B reaching out.
std::vector<Line> quick_opening() {
  std::vector<Line> s = {
      {Who::A, "admit partner-b", "STEP_LOBBY", ""},
      {Who::A, "admit coach", "STEP_LOBBY", ""},
      {Who::B, "admit coach", "STEP_LOBBY", ""},
      {Who::B, "kind quick partner-b", "STEP_LOBBY", ""},
      {Who::A, "ready", "STEP_LOBBY", ""},
      {Who::B, "ready", "STEP_NAME_IT", "PHASE_ACTIVE"},
      {Who::A, "confirm", "STEP_NAME_IT", ""},
      {Who::B, "confirm", "STEP_GAUGE", "PHASE_CHECK_IN"},
  };
  for (auto& l : gate_lines("STEP_ACKNOWLEDGE")) s.push_back(l);
  s.push_back({Who::B, "write I see that I hurt you when I laughed at your idea", "STEP_ACKNOWLEDGE", ""});
  s.push_back({Who::B, "acknowledge", "STEP_ACKNOWLEDGE", ""});
  return s;
}

}  // namespace

// The whole session, from the lobby to a shared gesture.
std::vector<Line> nine_steps() {
  const auto gate = gate_lines;
  std::vector<Line> s = {
      {Who::A, "admit partner-b", "STEP_LOBBY", ""},
      {Who::A, "admit coach", "STEP_LOBBY", ""},
      {Who::B, "admit coach", "STEP_LOBBY", ""},
      {Who::B, "settings threshold=4", "STEP_LOBBY", ""},
      {Who::A, "share-with-coach on", "STEP_LOBBY", ""},
      {Who::A, "ready", "STEP_LOBBY", ""},
      {Who::B, "ready", "STEP_NAME_IT", "PHASE_ACTIVE"},
      // 1. Name it.
      {Who::A, "confirm", "STEP_NAME_IT", ""},
      {Who::B, "confirm", "STEP_GAUGE", "PHASE_CHECK_IN"},
  };
  // 2. Gauge: the first check-in unlocks step 3.
  for (auto& l : gate("STEP_BENEFIT")) s.push_back(l);
  // 3. Benefit of the doubt.
  s.push_back({Who::A, "confirm", "STEP_BENEFIT", ""});
  s.push_back({Who::B, "confirm", "", "PHASE_CHECK_IN"});
  for (auto& l : gate("STEP_WHO_FIRST")) s.push_back(l);
  // 4. Who goes first.
  s.push_back({Who::A, "offer-first", "STEP_WHO_FIRST", ""});
  s.push_back({Who::B, "accept-first", "", "PHASE_CHECK_IN"});
  for (auto& l : gate("STEP_SHARE")) s.push_back(l);
  // 5. A shares.
  s.push_back({Who::A, "write I felt alone when the plans changed without me", "STEP_SHARE", ""});
  s.push_back({Who::A, "pass-floor", "", "PHASE_CHECK_IN"});
  for (auto& l : gate("STEP_REFLECT")) s.push_back(l);
  // 6. B reflects; "not quite" loops back once.
  s.push_back({Who::B, "write You felt left out", "STEP_REFLECT", ""});
  // Deeper listening: is there more? Once, then nothing; validate, empathise.
  s.push_back({Who::B, "ask-more", "STEP_REFLECT", ""});
  s.push_back({Who::A, "more", "STEP_REFLECT", ""});
  s.push_back({Who::A, "write And nobody asked me", "STEP_REFLECT", ""});
  s.push_back({Who::A, "pass-floor", "STEP_REFLECT", ""});
  s.push_back({Who::B, "ask-more", "STEP_REFLECT", ""});
  s.push_back({Who::A, "nothing-more", "STEP_REFLECT", ""});
  s.push_back({Who::B, "validate It makes sense to me, because I decided without you", "STEP_REFLECT", ""});
  s.push_back({Who::B, "empathise I imagine you felt small", "STEP_REFLECT", ""});
  s.push_back({Who::B, "finish-reflection", "STEP_REFLECT", ""});
  s.push_back({Who::A, "not-quite", "STEP_SHARE", ""});
  s.push_back({Who::A, "pass-floor", "STEP_REFLECT", ""});
  s.push_back({Who::B, "write You felt alone, and that makes sense", "STEP_REFLECT", ""});
  s.push_back({Who::B, "finish-reflection", "STEP_REFLECT", ""});
  s.push_back({Who::A, "heard", "", "PHASE_CHECK_IN"});
  for (auto& l : gate("STEP_SHARE")) s.push_back(l);
  // 5 and 6 again, roles swapped.
  s.push_back({Who::B, "write I felt pushed away", "STEP_SHARE", ""});
  s.push_back({Who::B, "pass-floor", "", "PHASE_CHECK_IN"});
  for (auto& l : gate("STEP_REFLECT")) s.push_back(l);
  s.push_back({Who::A, "finish-reflection", "STEP_REFLECT", ""});
  s.push_back({Who::B, "heard", "", "PHASE_CHECK_IN"});
  for (auto& l : gate("STEP_OWN_PATTERN")) s.push_back(l);
  // 7. Own your pattern, in turn.
  s.push_back({Who::A, "write When I feel cornered I go quiet", "STEP_OWN_PATTERN", ""});
  s.push_back({Who::A, "pass-floor", "STEP_OWN_PATTERN", ""});
  s.push_back({Who::B, "pass-floor", "", "PHASE_CHECK_IN"});
  for (auto& l : gate("STEP_REASSURE")) s.push_back(l);
  // 8. Reassure, in turn.
  s.push_back({Who::A, "write I still care; I'm not leaving", "STEP_REASSURE", ""});
  s.push_back({Who::A, "pass-floor", "STEP_REASSURE", ""});
  s.push_back({Who::B, "write I'm here too", "STEP_REASSURE", ""});
  s.push_back({Who::B, "pass-floor", "", "PHASE_CHECK_IN"});
  for (auto& l : gate("STEP_RECONNECT")) s.push_back(l);
  // 9. Reconnect.
  s.push_back({Who::A, "propose-gesture a long hug", "STEP_RECONNECT", ""});
  s.push_back({Who::B, "accept-gesture {first}", "STEP_COMPLETE", "PHASE_COMPLETE"});
  return s;
}

std::vector<Line> quick_repair() {
  std::vector<Line> s = quick_opening();
  s.push_back({Who::A, "not-quite", "STEP_ACKNOWLEDGE", "PHASE_ACTIVE"});
  s.push_back({Who::B, "write I see that you felt small, in front of our friends", "STEP_ACKNOWLEDGE", ""});
  s.push_back({Who::B, "acknowledge", "STEP_ACKNOWLEDGE", ""});
  s.push_back({Who::A, "seen", "STEP_OWN_PART", "PHASE_ACTIVE"});
  s.push_back({Who::B, "write I made a joke to cover my own nerves", "STEP_OWN_PART", ""});
  s.push_back({Who::B, "own", "STEP_OTHER_PART", "PHASE_ACTIVE"});
  s.push_back({Who::A, "write I went cold instead of telling you", "STEP_OTHER_PART", ""});
  s.push_back({Who::A, "own", "", "PHASE_CHECK_IN"});
  for (auto& l : gate_lines("STEP_RECONNECT")) s.push_back(l);
  s.push_back({Who::B, "propose-gesture a cup of tea together", "STEP_RECONNECT", ""});
  s.push_back({Who::A, "accept-gesture {first}", "STEP_COMPLETE", "PHASE_COMPLETE"});
  return s;
}

std::vector<Line> quick_then_whole() {
  std::vector<Line> s = quick_opening();
  s.push_back({Who::A, "seen", "STEP_OWN_PART", "PHASE_ACTIVE"});
  s.push_back({Who::A, "whole-conversation", "", "PHASE_CHECK_IN"});
  for (auto& l : gate_lines("STEP_BENEFIT")) s.push_back(l);
  // From step 3, the nine steps as in nine_steps().
  const auto nine = nine_steps();
  const auto from = std::find_if(nine.begin(), nine.end(),
                                 [](const Line& l) { return l.step_after == "STEP_BENEFIT" && l.command == "confirm"; });
  s.insert(s.end(), from, nine.end());
  return s;
}

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

// The number of intents in nine_steps() that change the state (all of them;
// both joins are counted separately by the caller).
std::size_t script_changes() { return nine_steps().size(); }

}  // namespace attune::test
