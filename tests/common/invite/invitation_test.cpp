// A repair invitation's rules on a fake clock: what can be sent, who may
// answer what, and that both devices end at the same agreed UTC moment.
#include "attune/invite/invitation.hpp"

#include <gtest/gtest.h>

namespace attune::invite {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kHour = 60LL * 60 * 1000;

Invitation sendable(std::vector<int64_t> offers, bool now_too = false) {
  Draft d;
  d.day = "Tuesday";
  d.offers_utc_ms = std::move(offers);
  d.offers_now = now_too;
  auto got = accept_draft(d, kNow);
  EXPECT_TRUE(std::holds_alternative<Invitation>(got));
  return std::get<Invitation>(got);
}

Answer answer(AnswerKind kind, int64_t at_ms = kNow) {
  Answer a;
  a.kind = kind;
  a.answered_utc_ms = at_ms;
  return a;
}

TEST(Invitation, ReadsWarmlyAndSortsItsOffers) {
  const auto inv = sendable({kNow + 3 * kHour, kNow + kHour, kNow + kHour});
  EXPECT_EQ(invitation_sentence(inv.day), "I'd like to come back to what happened on Tuesday. Are you open to it?");
  EXPECT_EQ(inv.offers_utc_ms, (std::vector<int64_t>{kNow + kHour, kNow + 3 * kHour}));
  EXPECT_EQ(inv.status, Status::Waiting);
  EXPECT_TRUE(inv.words.empty());
}

TEST(Invitation, RefusesADraftWithNoDayNoTimeOrTooMuch) {
  Draft d;
  d.offers_utc_ms = {kNow + kHour};
  EXPECT_TRUE(std::holds_alternative<Problem>(accept_draft(d, kNow)));  // No day.
  d.day = "Tuesday";
  d.offers_utc_ms.clear();
  EXPECT_TRUE(std::holds_alternative<Problem>(accept_draft(d, kNow)));  // No time, no "now".
  d.offers_utc_ms = {kNow - kHour};
  EXPECT_TRUE(std::holds_alternative<Problem>(accept_draft(d, kNow)));  // In the past.
  d.offers_utc_ms = {kNow + 1, kNow + 2, kNow + 3, kNow + 4, kNow + 5};
  EXPECT_TRUE(std::holds_alternative<Problem>(accept_draft(d, kNow)));  // Too many.
  d.offers_utc_ms = {kNow + kHour};
  d.words = std::string(kMaxWordsBytes + 1, 'x');
  EXPECT_TRUE(std::holds_alternative<Problem>(accept_draft(d, kNow)));
}

TEST(Invitation, KeepsOnlyTheWordsTheSenderChoseCleaned) {
  Draft d;
  d.day = "  Sunday\x1b[2J ";
  d.offers_now = true;
  d.words = "I miss you.\x07";
  const auto inv = std::get<Invitation>(accept_draft(d, kNow));
  EXPECT_EQ(inv.day.find('\x1b'), std::string::npos);
  EXPECT_EQ(inv.words, "I miss you.");
}

TEST(Invitation, PickingAnOfferedTimeAgreesItOnBothSides) {
  auto sent = sendable({kNow + kHour, kNow + 5 * kHour});
  sent.id = "inv-1";
  auto received = std::get<Invitation>(accept_received(sent));
  EXPECT_EQ(received.side, Side::Received);
  const Answer pick = [] {
    Answer a = answer(AnswerKind::Offered, kNow + 60'000);
    a.offer_index = 1;
    return a;
  }();
  ASSERT_FALSE(answer_problem(received, pick, Side::Received));
  ASSERT_FALSE(answer_problem(sent, pick, Side::Received));
  received = apply_answer(received, pick);
  sent = apply_answer(sent, pick);
  ASSERT_TRUE(appointment_of(sent) && appointment_of(received));
  EXPECT_EQ(appointment_of(sent)->at_utc_ms, kNow + 5 * kHour);
  EXPECT_EQ(appointment_of(received)->at_utc_ms, kNow + 5 * kHour);
}

TEST(Invitation, NowIsTheAnswersOwnMomentNotEachClocks) {
  auto sent = sendable({}, /*now_too=*/true);
  const Answer now = answer(AnswerKind::Now, kNow + 7 * 60'000);
  ASSERT_FALSE(answer_problem(sent, now, Side::Received));
  EXPECT_EQ(*apply_answer(sent, now).agreed_utc_ms, kNow + 7 * 60'000);
  const auto without_now = sendable({kNow + kHour});
  EXPECT_TRUE(answer_problem(without_now, now, Side::Received));
}

TEST(Invitation, AnotherTimeWaitsForTheInvitersYes) {
  auto sent = sendable({kNow + kHour});
  Answer other = answer(AnswerKind::Other, kNow);
  other.at_utc_ms = kNow + 26 * kHour;
  ASSERT_FALSE(answer_problem(sent, other, Side::Received));
  sent = apply_answer(sent, other);
  EXPECT_EQ(sent.status, Status::Countered);
  EXPECT_FALSE(appointment_of(sent));
  EXPECT_TRUE(answer_problem(sent, answer(AnswerKind::Accept), Side::Received));  // Not the invitee's to accept.
  ASSERT_FALSE(answer_problem(sent, answer(AnswerKind::Accept), Side::Sent));
  sent = apply_answer(sent, answer(AnswerKind::Accept, kNow + kHour));
  EXPECT_EQ(appointment_of(sent)->at_utc_ms, kNow + 26 * kHour);
}

TEST(Invitation, NotYetAsksNoReasonAndEndsTheAnswering) {
  auto sent = sendable({kNow + kHour});
  EXPECT_TRUE(answer_problem(sent, answer(AnswerKind::NotYet), Side::Sent));  // The inviter can't answer.
  sent = apply_answer(sent, answer(AnswerKind::NotYet));
  EXPECT_EQ(sent.status, Status::NotYet);
  EXPECT_FALSE(appointment_of(sent));
  Answer pick = answer(AnswerKind::Offered);
  EXPECT_TRUE(answer_problem(sent, pick, Side::Received));  // Already answered.
}

TEST(Invitation, AHostileInvitationIsRefusedNotKept) {
  Invitation bad;
  bad.id = "";
  bad.day = "Tuesday";
  bad.offers_now = true;
  EXPECT_TRUE(std::holds_alternative<Problem>(accept_received(bad)));
  bad.id = "abc";
  bad.offers_utc_ms = {1, 2, 3, 4, 5, 6};
  EXPECT_TRUE(std::holds_alternative<Problem>(accept_received(bad)));
  Answer out_of_range = answer(AnswerKind::Offered);
  out_of_range.offer_index = 9;
  EXPECT_TRUE(answer_problem(sendable({kNow + kHour}), out_of_range, Side::Received));
}

// INVITE.md section 4: an answer's index points into the sorted list
// without duplicates, on both devices; another time must lie within
// 5 minutes before to 90 days after the answer's own moment.
TEST(Invitation, AnswersAreJudgedByTheSameRulesOnBothDevices) {
  Invitation received = sendable({kNow + 3 * kHour, kNow + kHour, kNow + 3 * kHour});
  received.side = Side::Received;
  ASSERT_EQ(received.offers_utc_ms.size(), 2u) << "the duplicate is gone before any index is counted";
  Answer pick = answer(AnswerKind::Offered);
  pick.offer_index = 1;
  ASSERT_FALSE(answer_problem(received, pick, Side::Received));
  EXPECT_EQ(*apply_answer(received, pick).agreed_utc_ms, kNow + 3 * kHour);
  pick.offer_index = 2;
  EXPECT_TRUE(answer_problem(received, pick, Side::Received)) << "past the end of the de-duplicated list";

  const auto other_at = [&](int64_t at) {
    Answer a = answer(AnswerKind::Other, kNow);
    a.at_utc_ms = at;
    return answer_problem(received, a, Side::Received).has_value();
  };
  EXPECT_FALSE(other_at(kNow - 5 * 60'000));
  EXPECT_TRUE(other_at(kNow - 5 * 60'000 - 1));
  EXPECT_FALSE(other_at(kNow + 90 * 24 * kHour));
  EXPECT_TRUE(other_at(kNow + 90 * 24 * kHour + 1));
}

TEST(Invitation, AgreedAppointmentsComeSoonestFirst) {
  auto a = sendable({kNow + 5 * kHour});
  a.id = "a";
  auto b = sendable({kNow + 2 * kHour});
  b.id = "b";
  Answer pick = answer(AnswerKind::Offered);
  a = apply_answer(a, pick);
  b = apply_answer(b, pick);
  const auto waiting = sendable({kNow + kHour});
  const auto list = agreed_appointments({a, waiting, b});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, "b");
  EXPECT_EQ(list[1].id, "a");
}

TEST(Invitation, ReadsUtcTimesExactly) {
  EXPECT_EQ(parse_utc_iso("1970-01-01T00:00Z"), 0);
  EXPECT_EQ(parse_utc_iso("2027-01-15T18:30:00Z"), 1'800'037'800'000);
  EXPECT_EQ(parse_utc_iso("2027-01-15T18:30:05.250Z"), 1'800'037'805'250);
  EXPECT_FALSE(parse_utc_iso("2027-01-15 18:30"));  // No zone: not UTC.
  EXPECT_FALSE(parse_utc_iso("2027-13-15T18:30Z"));
  EXPECT_FALSE(parse_utc_iso("tomorrow"));
}

}  // namespace
}  // namespace attune::invite
