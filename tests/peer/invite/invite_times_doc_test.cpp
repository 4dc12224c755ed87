// proto/INVITE.md, "Field types and formats": the example time is what the
// headless printer writes for it (issue 15), in a fixed zone.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "doc_section.hpp"
#include "invite/invite_json.hpp"
#include "invite/letters.hpp"
#include "remind/reminder_due.hpp"

namespace attune::invite {
namespace {

TEST(InviteTimesDoc, TheExampleTimeIsWhatTheHeadlessOutputPrints) {
  const auto doc = contract::read_contract(contract::source_dir() / "proto" / "INVITE.md", "invite-times");
  ASSERT_TRUE(doc) << "proto/INVITE.md lost its invite-times table";
  const auto rows = contract::markdown_rows(*doc);
  ASSERT_EQ(rows.size(), 1u);
  const auto& row = rows[0];
  ASSERT_EQ(row.size(), 4u);
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  const int64_t utc_ms = std::stoll(row[0]);
  const auto j = time_json(utc_ms);
  EXPECT_EQ(j.at("utc_ms").get<int64_t>(), utc_ms);
  EXPECT_EQ(j.at("utc").get<std::string>(), row[1]);
  EXPECT_EQ(j.at("local").get<std::string>(), row[2]);
  EXPECT_EQ(remind::local_moment(utc_ms, utc_ms + 60'000), row[3]) << "the same day shows the time only";
  EXPECT_EQ(remind::local_moment(utc_ms, utc_ms + 3 * 86'400'000LL), row[2]) << "another day shows the date";
  if (old) ::setenv("TZ", saved.c_str(), 1);
  else ::unsetenv("TZ");
  ::tzset();
}

// INVITE.md section 4: at most 4 offers as sent, counted before duplicates
// are removed; the sender's own list is already sorted and unique.
TEST(InviteLettersDoc, MoreThanFourOffersAsSentAreRefusedEvenWhenSomeAreEqual) {
  v1::InviteLetter letter;
  letter.set_letter_id("letter-1");
  auto* w = letter.mutable_invitation();
  w->set_invitation_id("inv-1");
  w->set_day("Tuesday");
  for (const int64_t at : {5, 5, 6, 7}) w->add_offers_utc_ms(at);
  const auto four = arrived(letter, std::nullopt, "partner");
  ASSERT_TRUE(std::holds_alternative<Invitation>(four));
  EXPECT_EQ(std::get<Invitation>(four).offers_utc_ms, (std::vector<int64_t>{5, 6, 7}));
  w->add_offers_utc_ms(5);
  EXPECT_TRUE(std::holds_alternative<Problem>(arrived(letter, std::nullopt, "partner")))
      << "five as sent, even if only three differ";
}

}  // namespace
}  // namespace attune::invite
