// proto/INVITE.md, "Field types and formats": the example time is what the
// headless printer writes for it (issue 15), in a fixed zone.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "doc_section.hpp"
#include "invite/invite_json.hpp"
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

}  // namespace
}  // namespace attune::invite
