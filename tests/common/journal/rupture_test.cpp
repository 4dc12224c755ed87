// The journal's rules as a person meets them: noting a rupture, the words
// offered for what was underneath, marking it repaired, and the history.
#include "attune/journal/rupture.hpp"

#include <gtest/gtest.h>

namespace attune::journal {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;  // Some moment in 2027, UTC.
constexpr int64_t kHour = 60LL * 60 * 1000;

Draft draft(std::string what, int64_t ago_ms = kHour) {
  Draft d;
  d.happened_ms = kNow - ago_ms;
  d.what = std::move(what);
  return d;
}

Rupture accepted(const Draft& d) {
  auto result = accept_draft(d, kNow);
  EXPECT_TRUE(std::holds_alternative<Rupture>(result)) << std::get<Problem>(result).message;
  return std::holds_alternative<Rupture>(result) ? std::get<Rupture>(result) : Rupture{};
}

std::string problem_of(const std::variant<Rupture, Problem>& result) {
  return std::holds_alternative<Problem>(result) ? std::get<Problem>(result).message : "";
}

TEST(RuptureJournal, ANoteKeepsWhenItHappenedAndTheWords) {
  Draft d = draft("I snapped about the dishes\r\nand walked off", 3 * kHour);
  d.size = Size::Big;
  d.underneath = {"  Shame ", "to be heard", "afraid"};
  const Rupture r = accepted(d);
  EXPECT_EQ(r.happened_ms, kNow - 3 * kHour);
  EXPECT_EQ(r.noted_ms, kNow);
  EXPECT_EQ(r.size, Size::Big);
  EXPECT_EQ(r.what, "I snapped about the dishes\nand walked off");
  EXPECT_EQ(r.underneath, (std::vector<std::string>{"Shame", "to be heard", "afraid"}));
  EXPECT_TRUE(r.open());
}

TEST(RuptureJournal, EmptyOrInvisibleWordsAskForAFewWords) {
  for (const char* text : {"", "   ", "\xE2\x80\x8B\xC2\xA0"}) {
    const std::string why = problem_of(accept_draft(draft(text), kNow));
    EXPECT_NE(why.find("Write a few words"), std::string::npos) << "for '" << text << "': " << why;
  }
}

TEST(RuptureJournal, BrokenUtf8AndOverlongTextAreRefusedWithAReason) {
  EXPECT_NE(problem_of(accept_draft(draft("caf\xC3"), kNow)).find("couldn't be read"), std::string::npos);
  EXPECT_NE(problem_of(accept_draft(draft(std::string(kMaxWhatBytes + 1, 'a')), kNow)).find("long"),
            std::string::npos);
  EXPECT_EQ(problem_of(accept_draft(draft(std::string(kMaxWhatBytes, 'a')), kNow)), "");
}

TEST(RuptureJournal, ControlCharactersAreTakenOut) {
  const Rupture r = accepted(draft("we argued\x1b]0;pwned\x07 about money\xE2\x80\xAE"));
  EXPECT_EQ(r.what.find('\x1b'), std::string::npos);
  EXPECT_EQ(r.what.find("\xE2\x80\xAE"), std::string::npos);
  EXPECT_NE(r.what.find("about money"), std::string::npos);
}

TEST(RuptureJournal, TimesInTheFutureOrLongAgoAreQuestioned) {
  EXPECT_NE(problem_of(accept_draft(draft("later", -kHour), kNow)).find("still to come"), std::string::npos);
  EXPECT_EQ(problem_of(accept_draft(draft("a clock a minute fast", -60'000), kNow)), "");
  EXPECT_NE(problem_of(accept_draft(draft("ages ago", 20LL * 365 * 24 * kHour), kNow)).find("too far back"),
            std::string::npos);
}

TEST(RuptureJournal, UnderneathTakesOnlyWordsFromTheVocabulary) {
  Draft d = draft("cold remark");
  d.underneath = {"fear", "an unmet need", "lonely", "closeness"};
  EXPECT_EQ(accepted(d).underneath.size(), 4u);
  d.underneath = {"fear", "FEAR", ""};
  EXPECT_EQ(accepted(d).underneath, std::vector<std::string>{"fear"}) << "each word once, blanks dropped";
  d.underneath = {"because you never listen"};
  EXPECT_NE(problem_of(accept_draft(d, kNow)).find("isn't one of the words"), std::string::npos);
  d.underneath = {"fear", "shame", "lonely", "hurt", "tense", "tired", "stuck"};
  EXPECT_NE(problem_of(accept_draft(d, kNow)).find("up to 6"), std::string::npos);
}

TEST(RuptureJournal, MarkingRepairedByASessionOrByTalking) {
  const Rupture r = accepted(draft("the phone at dinner", 2 * 24 * kHour));
  auto by_session = mark_repaired(r, Repair{RepairWay::Session, " s-42 ", 0}, kNow);
  ASSERT_TRUE(std::holds_alternative<Rupture>(by_session)) << problem_of(by_session);
  const Rupture closed = std::get<Rupture>(by_session);
  EXPECT_FALSE(closed.open());
  EXPECT_EQ(closed.repair->session_id, "s-42");
  EXPECT_EQ(closed.repair->repaired_ms, kNow);
  EXPECT_EQ(time_to_repair(closed), 2 * 24 * kHour);
  EXPECT_EQ(duration_words(*time_to_repair(closed)), "2 days");

  auto talked = mark_repaired(r, Repair{RepairWay::TalkedThrough, "ignored", kNow - kHour}, kNow);
  ASSERT_TRUE(std::holds_alternative<Rupture>(talked));
  EXPECT_EQ(std::get<Rupture>(talked).repair->session_id, "");
  EXPECT_EQ(time_to_repair(std::get<Rupture>(talked)), 2 * 24 * kHour - kHour);

  EXPECT_NE(problem_of(mark_repaired(closed, Repair{}, kNow)).find("already"), std::string::npos);
  EXPECT_NE(problem_of(mark_repaired(r, Repair{RepairWay::Session, "  ", 0}, kNow)).find("Choose the session"),
            std::string::npos);
  EXPECT_EQ(time_to_repair(r), std::nullopt);
}

TEST(RuptureJournal, ARepairNeverComesBeforeTheRupture) {
  const Rupture r = accepted(draft("door slammed", kHour));
  auto early = mark_repaired(r, Repair{RepairWay::TalkedThrough, "", kNow - 5 * kHour}, kNow);
  ASSERT_TRUE(std::holds_alternative<Rupture>(early));
  EXPECT_EQ(time_to_repair(std::get<Rupture>(early)), 0);
}

TEST(RuptureJournal, HistoryShowsOpenOnesOldestFirstAndRepairedOnesNewestFirst) {
  std::vector<Rupture> all;
  for (int i = 0; i < 4; ++i) {
    Rupture r = accepted(draft("entry " + std::to_string(i), (i + 1) * kHour));
    r.id = i + 1;
    if (i % 2 == 1) r = std::get<Rupture>(mark_repaired(r, Repair{RepairWay::TalkedThrough, "", kNow - i * 600'000}, kNow));
    all.push_back(r);
  }
  const History h = history_of(all);
  ASSERT_EQ(h.open.size(), 2u);
  EXPECT_EQ(h.open[0].id, 3) << "the one waiting longest first";
  EXPECT_EQ(h.open[1].id, 1);
  ASSERT_EQ(h.repaired.size(), 2u);
  EXPECT_EQ(h.repaired[0].id, 2) << "the latest repair first";
  EXPECT_EQ(h.repaired[1].id, 4);
}

TEST(RuptureJournal, DurationsReadPlainly) {
  EXPECT_EQ(duration_words(10 * 60'000), "under an hour");
  EXPECT_EQ(duration_words(kHour), "1 hour");
  EXPECT_EQ(duration_words(5 * kHour), "5 hours");
  EXPECT_EQ(duration_words(24 * kHour), "1 day");
  EXPECT_EQ(duration_words(21 * 24 * kHour), "3 weeks");
  EXPECT_EQ(duration_words(90 * 24 * kHour), "3 months");
}

TEST(RuptureJournal, SizesReadBothWays) {
  EXPECT_EQ(parse_size("Big"), Size::Big);
  EXPECT_EQ(parse_size("small"), Size::Small);
  EXPECT_EQ(parse_size("huge"), std::nullopt);
  EXPECT_EQ(size_name(Size::Big), "big");
}

}  // namespace
}  // namespace attune::journal
