// Drives the pure engine in tests: holds a session, a clock, and short
// helpers to send intents as partner A, partner B, a coach, or the shell.
#pragma once

#include <string>
#include <vector>

#include "attune/engine.hpp"
#include "attune/intents.hpp"
#include "who.hpp"

namespace attune::test {

inline constexpr const char* kA = "device-a";
inline constexpr const char* kB = "device-b";
inline constexpr const char* kCoach = "device-coach";

// The tests build intents as the product does (attune/intents.hpp); `make::`
// is kept as the short name the tests read well with.
namespace make {
using namespace ::attune::intents;
// Default settings for a quick repair with `repairer` reaching out.
v1::Settings quick_settings(v1::Role repairer);
}  // namespace make

class SessionDriver {
 public:
  // A session hosted by partner A, with default settings, at a fixed start time.
  SessionDriver();

  Result send(const std::string& actor, const Intent& intent);
  Result shell(const Intent& intent);
  // Sends and fails the test (with the refusal text) if it was refused.
  void ok(const std::string& actor, const Intent& intent);
  // Sends and fails the test unless it was refused with `code`; returns the text.
  std::string refused(const std::string& actor, const Intent& intent, v1::RefusalCode code);

  void advance_seconds(int64_t s) { now_ += std::chrono::seconds(s); }
  TimePoint now() const { return now_; }
  const State& state() const { return state_; }
  const std::vector<Effect>& last_effects() const { return effects_; }

  // Scenario steps from the lobby onwards.
  void join_b_and_coach();  // B and a coach join and are admitted.
  void start();             // Both ready: step 1.
  void both_check_in_calm();
  // The shared walk's first lines (session_script.hpp, whose library
  // defines these three), with no lobby choices: B and a coach join, are
  // let in, steps 1-3 are done and the session is at step 4; then A offers
  // to go first, B accepts and the gate is passed.
  void to_who_first();
  void to_share();
  // The same walk on through both rounds of sharing: at step 7, A first.
  void to_own_pattern();
  void to_reflect();    // A shared and passed the floor; at step 6, B mirrors.
  // Step 6 after the mirror, as the shared walk does it (session_script's
  // reflect_through): nothing more, validated, empathised, reflected.
  void reflect_through(Who listener = Who::B, Who speaker = Who::A);
  void finish_pause();  // Waits out the minimum pause and fires the timer.
  // A quick repair with B and a coach, both ready: at step 1.
  void start_quick(v1::Role repairer);
  // The same, named and checked in: at ACKNOWLEDGE.
  void to_acknowledge(v1::Role repairer);

 private:
  State state_;
  TimePoint now_;
  std::vector<Effect> effects_;
};

}  // namespace attune::test
