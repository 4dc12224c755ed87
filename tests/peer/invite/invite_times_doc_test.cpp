// proto/INVITE.md, "Field types and formats": the example time is what the
// headless printer writes for it (issue 15), in a fixed zone.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "doc_section.hpp"
#include "invite/invite_json.hpp"
#include "invite/letters.hpp"
#include "journal/local_time.hpp"
#include "remind/reminder_due.hpp"
#include "time_zone.hpp"

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

// README.md, "Your private journal" and the journal's formats: the typed
// --when, happened_utc and happened_local examples are one moment in the zone
// the README names.
TEST(JournalTimesDoc, TheExampleTimesAreOneMomentInTheNamedZone) {
  const std::string readme = contract::read_text(contract::source_dir() / "README.md");
  ASSERT_NE(readme.find("--when \"2026-11-28 19:30\"   # local time; stored in UTC (in TZ=Europe/Berlin: 18:30Z)"),
            std::string::npos);
  ASSERT_NE(readme.find("e.g. `2026-11-28T18:30:00Z`"), std::string::npos);
  ASSERT_NE(readme.find("e.g. `Sat 28 Nov, 19:30` (no year; these two examples are one moment in `TZ=Europe/Berlin`"),
            std::string::npos);
  const test::Zone berlin("Europe/Berlin");
  const auto typed = journal::parse_local_time("2026-11-28 19:30");
  ASSERT_TRUE(typed);
  EXPECT_EQ(journal::utc_iso(*typed), "2026-11-28T18:30:00Z");
  EXPECT_EQ(journal::local_date_time(*typed), "Sat 28 Nov, 19:30");
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
