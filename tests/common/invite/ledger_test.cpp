// Exactly-once bookkeeping on a fake clock: a letter waits until its ack,
// goes again on each new link and after a silence, and a second copy of a
// letter already kept is only acknowledged.
#include "attune/invite/ledger.hpp"

#include <gtest/gtest.h>

namespace attune::invite {
namespace {

constexpr int64_t kStart = 1'800'000'000'000;

TEST(InviteLedger, ALetterWaitsUntilItsAckAndGoesAgainOnEveryNewLink) {
  Ledger sender;
  ASSERT_TRUE(sender.add_waiting("L1"));
  EXPECT_EQ(sender.due(kStart, /*new_link=*/true), std::vector<std::string>{"L1"});
  EXPECT_TRUE(sender.due(kStart + 10, false).empty());  // Just sent on this link.
  EXPECT_EQ(sender.due(kStart + 20, /*new_link=*/true), std::vector<std::string>{"L1"});  // Reconnected.
  EXPECT_EQ(sender.due(kStart + 20 + kResendAfterMs, false), std::vector<std::string>{"L1"});  // Silence.
  EXPECT_TRUE(sender.acknowledged("L1"));
  EXPECT_FALSE(sender.acknowledged("L1"));  // A second ack changes nothing.
  EXPECT_TRUE(sender.due(kStart + 60'000, true).empty());
}

TEST(InviteLedger, ASecondCopyIsOnlyAcknowledged) {
  Ledger receiver;
  EXPECT_EQ(receiver.arrival("L1"), Arrival::Fresh);
  receiver.kept("L1");
  EXPECT_EQ(receiver.arrival("L1"), Arrival::AlreadyHad);
  // After a restart, the store's ids say the same.
  Ledger restarted;
  restarted.load({}, {"L1"});
  EXPECT_EQ(restarted.arrival("L1"), Arrival::AlreadyHad);
  EXPECT_EQ(restarted.arrival("L2"), Arrival::Fresh);
}

TEST(InviteLedger, AfterARestartEverythingWaitingGoesAgain) {
  Ledger sender;
  sender.load({"L1", "L2"}, {});
  EXPECT_EQ(sender.due(kStart, false).size(), 2u);
  EXPECT_EQ(sender.waiting(), 2u);
}

TEST(InviteLedger, HoldsABoundedNumberOfLetters) {
  Ledger sender;
  for (std::size_t i = 0; i < kMaxWaitingLetters; ++i) ASSERT_TRUE(sender.add_waiting("L" + std::to_string(i)));
  EXPECT_FALSE(sender.add_waiting("one too many"));
  EXPECT_TRUE(sender.add_waiting("L0"));  // Already waiting: not a new one.
}

TEST(InviteLedger, RedialsSoonThenCalmly) {
  EXPECT_EQ(redial_delay_ms(0), kFirstRedialMs);
  EXPECT_EQ(redial_delay_ms(1), 2 * kFirstRedialMs);
  EXPECT_EQ(redial_delay_ms(50), kLastRedialMs);
}

}  // namespace
}  // namespace attune::invite
