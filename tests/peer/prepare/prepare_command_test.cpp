// `attune --headless prepare ...` as a script would use it: one JSON line
// per answer, an edit that changes only the parts given, and clear errors
// that change nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/prepare_command.hpp"
#include "peer_process.hpp"
#include "session_driver.hpp"
#include "session_script.hpp"

namespace attune::cli {
namespace {

using Json = nlohmann::json;
constexpr int64_t kNow = 1'800'000'000'000;

struct Ran {
  int code = -1;
  std::vector<Json> events;
  std::string text;
};

Ran run(const std::filesystem::path& dir, std::vector<std::string> args, bool json = true) {
  CLI::App app;
  PrepareCli v;
  define_prepare_cli(app, v);
  args.insert(args.begin(), "prepare");
  std::vector<const char*> argv{"attune"};
  for (const auto& a : args) argv.push_back(a.c_str());
  Ran ran;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    ran.text = e.what();
    return ran;
  }
  std::ostringstream out, err;
  ran.code = run_prepare(dir, v, json, out, err);
  ran.text = out.str() + err.str();
  std::istringstream lines(out.str());
  for (std::string line; json && std::getline(lines, line);) ran.events.push_back(Json::parse(line));
  return ran;
}

TEST(PrepareCommand, AddEditShowListAndRemove) {
  test::TempDir dir;
  const std::string now = std::to_string(kNow);
  auto added = run(dir.path(), {"--now-ms", now, "add", "--what", "the call", "--share", "I felt alone",
                                "--activation", "5", "--gesture", "a walk"});
  ASSERT_EQ(added.code, 0) << added.text;
  ASSERT_EQ(added.events.size(), 1u);
  EXPECT_EQ(added.events[0]["event"], "prepare_saved");
  const int64_t id = added.events[0]["preparation"]["id"];
  EXPECT_EQ(added.events[0]["preparation"]["activation"], 5);

  auto edited = run(dir.path(), {"--now-ms", std::to_string(kNow + 1000), "edit", std::to_string(id), "--own-part",
                                 "I go quiet"});
  ASSERT_EQ(edited.code, 0) << edited.text;
  const Json& p = edited.events[0]["preparation"];
  EXPECT_EQ(p["own_part"], "I go quiet");
  EXPECT_EQ(p["share"], "I felt alone") << "parts not named stay as they were";
  EXPECT_EQ(p["gesture"], "a walk");
  EXPECT_EQ(p["activation"], 5) << "the activation stays unless given";

  run(dir.path(), {"--now-ms", std::to_string(kNow + 2000), "add", "--what", "the second one"});
  auto listed = run(dir.path(), {"list"});
  ASSERT_EQ(listed.events[0]["event"], "preparations");
  ASSERT_EQ(listed.events[0]["preparations"].size(), 2u);
  EXPECT_EQ(listed.events[0]["preparations"][0]["headline"], "the second one") << "latest edit first";

  auto shown = run(dir.path(), {"show", std::to_string(id)}, false);
  EXPECT_NE(shown.text.find("Your part in the pattern: I go quiet"), std::string::npos) << shown.text;

  EXPECT_EQ(run(dir.path(), {"remove", std::to_string(id)}).events[0]["event"], "prepare_removed");
  EXPECT_EQ(run(dir.path(), {"list"}).events[0]["preparations"].size(), 1u);
}

TEST(PrepareCommand, ProblemsSayWhyAndChangeNothing) {
  test::TempDir dir;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"add"}, {"add", "--what", "x", "--activation", "12"},
        {"add", "--share", std::string(9000, 'a')}, {"edit", "7", "--share", "y"}, {"show", "7"}, {"remove", "7"}}) {
    const auto r = run(dir.path(), args);
    EXPECT_EQ(r.code, static_cast<int>(ExitCode::Usage)) << args[0];
    ASSERT_EQ(r.events.size(), 1u) << r.text;
    EXPECT_EQ(r.events[0]["event"], "prepare_error");
    EXPECT_FALSE(r.events[0].value("message", "").empty());
  }
  EXPECT_TRUE(run(dir.path(), {"list"}).events[0]["preparations"].empty());
}


// A quick repair where both name their part, and then A asks for the whole
// conversation: the nine steps from step 3 to step 7 (A first), on the real
// engine through the shared walk's lines.
State escalated_at_step_seven(bool escalate) {
  using test::Line;
  using test::Who;
  test::SessionDriver d;
  d.ok(test::kB, test::make::join("Blake", v1::ROLE_PARTNER_B));
  d.ok(test::kCoach, test::make::join("Casey", v1::ROLE_COACH));
  std::vector<Line> lines = test::quick_repair();
  const auto named = std::find_if(lines.begin(), lines.end(), [](const Line& l) {
    return l.who == Who::A && l.command.rfind("write ", 0) == 0 && l.step_after == "STEP_OTHER_PART";
  });
  EXPECT_NE(named, lines.end());
  if (!escalate) {
    test::run_walk(lines, [&](const Line& l) { test::play(d, l); });
    return d.state();
  }
  lines.erase(named + 1, lines.end());
  lines.push_back({Who::A, "whole-conversation", "", "PHASE_CHECK_IN"});
  lines.push_back({Who::A, "checkin 2", "", "PHASE_CHECK_IN"});
  lines.push_back({Who::B, "checkin 1", "STEP_BENEFIT", "PHASE_ACTIVE"});
  const auto nine = test::nine_steps({.lobby_choices = false});
  const auto from = std::find_if(nine.begin(), nine.end(),
                                 [](const Line& l) { return l.step_after == "STEP_BENEFIT" && l.command == "confirm"; });
  lines.insert(lines.end(), from, nine.end());
  // Played until step 7 begins; the rest is left.
  test::run_walk(lines, [&](const Line& l) {
    if (d.state().step() != v1::STEP_OWN_PATTERN || d.state().phase() != v1::PHASE_ACTIVE) test::play(d, l);
  });
  return d.state();
}

