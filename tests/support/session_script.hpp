// The whole nine-step session as headless CLI commands, shared by the
// process tests, and the checks every such walk ends with.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "peer_cluster.hpp"

namespace attune::test {

struct Line {
  Who who;
  std::string command;
  std::string step_after;  // Expected host step once acknowledged; empty: don't check.
  std::string phase_after;
};

// The whole session, from the lobby to a shared gesture.
std::vector<Line> nine_steps();
// A quick repair, from the lobby to a shared gesture: B reaches out, A says
// "not quite" once, A names their part too.
std::vector<Line> quick_repair();
// A quick repair where A asks for the whole conversation after feeling seen;
// the nine steps then run from step 3 to a shared gesture.
std::vector<Line> quick_then_whole();
// All three replicas agree on the finished quick repair, words kept.
void expect_quick_finished(PeerCluster& cluster, bool escalated);
// Fills "{first}" in a command with the id of the first proposed gesture.
std::string expand(const std::string& command, const Json& state);
void check_after(const Line& line, const Json& state);
// Every intent the host broadcast produced exactly one change, and every
// intent anyone saw acknowledged is among them.
void expect_exactly_once(PeerCluster& cluster, std::size_t expected_changes);
// All three replicas agree on the finished session with every text once.
void expect_finished_together(PeerCluster& cluster);
// The number of intents in nine_steps() that change the state (all of them;
// both joins are counted separately by the caller).
std::size_t script_changes();

}  // namespace attune::test
