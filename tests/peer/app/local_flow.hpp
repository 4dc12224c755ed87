// Drives a whole session through LocalNode (the real engine, in process)
// for the view-model flow test and the screenshot test: Alex hosts as
// partner A, Sam joins as partner B, Robin as coach.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "app/local_node.hpp"
#include "session_script.hpp"

namespace attune::app::test {

class LocalFlow {
 public:
  explicit LocalFlow(bool with_coach = true);

  // Sends and returns the refusal text if the engine refused ("" if accepted).
  std::string send(NodeApi& node, Intent intent);
  std::string check_in(NodeApi& node, int level);

  void advance_seconds(int64_t s) { *clock_ms_ += s * 1000; }
  int64_t now_ms() const { return *clock_ms_; }

  // Scenario steps; each returns "" or the first refusal met.
  std::string admit_everyone();
  std::string start();  // Both ready: step 1.
  std::string both_check_in(int a, int b);
  std::string to_who_first();       // Steps 1-3 done.
  std::string to_share();           // Alex offers to go first, Sam accepts.
  std::string finish_pause();       // Waits out the pause; the timer fires.
  std::string share_to_complete();  // From Share (Alex speaking) to the end.

  // Plays one line of the shared walk (session_script): A is Alex, B Sam,
  // the coach Robin. Fails the test on a refusal or an unexpected step.
  void play(const attune::test::Line& line);
  // The node that plays `who`.
  NodeApi& node(attune::test::Who who);

  std::shared_ptr<LocalSession> session;
  std::shared_ptr<LocalNode> alex;
  std::shared_ptr<LocalNode> sam;
  std::shared_ptr<LocalNode> robin;  // Null without a coach.

 private:
  std::shared_ptr<std::atomic<int64_t>> clock_ms_;
};

}  // namespace attune::app::test