NodeView seen_by(const State& s, v1::Role role) {
  NodeView v;
  v.state = s;
  v.my_role = role;
  return v;
}

// The window's step 7 starts from what each named in the quick repair
// (PrepareScreens.StepSevenStartsFromWhatWasSaidInTheQuickRepair); the
// headless session offers the same words, and sends nothing by itself.
TEST(HeadlessStepSeven, OffersWhatWasNamedInTheQuickRepairAndSendsItOnlyWhenChosen) {
  test::TempDir dir;  // Nothing prepared alone on this device.
  const State s = escalated_at_step_seven(true);
  ASSERT_EQ(s.step(), v1::STEP_OWN_PATTERN);
  ASSERT_EQ(s.phase(), v1::PHASE_ACTIVE);
  const v1::Role first = s.floor();
  ASSERT_TRUE(first == v1::ROLE_PARTNER_A || first == v1::ROLE_PARTNER_B);
  DraftOffers offers(dir.path());
  const auto offered = offers.notice(seen_by(s, first));
  ASSERT_TRUE(offered) << "no offer at step 7 after the quick repair";
  EXPECT_EQ((*offered)["event"], "draft_offered");
  EXPECT_EQ((*offered)["part"], "own_part");
  EXPECT_EQ((*offered)["from"], "quick_repair");
  const std::string named = first == v1::ROLE_PARTNER_B ? s.quick().own_text() : s.quick().other_text();
  ASSERT_FALSE(named.empty());
  EXPECT_EQ((*offered)["text"], named);
  EXPECT_NE((*offered)["message"].get<std::string>().find("Nothing is sent"), std::string::npos);
  EXPECT_FALSE(offers.notice(seen_by(s, first))) << "offered once per moment";
  EXPECT_FALSE(DraftOffers(dir.path()).notice(seen_by(s, other_partner(first))))
      << "the one not asked yet is offered nothing";
  // Only use-draft sends it, as it is.
  const auto sent = offers.use(seen_by(s, first));
  ASSERT_TRUE(std::holds_alternative<Intent>(sent));
  EXPECT_EQ(std::get<Intent>(sent).write_text().text(), named);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "prepare.db")) << "nothing written on the way";
}

TEST(HeadlessStepSeven, AQuickRepairThatEndedQuickOffersNothing) {
  test::TempDir dir;
  State s = escalated_at_step_seven(false);
  ASSERT_EQ(s.phase(), v1::PHASE_COMPLETE);
  // The same words, at a step 7 the quick repair never moved into.
  s.set_phase(v1::PHASE_ACTIVE);
  s.set_step(v1::STEP_OWN_PATTERN);
  s.set_floor(v1::ROLE_PARTNER_A);
  EXPECT_FALSE(DraftOffers(dir.path()).notice(seen_by(s, v1::ROLE_PARTNER_A)));
}

// README "Which intent each command sends": use-draft at step 3 makes no
// intent of the generous reading (it is offered to read, kept here); at the
// share the same preparation's share becomes a WriteText, as it is.
TEST(HeadlessDraft, UseDraftNeverMakesAnIntentOfTheGenerousReading) {
  test::TempDir dir;
  const std::string generous = "maybe the deadline had them rattled";
  ASSERT_EQ(run(dir.path(), {"add", "--generous", generous, "--share", "I felt alone"}).code, 0);
  State s;
  s.set_phase(v1::PHASE_ACTIVE);
  s.set_step(v1::STEP_BENEFIT);
  DraftOffers offers(dir.path());
  const auto offered = offers.notice(seen_by(s, v1::ROLE_PARTNER_B));
  ASSERT_TRUE(offered);
  EXPECT_EQ((*offered)["part"], "generous");
  EXPECT_EQ((*offered)["text"], generous);
  EXPECT_NE((*offered)["message"].get<std::string>().find("stays here"), std::string::npos);
  const auto used = offers.use(seen_by(s, v1::ROLE_PARTNER_B));
  ASSERT_TRUE(std::holds_alternative<std::string>(used)) << "use-draft made an intent of the generous reading";
  EXPECT_NE(std::get<std::string>(used).find("stays on this device"), std::string::npos);
  s.set_step(v1::STEP_SHARE);
  s.set_floor(v1::ROLE_PARTNER_B);
  const auto shared = offers.use(seen_by(s, v1::ROLE_PARTNER_B));
  ASSERT_TRUE(std::holds_alternative<Intent>(shared));
  EXPECT_EQ(std::get<Intent>(shared).write_text().text(), "I felt alone");
  s.set_floor(v1::ROLE_PARTNER_A);
  EXPECT_TRUE(std::holds_alternative<std::string>(offers.use(seen_by(s, v1::ROLE_PARTNER_B))))
      << "the listener is not asked for a share";
}

}  // namespace
}  // namespace attune::cli
