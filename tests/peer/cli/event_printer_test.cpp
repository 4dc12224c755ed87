// README.md "Output": the `closed` and `refused` lines name their reason and
// code from a fixed set, even when a newer host sends a number this version
// has no name for.
#include "cli/event_printer.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

namespace attune::cli {
namespace {

// The headless printer, with std::cout captured around each event.
class HeadlessOutput : public ::testing::Test {
 protected:
  // Runs `emit` and returns the one line it printed.
  template <typename Emit>
  nlohmann::json printed_line(Emit emit) {
    std::ostringstream captured;
    std::streambuf* const old = std::cout.rdbuf(captured.rdbuf());
    emit();
    std::cout.rdbuf(old);
    return nlohmann::json::parse(captured.str(), nullptr, false);
  }
  nlohmann::json closed(v1::CloseReason reason) {
    v1::Close goodbye;
    goodbye.set_reason(reason);
    goodbye.set_message("Back soon.");
    return printed_line([&] { events_.closed(goodbye, true); });
  }

  JsonOut out_;
  std::atomic<int> exit_code_{0};
  net::ReplicaEvents events_ = print_events(out_, nullptr, exit_code_);
};

TEST_F(HeadlessOutput, AnUnknownCloseReasonPrintsUnspecified) {
  const auto line = closed(static_cast<v1::CloseReason>(99));
  EXPECT_EQ(line["event"], "closed");
  EXPECT_EQ(line["reason"], "unspecified");
  EXPECT_EQ(line["reconnect"], true);
  EXPECT_EQ(exit_code_.load(), 0);
  EXPECT_EQ(closed(v1::CLOSE_REASON_GOING_AWAY)["reason"], "going_away");
}

TEST_F(HeadlessOutput, AnUnknownRefusalCodePrintsTheUnspecifiedName) {
  v1::Refusal refusal;
  refusal.set_code(static_cast<v1::RefusalCode>(99));
  refusal.set_message("Not now.");
  const auto line = printed_line([&] { events_.refused("i-1", refusal); });
  EXPECT_EQ(line["event"], "refused");
  EXPECT_EQ(line["code"], "REFUSAL_CODE_UNSPECIFIED");
  EXPECT_EQ(line["message"], "Not now.");
}

// README.md "Output": before any state, `state` command's answer holds an
// empty SessionState: every scalar and list at its zero, no sub-message.
TEST(StateLineDoc, BeforeAnyStateTheObjectIsAnEmptySessionState) {
  const auto j = to_json(v1::SessionState{});
  EXPECT_EQ(j.at("session_id"), "");
  EXPECT_EQ(j.at("phase"), "PHASE_UNSPECIFIED");
  EXPECT_EQ(j.at("step"), "STEP_UNSPECIFIED");
  EXPECT_EQ(j.at("version"), "0");
  EXPECT_EQ(j.at("participants"), nlohmann::json::array());
  for (const char* sub : {"settings", "gate", "pause", "who_first", "quick"}) EXPECT_FALSE(j.contains(sub)) << sub;
  EXPECT_EQ(link_name(LinkState::Connecting), "connecting");
  EXPECT_EQ(link_name(LinkState::Offline), "offline");
}

}  // namespace
}  // namespace attune::cli
