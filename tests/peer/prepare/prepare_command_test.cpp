// `attune --headless prepare ...` as a script would use it: one JSON line
// per answer, an edit that changes only the parts given, and clear errors
// that change nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/prepare_command.hpp"
#include "peer_process.hpp"

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
  EXPECT_EQ(p["own-part"], "I go quiet");
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

}  // namespace
}  // namespace attune::cli
