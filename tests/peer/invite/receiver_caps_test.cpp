// proto/INVITE.md section 3, "What a receiver stores from its partner, and
// how much" (issue 15, L7): the real Postbox, in process, against its paired
// partner's device played by hand over the in-process loopback network. A
// partner's device can't make the receiver store without bound: past 50
// unanswered invitations a new one is refused in words its sender sees, and
// the ids of judged letters are kept to the newest 10 000.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "doc_section.hpp"
#include "hand_partner.hpp"
#include "invite/letters.hpp"
#include "wall_clock.hpp"

namespace attune::invite {
namespace {

// A letter from Sam's device carrying a new invitation.
v1::InviteMail invitation_mail(const std::string& letter_id) {
  Draft draft;
  draft.day = "Tuesday";
  draft.offers_utc_ms = {wall_ms() + 3'600'000};
  Invitation inv = std::get<Invitation>(accept_draft(draft, wall_ms()));
  inv.id = random_id();
  v1::InviteMail mail;
  *mail.mutable_letter() = invitation_letter(inv, letter_id, "Sam");
  return mail;
}

// Alex's postbox, and Sam's device played by hand on one pinned-key link.
class ReceiverCaps : public hand::HandPlayedPartner {
 protected:
  bool connect_sam() {
    dial_from_sam([this] { secure_ = true; },
                  [this](const v1::InviteMail& m) {
                    if (!m.has_letter()) replies_.push_back(m);  // Acks and refusals.
                  });
    return run_until([&] { return secure_; });
  }
  long errors_saying(const std::string& words) const {
    return std::count_if(events_.begin(), events_.end(), [&](const nlohmann::json& j) {
      return j.value("event", "") == "invite_error" && j.value("message", "") == words;
    });
  }

  bool secure_ = false;
  std::vector<v1::InviteMail> replies_;  // Acks and refusals, in order.
};

TEST_F(ReceiverCaps, TheDocumentsCapsAreTheCodes) {
  std::string problem;
  const auto rows = contract::contract_table(contract::source_dir() / "proto" / "INVITE.md", "receiver-caps",
                                             4, 4, &problem);
  ASSERT_TRUE(rows) << problem;
  EXPECT_EQ(contract::unquoted((*rows)[0][2]), std::to_string(kMaxUnansweredReceived) + " per partner");
  EXPECT_EQ(contract::unquoted((*rows)[3][2]), std::to_string(kMaxTakenLetters));
  const auto words = room_for_received(kMaxUnansweredReceived);
  ASSERT_TRUE(words);
  EXPECT_NE((*rows)[0][3].find("(\"" + words->message + "\")"), std::string::npos) << words->message;
  EXPECT_FALSE(room_for_received(kMaxUnansweredReceived - 1));
  EXPECT_EQ(kMaxUnansweredReceived, 50u);
  EXPECT_EQ(kMaxTakenLetters, 10000u);
}

TEST_F(ReceiverCaps, TheFiftyFirstUnansweredInvitationIsRefusedInWordsTheSenderSees) {
  ASSERT_TRUE(connect_sam());
  const int cap = static_cast<int>(kMaxUnansweredReceived);
  for (int i = 1; i <= cap + 1; ++i) send(invitation_mail("letter-" + std::to_string(i)));
  ASSERT_TRUE(
      run_until([&] { return replies_.size() >= kMaxUnansweredReceived + 1; }, std::chrono::seconds(20)))
      << "answered " << replies_.size();
  for (int i = 0; i < cap; ++i) EXPECT_TRUE(replies_[i].has_ack()) << "letter " << i + 1 << " wasn't kept";
  const auto& refused = replies_[cap];
  ASSERT_TRUE(refused.has_refusal()) << "the 51st invitation was kept past the cap";
  EXPECT_EQ(refused.refusal().letter_id(), "letter-51");
  const std::string words = room_for_received(kMaxUnansweredReceived)->message;
  EXPECT_EQ(refused.refusal().message(), words);
  EXPECT_EQ(errors_saying(words), 1) << "the receiver's person wasn't told";
  EXPECT_EQ(store_->unanswered_received("dev-sam"), kMaxUnansweredReceived);
  EXPECT_EQ(store_->list().size(), kMaxUnansweredReceived);

  // Alex answers one ("not yet"): there is room for one new invitation again.
  Invitation first = store_->list().back();
  Answer not_yet;
  not_yet.kind = AnswerKind::NotYet;
  ASSERT_FALSE(answer_problem(first, not_yet, Side::Received));
  store_->keep_with_letter(apply_answer(first, not_yet), {"answer-1", "dev-nobody", "bytes"});
  send(invitation_mail("letter-51"));  // The refused letter again: its refusal again.
  send(invitation_mail("letter-52"));  // A new letter: kept.
  ASSERT_TRUE(run_until([&] { return replies_.size() >= kMaxUnansweredReceived + 3; }));
  ASSERT_TRUE(replies_[cap + 1].has_refusal());
  EXPECT_EQ(replies_[cap + 1].refusal().message(), words);
  EXPECT_TRUE(replies_[cap + 2].has_ack()) << "no room came back after an answer";
  EXPECT_EQ(store_->unanswered_received("dev-sam"), kMaxUnansweredReceived);
  EXPECT_EQ(errors_saying(words), 1) << "a resent refused letter was said twice";
}

TEST(ReceiverCapsStore, TheOldestTakenIdsAreForgottenPastTheCap) {
  attune::test::TempDir dir;
  std::string error;
  auto store = InviteStore::open(dir.path(), &error);
  ASSERT_TRUE(store) << error;
  store->limit_taken(5);
  const auto refuse = [](const std::optional<Invitation>&) { return InviteStore::Judgement::refused("No."); };
  for (int i = 1; i <= 8; ++i)
    ASSERT_EQ(store->take_in("l-" + std::to_string(i), "inv", refuse).arrival, Arrival::Fresh);
  EXPECT_EQ(store->taken_ids(), (std::vector<std::string>{"l-4", "l-5", "l-6", "l-7", "l-8"}));
  const auto again = store->take_in("l-8", "inv", refuse);
  EXPECT_EQ(again.arrival, Arrival::AlreadyHad);
  EXPECT_EQ(again.refusal, "No.");
  EXPECT_EQ(store->take_in("l-4", "inv", refuse).arrival, Arrival::AlreadyHad);
  // The oldest was forgotten: it would be judged as new.
  EXPECT_EQ(store->take_in("l-1", "inv", refuse).arrival, Arrival::Fresh);
  EXPECT_EQ(store->taken_ids().size(), 5u);
}

}  // namespace
}  // namespace attune::invite
