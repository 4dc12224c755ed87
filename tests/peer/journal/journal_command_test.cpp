// `attune --headless journal ...` as a script would use it: one JSON line
// per answer, clear errors that change nothing, and the follow-up once, on
// an injected clock.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/journal_command.hpp"
#include "peer_process.hpp"
#include "store/store.hpp"

namespace attune::cli {
namespace {

using Json = nlohmann::json;
constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

struct Ran {
  int code = -1;
  std::vector<Json> events;
  std::string text;  // stdout, for the sentences mode.
  std::string err;
};

Ran run(const std::filesystem::path& dir, std::vector<std::string> args, bool json = true) {
  CLI::App app;
  JournalCli v;
  define_journal_cli(app, v);
  args.insert(args.begin(), "journal");
  std::vector<const char*> argv{"attune"};
  for (const auto& a : args) argv.push_back(a.c_str());
  Ran ran;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    ran.err = e.what();
    return ran;
  }
  std::ostringstream out, err;
  ran.code = run_journal(dir, v, json, out, err);
  ran.text = out.str();
  ran.err = err.str();
  std::istringstream lines(ran.text);
  for (std::string line; json && std::getline(lines, line);) ran.events.push_back(Json::parse(line));
  return ran;
}

std::string at(int64_t ms) { return std::to_string(ms); }

// This device took part in `session_id`: it checked in during it, as a
// partner does at step 2 (the session store keeps that for every session).
void took_part_in(const std::filesystem::path& dir, const std::string& session_id) {
  store::Store sessions(dir);
  sessions.add_check_in({session_id, 2, kNow, v1::STEP_GAUGE});
}

std::size_t count(const Ran& r, const std::string& event) {
  std::size_t n = 0;
  for (const auto& e : r.events) n += e.value("event", "") == event;
  return n;
}

TEST(JournalCommand, AddThenListShowsTheEntryOpen) {
  test::TempDir dir;
  const Ran added = run(dir.path(), {"add", "--what", "I rolled my eyes at the plan", "--size", "big", "--under",
                                     "shame", "--under", "respect", "--now-ms", at(kNow)});
  ASSERT_EQ(added.code, 0) << added.text << added.err;
  ASSERT_EQ(count(added, "journal_noted"), 1u) << added.text;
  const Json entry = added.events[0]["entry"];
  EXPECT_EQ(entry["what"], "I rolled my eyes at the plan");
  EXPECT_EQ(entry["size"], "big");
  EXPECT_EQ(entry["underneath"], Json({"shame", "respect"}));
  EXPECT_EQ(entry["happened_utc"], "2027-01-15T08:00:00Z");

  const Ran listed = run(dir.path(), {"list", "--now-ms", at(kNow + 3600'000)});
  ASSERT_EQ(count(listed, "journal"), 1u) << listed.text;
  EXPECT_EQ(listed.events[0]["open"].size(), 1u);
  EXPECT_EQ(listed.events[0]["repaired"].size(), 0u);
}

TEST(JournalCommand, RepairedShowsHowLongItTook) {
  test::TempDir dir;
  run(dir.path(), {"add", "--what", "silent dinner", "--now-ms", at(kNow)});
  const Ran marked = run(dir.path(), {"repaired", "1", "--talked-through", "--now-ms", at(kNow + kDay + 1000)});
  ASSERT_EQ(marked.code, 0) << marked.text;
  EXPECT_EQ(marked.events[0]["entry"]["repaired"]["took"], "1 day");
  const Ran listed = run(dir.path(), {"list", "--now-ms", at(kNow + 2 * kDay)});
  ASSERT_EQ(listed.events[0]["repaired"].size(), 1u);
  EXPECT_EQ(listed.events[0]["repaired"][0]["repaired"]["way"], "talked_through");
  // README.md: with no session, session_id is there and "" (never null, never left out).
  EXPECT_EQ(marked.events[0]["entry"]["repaired"].at("session_id"), "");
  EXPECT_EQ(listed.events[0]["repaired"][0]["repaired"].at("session_id"), "");
  run(dir.path(), {"add", "--what", "again", "--now-ms", at(kNow)});
  took_part_in(dir.path(), "s-123");
  const Ran by_session = run(dir.path(), {"repaired", "2", "--session", "s-123", "--now-ms", at(kNow + 7200'000)});
  EXPECT_EQ(by_session.events[0]["entry"]["repaired"]["session_id"], "s-123");
  EXPECT_EQ(by_session.events[0]["entry"]["repaired"]["took"], "2 hours");
}

TEST(JournalCommand, MistakesGetAClearErrorAndChangeNothing) {
  test::TempDir dir;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"add", "--what", "x", "--size", "medium"},
           {"add", "--what", "x", "--when", "last week"},
           {"add", "--what", "   "},
           {"add", "--what", "x", "--under", "you are selfish"},
           {"repaired", "1", "--talked-through"},
           {"repaired", "1"},
           {"follow-up", "--gap-days", "0.01"},
       }) {
    std::vector<std::string> with_clock = args;
    with_clock.insert(with_clock.end(), {"--now-ms", at(kNow)});
    const Ran r = run(dir.path(), with_clock);
    EXPECT_NE(r.code, 0) << args[0];
    ASSERT_EQ(count(r, "journal_error"), 1u) << r.text;
    EXPECT_FALSE(r.events[0]["message"].get<std::string>().empty());
  }
  const Ran listed = run(dir.path(), {"list", "--now-ms", at(kNow)});
  EXPECT_TRUE(listed.events[0]["open"].empty());
  EXPECT_EQ(run(dir.path(), {"follow-up", "--now-ms", at(kNow)}).events[0]["gap_days"], 2.0);
}

TEST(JournalCommand, TheFollowUpComesOnceOnTheInjectedClock) {
  test::TempDir dir;
  run(dir.path(), {"add", "--what", "the cold goodbye", "--now-ms", at(kNow)});
  EXPECT_EQ(count(run(dir.path(), {"list", "--now-ms", at(kNow + kDay)}), "journal_follow_up"), 0u);
  const Ran due = run(dir.path(), {"list", "--now-ms", at(kNow + 2 * kDay + 1)});
  ASSERT_EQ(count(due, "journal_follow_up"), 1u) << due.text;
  const std::string message = due.events.back()["message"];
  EXPECT_NE(message.find("2 days"), std::string::npos) << message;
  EXPECT_EQ(count(run(dir.path(), {"list", "--now-ms", at(kNow + 5 * kDay)}), "journal_follow_up"), 0u)
      << "never repeated";
  const Ran dismissed = run(dir.path(), {"dismiss", "1", "--now-ms", at(kNow + 5 * kDay)});
  EXPECT_EQ(count(dismissed, "journal_follow_up_dismissed"), 1u);
}

TEST(JournalCommand, FollowUpsCanBeTurnedOffAndTheGapChosen) {
  test::TempDir dir;
  const Ran off = run(dir.path(), {"follow-up", "--off", "--now-ms", at(kNow)});
  EXPECT_EQ(off.events[0]["enabled"], false);
  run(dir.path(), {"add", "--what", "a missed call", "--now-ms", at(kNow)});
  EXPECT_EQ(count(run(dir.path(), {"list", "--now-ms", at(kNow + 9 * kDay)}), "journal_follow_up"), 0u);
  const Ran on = run(dir.path(), {"follow-up", "--on", "--gap-days", "10", "--now-ms", at(kNow)});
  EXPECT_EQ(on.events[0]["gap_days"], 10.0);
  EXPECT_EQ(count(run(dir.path(), {"list", "--now-ms", at(kNow + 9 * kDay)}), "journal_follow_up"), 0u);
  EXPECT_EQ(count(run(dir.path(), {"list", "--now-ms", at(kNow + 10 * kDay)}), "journal_follow_up"), 1u);
}

TEST(JournalCommand, WithoutHeadlessItSpeaksInSentences) {
  test::TempDir dir;
  const Ran added = run(dir.path(), {"add", "--what", "snapped at you", "--now-ms", at(kNow)}, /*json=*/false);
  EXPECT_NE(added.text.find("Noted, just for you"), std::string::npos) << added.text;
  const Ran listed = run(dir.path(), {"list", "--now-ms", at(kNow + 3 * kDay)}, false);
  EXPECT_NE(listed.text.find("Still open (1)"), std::string::npos) << listed.text;
  EXPECT_NE(listed.text.find("open for 3 days"), std::string::npos) << listed.text;
  EXPECT_NE(listed.text.find("It's been 3 days"), std::string::npos) << "the follow-up, in words";
  const Ran bad = run(dir.path(), {"add", "--what", "", "--now-ms", at(kNow)}, false);
  EXPECT_NE(bad.err.find("Write a few words"), std::string::npos) << bad.err;
}

TEST(JournalCommand, ASessionThisDeviceNeverHadIsRefusedWithWhatToDo) {
  test::TempDir dir;
  run(dir.path(), {"add", "--what", "the long drive home", "--now-ms", at(kNow)});
  const Ran unknown = run(dir.path(), {"repaired", "1", "--session", "s-nowhere", "--now-ms", at(kNow + 1000)});
  EXPECT_NE(unknown.code, 0);
  ASSERT_EQ(count(unknown, "journal_error"), 1u) << unknown.text;
  const std::string message = unknown.events[0]["message"];
  EXPECT_NE(message.find("no session s-nowhere"), std::string::npos) << message;
  EXPECT_NE(message.find("--talked-through"), std::string::npos) << message;
  EXPECT_TRUE(run(dir.path(), {"list", "--now-ms", at(kNow)}).events[0]["repaired"].empty()) << "nothing changed";

  took_part_in(dir.path(), "s-ours");
  const Ran known = run(dir.path(), {"repaired", "1", "--session", "s-ours", "--now-ms", at(kNow + 1000)});
  ASSERT_EQ(known.code, 0) << known.text << known.err;
  EXPECT_EQ(known.events[0]["entry"]["repaired"]["session_id"], "s-ours");
}

TEST(JournalCommand, DeleteRemovesAnEntryAndAnUnknownNumberIsACalmError) {
  test::TempDir dir;
  run(dir.path(), {"add", "--what", "the cold reply about the flat", "--now-ms", at(kNow)});
  run(dir.path(), {"add", "--what", "the missed call", "--now-ms", at(kNow)});
  const Ran deleted = run(dir.path(), {"delete", "1", "--now-ms", at(kNow)});
  ASSERT_EQ(deleted.code, 0) << deleted.text << deleted.err;
  ASSERT_EQ(count(deleted, "journal_deleted"), 1u) << deleted.text;
  EXPECT_EQ(deleted.events[0]["id"], 1);
  const Ran listed = run(dir.path(), {"list", "--now-ms", at(kNow)});
  ASSERT_EQ(listed.events[0]["open"].size(), 1u);
  EXPECT_EQ(listed.events[0]["open"][0]["what"], "the missed call");

  const Ran again = run(dir.path(), {"delete", "1", "--now-ms", at(kNow)});
  EXPECT_NE(again.code, 0);
  ASSERT_EQ(count(again, "journal_error"), 1u) << again.text;
  EXPECT_NE(again.events[0]["message"].get<std::string>().find("There's no entry 1"), std::string::npos);
  EXPECT_EQ(run(dir.path(), {"list", "--now-ms", at(kNow)}).events[0]["open"].size(), 1u);
}

}  // namespace
}  // namespace attune::cli
