// The window says what headless prints as `closed` and `held` (issue 15):
// why the other device closed the link and whether we come back, and what
// this device keeps until both have checked in.
#include <gtest/gtest.h>

#include "app/view_model.hpp"

namespace attune::app {
namespace {

NodeView closed_with(v1::CloseReason reason, bool reconnecting, std::string message = {}) {
  NodeView snap;
  snap.last_goodbye = NodeView::Goodbye{reason, std::move(message), reconnecting};
  return snap;
}

bool says(const std::string& text, const std::string& words) { return text.find(words) != std::string::npos; }

TEST(LinkNotes, NothingToSayWhenTheLinkIsFineAndNothingWaits) {
  const auto notes = link_notes(NodeView{});
  EXPECT_TRUE(notes.closed.empty());
  EXPECT_TRUE(notes.held.empty());
}

TEST(LinkNotes, SilenceSaysWeLostTouchAndAreReconnecting) {
  const auto notes = link_notes(closed_with(v1::CLOSE_REASON_SILENCE, true));
  EXPECT_TRUE(says(notes.closed, "lost touch")) << notes.closed;
  EXPECT_TRUE(says(notes.closed, "Reconnecting")) << notes.closed;
  EXPECT_TRUE(says(notes.closed, "nothing is lost")) << notes.closed;
}

TEST(LinkNotes, AnErrorSaysSomethingWentWrongAndQuotesTheOtherDevice) {
  const auto notes = link_notes(closed_with(v1::CLOSE_REASON_ERROR, true, "a frame arrived out of order"));
  EXPECT_TRUE(says(notes.closed, "Something went wrong")) << notes.closed;
  EXPECT_TRUE(says(notes.closed, "Reconnecting")) << notes.closed;
  EXPECT_TRUE(says(notes.closed, "\"a frame arrived out of order\"")) << notes.closed;
}

TEST(LinkNotes, EachReasonSaysWhetherWeComeBack) {
  EXPECT_TRUE(says(link_notes(closed_with(v1::CLOSE_REASON_GOING_AWAY, true)).closed, "reconnect when it's back"));
  EXPECT_TRUE(says(link_notes(closed_with(v1::CLOSE_REASON_REMOVED, false)).closed, "won't reconnect"));
  EXPECT_TRUE(says(link_notes(closed_with(v1::CLOSE_REASON_SESSION_ENDED, false)).closed, "session has ended"));
  EXPECT_TRUE(says(link_notes(closed_with(v1::CLOSE_REASON_UNSPECIFIED, true)).closed, "Reconnecting"));
  EXPECT_FALSE(says(link_notes(closed_with(v1::CLOSE_REASON_UNSPECIFIED, false)).closed, "Reconnecting"));
}

// After the end the summary says the session is over and the chip who
// closed it: the host's goodbye isn't a third "The session has ended".
TEST(LinkNotes, TheEndIsNotSaidAgainOverTheSummary) {
  NodeView snap = closed_with(v1::CLOSE_REASON_SESSION_ENDED, false, "The session has ended.");
  snap.state.set_phase(v1::PHASE_ENDED);
  EXPECT_EQ(link_notes(snap).closed, "");
  snap.state.set_phase(v1::PHASE_COMPLETE);
  EXPECT_EQ(link_notes(snap).closed, "");
  snap.last_goodbye->reason = v1::CLOSE_REASON_SILENCE;  // Anything else is still said.
  EXPECT_TRUE(says(link_notes(snap).closed, "lost touch"));
}

TEST(TimelineWords, OneCheckInIsSingular) {
  EXPECT_EQ(timeline_span_words(0, 1), "1 check-in");
  EXPECT_EQ(timeline_span_words(5 * 60'000, 9), "Over 5 min, 9 check-ins");
  EXPECT_EQ(timeline_span_words(10'000, 2), "Over 1 min, 2 check-ins");
}

TEST(LinkNotes, HeldWorkIsNamedPlainlyWithHowMuchWaits) {
  NodeView snap;
  snap.held.emplace_back("i1", "What you did is kept here; it goes through once you have both checked in.");
  auto notes = link_notes(snap);
  EXPECT_EQ(notes.held, snap.held.back().second);
  snap.held.emplace_back("i2", snap.held.back().second);
  notes = link_notes(snap);
  EXPECT_TRUE(says(notes.held, "2 things are waiting")) << notes.held;
}

}  // namespace
}  // namespace attune::app
