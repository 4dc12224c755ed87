#include "session_script.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <variant>

#include "attune/intents.hpp"
#include "cli/command_parser.hpp"
#include "session_driver.hpp"

namespace attune::test {

namespace {

// A gate both partners pass: A checks in `a`, B `b` (at or below the line).
std::vector<Line> gate_lines(const std::string& next, int a = 2, int b = 1) {
  return {{Who::A, "checkin " + std::to_string(a), "", "PHASE_CHECK_IN"},
          {Who::B, "checkin " + std::to_string(b), next, "PHASE_ACTIVE"}};
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

namespace {

void append(std::vector<Line>& to, const std::vector<Line>& lines) {
  to.insert(to.end(), lines.begin(), lines.end());
}

}  // namespace

std::vector<Line> lobby_to_who_first(WalkOptions options) {
  std::vector<Line> s = {
      {Who::A, "admit partner-b", "STEP_LOBBY", ""},
      {Who::A, "admit coach", "STEP_LOBBY", ""},
      {Who::B, "admit coach", "STEP_LOBBY", ""},
  };
  if (options.lobby_choices) {
    s.push_back({Who::B, "settings threshold=4", "STEP_LOBBY", ""});
    s.push_back({Who::A, "share-with-coach on", "STEP_LOBBY", ""});
  }
  append(s, {{Who::A, "ready", "STEP_LOBBY", ""},
             {Who::B, "ready", "STEP_NAME_IT", "PHASE_ACTIVE"},
             // 1. Name it.
             {Who::A, "confirm", "STEP_NAME_IT", ""},
             {Who::B, "confirm", "STEP_GAUGE", "PHASE_CHECK_IN"}});
  // 2. Gauge: the first check-in unlocks step 3.
  append(s, gate_lines("STEP_BENEFIT", options.first_gate.first, options.first_gate.second));
  // 3. Benefit of the doubt.
  s.push_back({Who::A, "confirm", "STEP_BENEFIT", ""});
  s.push_back({Who::B, "confirm", "", "PHASE_CHECK_IN"});
  append(s, gate_lines("STEP_WHO_FIRST"));
  return s;
}

std::vector<Line> who_first(WalkOptions options) {
  std::vector<Line> s;
  if (options.coach_picks_first) {
    s.push_back({Who::A, "ask-coach", "STEP_WHO_FIRST", ""});
    s.push_back({Who::B, "accept-first", "STEP_WHO_FIRST", ""});
    s.push_back({Who::Coach, "assign-first partner-b", "", "PHASE_CHECK_IN"});
  } else {
    s.push_back({Who::A, "offer-first", "STEP_WHO_FIRST", ""});
    s.push_back({Who::B, "accept-first", "", "PHASE_CHECK_IN"});
  }
  append(s, gate_lines("STEP_SHARE"));
  return s;
}

std::vector<Line> reflect_through(Who listener, Who speaker) {
  return {{listener, "ask-more", "STEP_REFLECT", ""},
          {speaker, "nothing-more", "STEP_REFLECT", ""},
          {listener, "validated", "STEP_REFLECT", ""},
          {listener, "finish-reflection", "STEP_REFLECT", ""}};
}

namespace {

// Steps 5 and 6 twice, then 7 to 9: `one` speaks first, `two` second.
std::vector<Line> share_rounds(Who one, Who two) {
  const auto gate = [](const std::string& next) { return gate_lines(next); };
  // 5. The first speaker shares.
  std::vector<Line> s = {
      {one, "write I felt alone when the plans changed without me", "STEP_SHARE", ""},
      {one, "pass-floor", "", "PHASE_CHECK_IN"},
  };
  append(s, gate("STEP_REFLECT"));
  // 6. The other reflects; deeper listening (is there more? once, then
  // nothing; validate, empathise), and "not quite" loops back once.
  append(s, {{two, "write You felt left out", "STEP_REFLECT", ""},
             {two, "ask-more", "STEP_REFLECT", ""},
             {one, "more", "STEP_REFLECT", ""},
             {one, "write And nobody asked me", "STEP_REFLECT", ""},
             {one, "pass-floor", "STEP_REFLECT", ""},
             {two, "ask-more", "STEP_REFLECT", ""},
             {one, "nothing-more", "STEP_REFLECT", ""},
             {two, "validate It makes sense to me, because I decided without you", "STEP_REFLECT", ""},
             {two, "validated", "STEP_REFLECT", ""},
             {two, "empathise I imagine you felt small", "STEP_REFLECT", ""},
             {two, "finish-reflection", "STEP_REFLECT", ""},
             {one, "not-quite", "STEP_SHARE", ""},
             {one, "pass-floor", "STEP_REFLECT", ""},
             {two, "write You felt alone, and that makes sense", "STEP_REFLECT", ""}});
  append(s, reflect_through(two, one));
  s.push_back({one, "heard", "", "PHASE_CHECK_IN"});
  append(s, gate("STEP_SHARE"));
  // 5 and 6 again, roles swapped.
  s.push_back({two, "write I felt pushed away", "STEP_SHARE", ""});
  s.push_back({two, "pass-floor", "", "PHASE_CHECK_IN"});
  append(s, gate("STEP_REFLECT"));
  append(s, reflect_through(one, two));
  s.push_back({two, "heard", "", "PHASE_CHECK_IN"});
  append(s, gate("STEP_OWN_PATTERN"));
  // 7. Own your pattern, in turn.
  append(s, {{one, "write When I feel cornered I go quiet", "STEP_OWN_PATTERN", ""},
             {one, "pass-floor", "STEP_OWN_PATTERN", ""},
             {two, "pass-floor", "", "PHASE_CHECK_IN"}});
  append(s, gate("STEP_REASSURE"));
  // 8. Reassure, in turn.
  append(s, {{one, "write I still care; I'm not leaving", "STEP_REASSURE", ""},
             {one, "pass-floor", "STEP_REASSURE", ""},
             {two, "write I'm here too", "STEP_REASSURE", ""},
             {two, "pass-floor", "", "PHASE_CHECK_IN"}});
  append(s, gate("STEP_RECONNECT"));
  // 9. Reconnect.
  s.push_back({one, "propose-gesture a long hug", "STEP_RECONNECT", ""});
  s.push_back({two, "accept-gesture {first}", "STEP_COMPLETE", "PHASE_COMPLETE"});
  return s;
}

}  // namespace

std::vector<Line> share_to_complete(WalkOptions options) {
  // The first speaker shares first and goes first in steps 7 and 8.
  return options.coach_picks_first ? share_rounds(Who::B, Who::A) : share_rounds(Who::A, Who::B);
}

// The whole session, from the lobby to a shared gesture.
std::vector<Line> nine_steps(WalkOptions options) {
  std::vector<Line> s = lobby_to_who_first(options);
  append(s, who_first(options));
  append(s, share_to_complete(options));
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

void run_walk(const std::vector<Line>& lines, const std::function<void(const Line&)>& play,
              const WalkHooks& hooks) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (hooks.before) hooks.before(line, i);
    if (!::testing::Test::HasFailure()) play(line);
    if (!::testing::Test::HasFailure() && hooks.after) hooks.after(line, i);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "the walk stopped at line " << i << ": '" << line.command << "'";
      return;
    }
  }
}

Move move_for(const std::string& command, const State& state, int64_t now_ms) {
  const cli::Command parsed = cli::parse_command(command, state, now_ms);
  Move move;
  if (const auto* send = std::get_if<cli::SendIntent>(&parsed)) {
    move.intent = send->intent;
  } else if (const auto* check_in = std::get_if<cli::SendCheckIn>(&parsed)) {
    move.check_in_level = check_in->level;
  } else if (const auto* error = std::get_if<cli::ParseError>(&parsed)) {
    ADD_FAILURE() << "'" << command << "': " << error->message;
  } else {
    ADD_FAILURE() << "'" << command << "' sends nothing";
  }
  return move;
}

std::string expand(const std::string& command, const State& state) {
  const auto at = command.find("{first}");
  if (at == std::string::npos) return command;
  if (state.gestures().empty()) {
    ADD_FAILURE() << "'" << command << "' needs a proposed gesture";
    return command;
  }
  return command.substr(0, at) + std::to_string(state.gestures(0).id());
}

void check_after(const Line& line, const State& state) {
  if (!line.step_after.empty()) {
    EXPECT_EQ(v1::Step_Name(state.step()), line.step_after) << "after " << line.command;
  }
  if (!line.phase_after.empty()) {
    EXPECT_EQ(v1::Phase_Name(state.phase()), line.phase_after) << "after " << line.command;
  }
}

void play(SessionDriver& driver, const Line& line) {
  const std::string actor = line.who == Who::A ? kA : line.who == Who::B ? kB : kCoach;
  const std::string command = expand(line.command, driver.state());
  const Move move = move_for(command, driver.state(), to_ms(driver.now()));
  if (move.intent) {
    driver.ok(actor, *move.intent);
  } else if (move.check_in_level >= 0) {
    // What the device sends: only at/below or above the line leaves it.
    const auto bits = make_check_in(move.check_in_level, driver.state().settings());
    ASSERT_TRUE(bits) << command;
    driver.ok(actor, intents::check_in(*bits));
  }
  check_after(line, driver.state());
}

// SessionDriver's way into a session is the walk's own first part.
namespace {
constexpr WalkOptions kNoLobbyChoices{.lobby_choices = false};
void play_all(SessionDriver& driver, const std::vector<Line>& lines) {
  run_walk(lines, [&](const Line& line) { play(driver, line); });
}
}  // namespace

void SessionDriver::to_who_first() {
  ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  ok(kCoach, make::join("Casey", v1::ROLE_COACH));
  play_all(*this, lobby_to_who_first(kNoLobbyChoices));
}

void SessionDriver::to_share() {
  to_who_first();
  play_all(*this, who_first(kNoLobbyChoices));
}

void SessionDriver::reflect_through(Who listener, Who speaker) {
  play_all(*this, test::reflect_through(listener, speaker));
}

void SessionDriver::to_own_pattern() {
  to_share();
  auto lines = share_to_complete(kNoLobbyChoices);
  const auto into = std::find_if(lines.begin(), lines.end(), [](const Line& l) {
    return l.step_after == "STEP_OWN_PATTERN" && l.phase_after == "PHASE_ACTIVE";
  });
  ASSERT_NE(into, lines.end()) << "the walk never reaches step 7";
  lines.erase(into + 1, lines.end());
  play_all(*this, lines);
}

// The number of intents in nine_steps() that change the state (all of them;
// both joins are counted separately by the caller).
std::size_t script_changes() { return nine_steps().size(); }

}  // namespace attune::test
