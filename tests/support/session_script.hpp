// The whole session, written once: the nine steps (and the quick repair) as
// the lines a person types at the headless prompt, with the step and phase
// each line should lead to. Every test that walks a session plays these
// lines: the process tests type them into real peers, the engine test and
// the window's tests turn them into intents through the real command
// parser. Hooks run before and after each line, for what a test adds
// (a screenshot, a pause, a dropped link, a check).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "attune/engine.hpp"
#include "who.hpp"

namespace attune::test {

class PeerCluster;
class SessionDriver;
using Json = nlohmann::json;

struct Line {
  Who who;
  std::string command;
  std::string step_after;  // Expected host step once acknowledged; empty: don't check.
  std::string phase_after;
};

struct WalkOptions {
  // Step 4: A offers to go first and B agrees (false), or A asks the coach,
  // B agrees, and the coach picks B (true). The first speaker shares first
  // and goes first in steps 7 and 8.
  bool coach_picks_first = false;
  // The lobby's choices: B moves the check-in line to 4 and A shares their
  // numbers with the coach (true), or neither: the default line, and
  // nobody shares (false).
  bool lobby_choices = true;
  // The first gate's check-ins (A's, B's); every later gate is 2 and 1.
  std::pair<int, int> first_gate{2, 1};
};

// The whole session, from the lobby to a shared gesture.
std::vector<Line> nine_steps(WalkOptions options = {});
// nine_steps() in its three parts, for a test that stops on the way or does
// something of its own in between: the lobby to step 4; step 4 and its
// gate (the first speaker then holds the floor in step 5); steps 5 to 9.
std::vector<Line> lobby_to_who_first(WalkOptions options = {});
std::vector<Line> who_first(WalkOptions options = {});
std::vector<Line> share_to_complete(WalkOptions options = {});
// Step 6 after the mirror, none of it skipped and nothing written: the
// listener asks "Is there more?", the speaker has nothing to add, the
// listener validates, empathises, and has reflected; the speaker answers next.
std::vector<Line> reflect_through(Who listener, Who speaker);
// A quick repair, from the lobby to a shared gesture: B reaches out, A says
// "not quite" once, A names their part too.
std::vector<Line> quick_repair();
// A quick repair where A asks for the whole conversation after feeling seen;
// the nine steps then run from step 3 to a shared gesture.
std::vector<Line> quick_then_whole();
// The number of intents in nine_steps() that change the state (all of them;
// both joins are counted separately by the caller).
std::size_t script_changes();

// --- Walking it ---------------------------------------------------------------
struct WalkHooks {
  // Given the line and its place in the walk.
  std::function<void(const Line&, std::size_t)> before;
  std::function<void(const Line&, std::size_t)> after;
};
// Plays each line with `play`, hooks around it; stops at the first failure
// and says at which line.
void run_walk(const std::vector<Line>& lines, const std::function<void(const Line&)>& play,
              const WalkHooks& hooks = {});

// What a line asks of a device, through the headless command parser: an
// intent, or a check-in level (which stays on the device).
struct Move {
  std::optional<Intent> intent;
  int check_in_level = -1;
};
// Fails the test if the line is not an intent or a check-in.
Move move_for(const std::string& command, const State& state, int64_t now_ms);
// Fills "{first}" in a command with the id of the first proposed gesture.
std::string expand(const std::string& command, const State& state);
void check_after(const Line& line, const State& state);
// Plays one line on the pure engine, as the host applies it.
void play(SessionDriver& driver, const Line& line);

// --- Checks on three real peers (session_checks.cpp) --------------------------
// All three replicas agree on the finished quick repair, words kept.
void expect_quick_finished(PeerCluster& cluster, bool escalated);
std::string expand(const std::string& command, const Json& state);
void check_after(const Line& line, const Json& state);
// Every intent the host broadcast produced exactly one change, and every
// intent anyone saw acknowledged is among them.
void expect_exactly_once(PeerCluster& cluster, std::size_t expected_changes);
// All three replicas agree on the finished session with every text once.
void expect_finished_together(PeerCluster& cluster);

}  // namespace attune::test
