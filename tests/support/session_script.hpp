// The nine steps as headless command lines, from the lobby to a shared
// gesture, for process tests that walk a whole session through PeerCluster.
#pragma once

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

// Fills in "{first}" with the id of the first proposed gesture.
std::string expand(const std::string& command, const Json& state);

}  // namespace attune::test
