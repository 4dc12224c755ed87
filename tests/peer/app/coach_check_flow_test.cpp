// The coach's check number (issue 15), through the product's own nodes: a
// partner who joined shares a rating with the coach only after saying the
// number on their screen matches the one on the coach's, a coach matched in
// an earlier session is recognised, and a different key named for that
// coach is refused in words.
#include <gtest/gtest.h>

#include "app/view_model.hpp"
#include "attune/crypto/check_number.hpp"
#include "attune/intents.hpp"
#include "identity/coach_pins.hpp"
#include "identity/device_key_store.hpp"
#include "identity/system_random.hpp"
#include "local_flow.hpp"

namespace attune::app {
namespace {

using test::LocalFlow;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// How many of the coach's received ratings came from `who`.
std::size_t ratings_from(const LocalFlow& f, v1::Role who) {
  std::size_t n = 0;
  for (const auto& [role, level] : f.robin->snapshot()->coach_levels) n += role == who ? 1 : 0;
  return n;
}

crypto::PublicKey robin_key_in(const std::filesystem::path& sam_dir) {
  auto robin = identity::load_or_create_device_key(sam_dir.parent_path() / "dev-robin", identity::system_random(),
                                                   "dev-robin");
  EXPECT_TRUE(robin.identity) << robin.error;
  return robin.identity ? robin.identity->public_key() : crypto::PublicKey{};
}

TEST(CoachCheck, SamsNumbersReachTheCoachOnlyAfterHeSaysTheCheckNumbersMatch) {
  LocalFlow f;
  ASSERT_EQ(f.admit_everyone(), "");
  ASSERT_EQ(f.both_share_with_coach(), "");
  // Sam's opt-in shows the coach's number as the host named it; Robin's own
  // screen shows the same number as "your check number".
  const auto rows = coach_check_rows(*f.sam->snapshot());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].heading, "Robin's check number");
  EXPECT_EQ(rows[0].number, f.robin->snapshot()->my_check_number);
  EXPECT_EQ(my_check_number_line(*f.robin->snapshot()), "Your check number: " + rows[0].number);
  EXPECT_TRUE(rows[0].ask);
  EXPECT_TRUE(has(rows[0].words, "compare it with this one"));
  EXPECT_TRUE(my_check_number_line(*f.sam->snapshot()).empty());  // A partner has no number to read out.
  EXPECT_TRUE(coach_check_rows(*f.alex->snapshot()).empty());     // The host proved Robin's key itself.

  // "They don't match": nothing of Sam's goes to that key.
  f.sam->compare_coach(rows[0].coach_id, rows[0].number, false);
  const auto declined = coach_check_rows(*f.sam->snapshot());
  ASSERT_EQ(declined.size(), 1u);
  EXPECT_TRUE(has(declined[0].words, "nothing of yours was sent"));
  EXPECT_TRUE(declined[0].ask);  // They can compare again.
  ASSERT_EQ(f.start_and_confirm(), "");
  ASSERT_EQ(f.both_check_in(4, 5), "");  // Above the line: a pause, then the check-in again.
  EXPECT_EQ(ratings_from(f, v1::ROLE_PARTNER_A), 1u);
  EXPECT_EQ(ratings_from(f, v1::ROLE_PARTNER_B), 0u) << "Sam's rating went to a coach key he never matched";

  // "They match": from now on Sam's ratings reach Robin.
  f.sam->compare_coach(rows[0].coach_id, rows[0].number, true);
  EXPECT_TRUE(coach_check_rows(*f.sam->snapshot())[0].matched);
  ASSERT_EQ(f.finish_pause(), "");
  ASSERT_EQ(f.both_check_in(2, 3), "");
  EXPECT_EQ(ratings_from(f, v1::ROLE_PARTNER_B), 1u);
  // Taking the opt-in back still stops them.
  ASSERT_EQ(f.send(*f.sam, intents::share_with_coach(false)), "");
  EXPECT_FALSE(f.sam->snapshot()->coach_checks.empty());
}

// Sam matched Robin's key in an earlier session (kept in his coach pins):
// this time there is nothing to compare, and his ratings go to Robin.
TEST(CoachCheck, ACoachMatchedInAnEarlierSessionIsRecognisedWithNoNewComparison) {
  LocalFlow f(true, [](const std::string& id, const std::filesystem::path& dir) {
    if (id != "dev-sam") return;
    EXPECT_FALSE(identity::CoachPins(dir).pin("dev-robin", robin_key_in(dir), 1));
  });
  ASSERT_EQ(f.admit_everyone(), "");
  ASSERT_EQ(f.both_share_with_coach(), "");
  const auto rows = coach_check_rows(*f.sam->snapshot());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].matched);
  EXPECT_FALSE(rows[0].ask);
  ASSERT_EQ(f.start_and_confirm(), "");
  ASSERT_EQ(f.both_check_in(2, 3), "");
  EXPECT_EQ(ratings_from(f, v1::ROLE_PARTNER_B), 1u);
}

// The host names a key for Robin's device that is not the one Sam matched
// before: Sam's device says so in words and seals nothing to it.
TEST(CoachCheck, AKeyForTheCoachOtherThanTheOneMatchedBeforeIsRefusedInWords) {
  crypto::PublicKey earlier{};
  LocalFlow f(true, [&earlier](const std::string& id, const std::filesystem::path& dir) {
    if (id != "dev-sam") return;
    crypto::Seed seed;
    identity::system_random()(std::span<std::uint8_t>(seed.data(), seed.size()));
    earlier = crypto::DeviceIdentity("dev-robin", seed).public_key();
    EXPECT_FALSE(identity::CoachPins(dir).pin("dev-robin", earlier, 1));
  });
  ASSERT_EQ(f.admit_everyone(), "");
  ASSERT_EQ(f.both_share_with_coach(), "");
  const auto rows = coach_check_rows(*f.sam->snapshot());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].matched);
  EXPECT_TRUE(has(rows[0].words, "isn't the number you compared with Robin before (" +
                                     crypto::check_number(earlier) + ")"))
      << rows[0].words;
  ASSERT_EQ(f.start_and_confirm(), "");
  ASSERT_EQ(f.both_check_in(2, 3), "");
  EXPECT_EQ(ratings_from(f, v1::ROLE_PARTNER_A), 1u);
  EXPECT_EQ(ratings_from(f, v1::ROLE_PARTNER_B), 0u) << "Sam sealed to a key other than the one he matched";
}

}  // namespace
}  // namespace attune::app
