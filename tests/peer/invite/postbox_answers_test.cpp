// The real Postbox, in process, against its paired partner's device played
// by hand over the in-process loopback network: a refusal for a letter that
// isn't waiting here (never written, or long delivered) is not news for
// anyone. It is dropped and counted, and no `letter_refused` reaches the
// person. A letter turned away gets the same refusal each time it comes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hand_partner.hpp"

namespace attune::invite {
namespace {

// Alex's postbox, and Sam's device played by hand: `mail` is sent once the
// link is secure; what comes back is kept in `replies_`.
class PostboxAnswers : public hand::HandPlayedPartner {
 protected:
  void send_from_sam(std::vector<v1::InviteMail> mail) {
    dial_from_sam(
        [this, mail] {
          for (const auto& m : mail) send(m);
        },
        [this](const v1::InviteMail& m) { replies_.push_back(m); });
  }

  std::vector<v1::InviteMail> replies_;
};

TEST_F(PostboxAnswers, ARefusalForALetterNotWaitingIsDroppedUnshown) {
  v1::InviteMail refusal;
  refusal.mutable_refusal()->set_letter_id("never-written");
  refusal.mutable_refusal()->set_message("No thanks.");
  send_from_sam({refusal});
  run_until([&] { return postbox_->unmatched_answers() != 0; });
  EXPECT_EQ(postbox_->unmatched_answers(), 1u);
  EXPECT_EQ(count("letter_refused"), 0);
  EXPECT_EQ(count("partner_reached"), 1);  // It was a real, sealed link.
}

// A letter turned away whose refusal was lost comes again: it was answered
// "ack", and Sam's device told Sam it was delivered. It gets the same
// refusal, and Alex's screen says so only once.
TEST_F(PostboxAnswers, ARefusedLetterSentAgainIsRefusedAgain) {
  v1::InviteMail letter;
  letter.mutable_letter()->set_letter_id("letter-empty");  // No body: a broken rule.
  send_from_sam({letter, letter});
  ASSERT_TRUE(run_until([&] { return replies_.size() >= 2; })) << "answered " << replies_.size() << " times";
  for (const auto& reply : replies_) {
    ASSERT_TRUE(reply.has_refusal()) << "answered ack for a letter it turned away";
    EXPECT_EQ(reply.refusal().letter_id(), "letter-empty");
    EXPECT_EQ(reply.refusal().message(), replies_[0].refusal().message());
  }
  EXPECT_EQ(count("invite_error"), 1);
  EXPECT_TRUE(store_->list().empty());
}

}  // namespace
}  // namespace attune::invite
