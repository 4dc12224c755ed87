// proto/INVITE.md section 4, "Which rule answers first" (reader 12, L6): the
// order in which a receiver judges a PartnerInvitation. Each rule of the
// partner-invitation-order table is broken alone, then together with every
// later rule it can be broken with, through the real `arrived`; the
// refusal's sentence must be the first broken rule's.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "doc_section.hpp"
#include "invite/letters.hpp"

namespace attune::invite {
namespace {

const std::string kPartner = "dev-sam";

struct Arrival {
  v1::InviteLetter letter;
  std::optional<Invitation> held;
};

Arrival good() {
  Arrival a;
  a.letter.set_letter_id("letter-1");
  auto* w = a.letter.mutable_invitation();
  w->set_invitation_id("inv-1");
  w->set_day("Tuesday");
  w->add_offers_utc_ms(1'800'000'000'000);
  w->set_words("Can we talk about Sunday?");
  w->set_created_utc_ms(1'799'000'000'000);
  w->set_sender_name("Sam");
  return a;
}

Invitation held_with(const std::string& device) {
  Invitation inv;
  inv.id = "inv-1";
  inv.partner_device_id = device;
  inv.day = "Monday";
  inv.offers_now = true;
  return inv;
}

// Rule number (as the table numbers them) -> how to break it.
using Break = std::function<void(Arrival&)>;
std::vector<Break> breaks() {
  auto w = [](Arrival& a) { return a.letter.mutable_invitation(); };
  return {
      [](Arrival& a) { a.held = held_with("dev-someone-else"); },
      [](Arrival& a) { a.held = held_with(kPartner); },
      [w](Arrival& a) {
        for (int i = 1; i <= 4; ++i) w(a)->add_offers_utc_ms(1'800'000'000'000 + i * 60'000);
      },
      [w](Arrival& a) { w(a)->set_invitation_id(std::string(65, 'x')); },
      [w](Arrival& a) { w(a)->set_day(" \t\u200b "); },
      [w](Arrival& a) { w(a)->set_day(std::string(65, 'd')); },
      [w](Arrival& a) { w(a)->set_words(std::string(1001, 'w')); },
      [w](Arrival& a) {
        w(a)->clear_offers_utc_ms();
        w(a)->set_offers_now(false);
      },
  };
}

// Breaking rule 3 adds offers, which mends rule 8; rules 5 and 6 both set
// the day; 1 and 2 both set what is held.
bool can_break_together(std::size_t i, std::size_t j) {
  return !(i == 0 && j == 1) && !(i == 4 && j == 5) && !(i == 2 && j == 7);
}

std::string refusal(const Arrival& a) {
  const auto result = arrived(a.letter, a.held, kPartner);
  if (const auto* problem = std::get_if<Problem>(&result)) return problem->message;
  return "(kept)";
}

TEST(PartnerInvitationOrderDoc, TheFirstBrokenRuleAnswers) {
  std::string problem;
  const auto rows = contract::contract_table(contract::source_dir() / "proto" / "INVITE.md",
                                             "partner-invitation-order", 3, 8, &problem);
  ASSERT_TRUE(rows) << problem;
  const auto ways = breaks();
  ASSERT_EQ(rows->size(), ways.size()) << "one row per rule this test knows how to break";
  EXPECT_EQ(refusal(good()), "(kept)") << "the good invitation itself is refused";
  for (std::size_t i = 0; i < ways.size(); ++i) {
    EXPECT_EQ((*rows)[i][0], std::to_string(i + 1));
    Arrival alone = good();
    ways[i](alone);
    EXPECT_EQ(refusal(alone), (*rows)[i][2]) << "rule " << i + 1 << " alone";
    for (std::size_t j = i + 1; j < ways.size(); ++j) {
      if (!can_break_together(i, j)) continue;
      Arrival both = good();
      ways[j](both);
      ways[i](both);
      EXPECT_EQ(refusal(both), (*rows)[i][2]) << "rules " << i + 1 << " and " << j + 1;
    }
  }
}

}  // namespace
}  // namespace attune::invite
