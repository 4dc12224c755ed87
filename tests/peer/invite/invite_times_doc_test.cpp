// proto/INVITE.md, "Field types and formats": the example time is what the
// headless printer writes for it (issue 15), in a fixed zone.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "doc_section.hpp"
#include "invite/invite_json.hpp"
#include "invite/invite_store.hpp"
#include "invite/letters.hpp"
#include "journal/local_time.hpp"
#include "peer_process.hpp"
#include "remind/reminder_due.hpp"
#include "remind/reminder_store.hpp"
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
  if (old)
    ::setenv("TZ", saved.c_str(), 1);
  else
    ::unsetenv("TZ");
  ::tzset();
}

// README.md, "Your private journal" and the journal's formats: the typed
// --when, happened_utc and happened_local examples are one moment in the zone
// the README names.
TEST(JournalTimesDoc, TheExampleTimesAreOneMomentInTheNamedZone) {
  const std::string readme = contract::read_text(contract::source_dir() / "README.md");
  ASSERT_NE(
      readme.find("--when \"2026-11-28 19:30\"   # local time; stored in UTC (in TZ=Europe/Berlin: 18:30Z)"),
      std::string::npos);
  ASSERT_NE(readme.find("e.g. `2026-11-28T18:30:00Z`"), std::string::npos);
  ASSERT_NE(readme.find(
                "e.g. `Sat 28 Nov, 19:30` (no year; these two examples are one moment in `TZ=Europe/Berlin`"),
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

// INVITE.md section 5 and README.md's local-events table (reader 9, L8 and
// L9): `invite list` is newest first, ties by id in ascending byte order;
// `reminder list` is earliest first, ties the same way.
TEST(ListOrderDoc, InvitationsAndRemindersComeInTheOrderTheDocumentsSay) {
  const std::string invite_md = contract::read_text(contract::source_dir() / "proto" / "INVITE.md");
  ASSERT_NE(invite_md.find("ties by\n`id` in **ascending** byte order (the smaller id first)"),
            std::string::npos);
  const std::string readme = contract::read_text(contract::source_dir() / "README.md");
  ASSERT_NE(
      readme.find("answer to `reminder list`, the earliest `at_utc_ms` first (ties: `id` in ascending byte "
                  "order)"),
      std::string::npos);
  test::TempDir dir;
  std::string error;
  auto invitations = InviteStore::open(dir.path(), &error);
  ASSERT_TRUE(invitations) << error;
  // Byte order, not letters: "B" (0x42) comes before "a" (0x61).
  for (const auto& [id, created] :
       std::vector<std::pair<std::string, int64_t>>{{"b", 5}, {"z", 9}, {"a", 5}, {"B", 5}}) {
    Invitation inv;
    inv.id = id;
    inv.partner_device_id = "partner";
    inv.day = "Tuesday";
    inv.offers_utc_ms = {100};
    inv.created_utc_ms = inv.updated_utc_ms = created;
    invitations->keep_with_letter(inv, {"letter-" + id, "partner", "bytes"});
  }
  std::vector<std::string> order;
  for (const auto& inv : invitations->list()) order.push_back(inv.id);
  EXPECT_EQ(order, (std::vector<std::string>{"z", "B", "a", "b"}));
  auto reminders = remind::ReminderStore::open(remind::reminder_file(dir.path()), &error);
  ASSERT_TRUE(reminders) << error;
  for (const auto& [id, at] :
       std::vector<std::pair<std::string, int64_t>>{{"b", 5}, {"z", 1}, {"a", 5}, {"B", 5}})
    ASSERT_EQ(reminders->add({id, "partner", "Sam", at}), std::nullopt) << id;
  order.clear();
  for (const auto& r : reminders->list()) order.push_back(r.appointment.id);
  EXPECT_EQ(order, (std::vector<std::string>{"z", "B", "a", "b"}));
}

}  // namespace
}  // namespace attune::invite
