// The headless command set covers every intent in session.proto and answers
// bad input with words, never a crash.
#include "cli/command_parser.hpp"

#include <gtest/gtest.h>

#include <set>

namespace attune::cli {
namespace {

State lobby() {
  State s =
      new_session("s-1", "talk", default_settings(), "dev-a", "Alex", v1::ROLE_PARTNER_A, from_ms(1000));
  auto* b = s.add_participants();
  b->set_id("dev-b");
  b->set_role(v1::ROLE_PARTNER_B);
  b->set_display_name("Blake");
  auto* coach = s.add_participants();
  coach->set_id("dev-c");
  coach->set_role(v1::ROLE_COACH);
  coach->set_display_name("Casey");
  return s;
}

const std::vector<std::string> kEveryCommand = {"join Sam partner-b",
                                                "admit coach",
                                                "decline partner-b",
                                                "settings threshold=4",
                                                "ready",
                                                "share-with-coach",
                                                "confirm",
                                                "offer-first",
                                                "request-draw",
                                                "ask-coach",
                                                "accept-first",
                                                "assign-first partner-a",
                                                "write I felt alone",
                                                "pass-floor",
                                                "finish-reflection",
                                                "heard",
                                                "not-quite",
                                                "propose-gesture a walk",
                                                "accept-gesture 1",
                                                "pause",
                                                "extend-pause 60",
                                                "propose-long-break 30",
                                                "accept-long-break",
                                                "return",
                                                "exit",
                                                "leave",
                                                "set-presence coach off",
                                                "timer-fired 5",
                                                "skip-part",
                                                "whole-conversation",
                                                "ask-more",
                                                "more",
                                                "validate It makes sense",
                                                "validated"};

TEST(CommandParser, EveryIntentInTheSchemaHasACommand) {
  std::set<int> covered;
  const State state = lobby();
  for (const auto& line : kEveryCommand) {
    const auto command = parse_command(line, state, 1000);
    const auto* send = std::get_if<SendIntent>(&command);
    ASSERT_TRUE(send) << line;
    covered.insert(send->intent.kind_case());
  }
  // check_in is sent through `checkin N`, which keeps the number local.
  const auto checkin = parse_command("checkin 4", state, 1000);
  ASSERT_TRUE(std::holds_alternative<SendCheckIn>(checkin));
  covered.insert(Intent::kCheckIn);

  const auto* oneof = Intent::descriptor()->FindOneofByName("kind");
  ASSERT_NE(oneof, nullptr);
  for (int i = 0; i < oneof->field_count(); ++i) {
    EXPECT_TRUE(covered.count(oneof->field(i)->number())) << "no command for " << oneof->field(i)->name();
  }
}

TEST(CommandParser, ResolvesPeopleBySeatNameOrId) {
  const State state = lobby();
  auto admit_id = [&](const std::string& line) {
    const auto command = parse_command(line, state, 0);
    const auto* send = std::get_if<SendIntent>(&command);
    return send ? send->intent.admit().participant_id() : std::string("(error)");
  };
  EXPECT_EQ(admit_id("admit coach"), "dev-c");
  EXPECT_EQ(admit_id("admit Blake"), "dev-b");
  EXPECT_EQ(admit_id("admit dev-b"), "dev-b");
  EXPECT_EQ(admit_id("admit nobody"), "(error)");
}

TEST(CommandParser, KeepsTextWhole) {
  const auto command = parse_command("write   I felt  alone, when you left ", lobby(), 0);
  EXPECT_EQ(std::get<SendIntent>(command).intent.write_text().text(), "I felt  alone, when you left");
}

TEST(CommandParser, SettingsStartFromTheCurrentOnes) {
  const auto command = parse_command("settings threshold=5 min-pause=60", lobby(), 0);
  const auto& settings = std::get<SendIntent>(command).intent.propose_settings().settings();
  EXPECT_EQ(settings.threshold(), 5u);
  EXPECT_EQ(settings.min_pause_seconds(), 60u);
  EXPECT_EQ(settings.long_break_at_level(), default_settings().long_break_at_level());
}

TEST(CommandParser, TheKindIsProposedWithTheOtherSettingsKept) {
  State state = lobby();
  state.mutable_settings()->set_threshold(5);
  const auto quick = parse_command("kind quick partner-b", state, 0);
  const auto& q = std::get<SendIntent>(quick).intent.propose_settings().settings();
  EXPECT_EQ(q.kind(), v1::REPAIR_KIND_QUICK);
  EXPECT_EQ(q.repairer(), v1::ROLE_PARTNER_B);
  EXPECT_EQ(q.threshold(), 5u);
  *state.mutable_settings() = q;
  const auto full = parse_command("kind full", state, 0);
  const auto& f = std::get<SendIntent>(full).intent.propose_settings().settings();
  EXPECT_EQ(f.kind(), v1::REPAIR_KIND_FULL);
  EXPECT_EQ(f.repairer(), v1::ROLE_UNSPECIFIED);
  EXPECT_EQ(f.threshold(), 5u);
}

TEST(CommandParser, QuickRepairWordsSendTheirIntents) {
  auto kind_of = [](const std::string& line) {
    const auto command = parse_command(line, lobby(), 0);
    return std::get<SendIntent>(command).intent.kind_case();
  };
  EXPECT_EQ(kind_of("acknowledge"), Intent::kPassFloor);
  EXPECT_EQ(kind_of("seen"), Intent::kAnswerHeard);
  EXPECT_EQ(kind_of("own"), Intent::kPassFloor);
  EXPECT_EQ(kind_of("skip-part"), Intent::kSkipPart);
  EXPECT_EQ(kind_of("whole-conversation"), Intent::kWholeConversation);
}

TEST(CommandParser, ValidationAndEmpathyKeepEachOther) {
  State state = lobby();
  auto* round = state.add_rounds();
  round->set_validation_text("It makes sense to me that you felt alone");
  const auto command = parse_command("empathise I imagine you might feel left out", state, 0);
  const auto& w = std::get<SendIntent>(command).intent.write_listening();
  EXPECT_EQ(w.validation(), "It makes sense to me that you felt alone");
  EXPECT_EQ(w.empathy(), "I imagine you might feel left out");
  EXPECT_FALSE(std::get<SendIntent>(parse_command("nothing-more", state, 0)).intent.answer_more().more());
  EXPECT_TRUE(std::get<SendIntent>(parse_command("more", state, 0)).intent.answer_more().more());
}

TEST(CommandParser, LongBreakIsMinutesFromNow) {
  const auto command = parse_command("propose-long-break 30", lobby(), 1'000'000);
  EXPECT_EQ(std::get<SendIntent>(command).intent.propose_long_break().return_ms(),
            1'000'000 + 30 * 60 * 1000);
}

TEST(CommandParser, BadInputGetsWords) {
  for (const std::string line :
       {"checkin", "checkin 11", "checkin -1", "checkin two", "frobnicate", "confirm now", "settings",
        "settings colour=3", "settings threshold=x", "accept-gesture", "assign-first coach", "extend-pause 0",
        "ready maybe", "write", "join Sam", "kind", "kind quick", "kind quick coach", "kind short",
        "kind full partner-a", "seen now", "skip-part please", "whole-conversation now", "ask-more now", "validate",
        "empathise", "nothing-more please"}) {
    const auto command = parse_command(line, lobby(), 0);
    const auto* error = std::get_if<ParseError>(&command);
    ASSERT_TRUE(error) << line;
    EXPECT_FALSE(error->message.empty()) << line;
  }
  EXPECT_TRUE(std::holds_alternative<Blank>(parse_command("   ", lobby(), 0)));
  EXPECT_TRUE(std::holds_alternative<Blank>(parse_command("# a note", lobby(), 0)));
  EXPECT_EQ(std::get<LocalAction>(parse_command("quit", lobby(), 0)), LocalAction::Quit);
  EXPECT_EQ(std::get<LocalAction>(parse_command("new-code", lobby(), 0)), LocalAction::NewCode);
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_command("new-code 123456", lobby(), 0)));
}

}  // namespace
}  // namespace attune::cli
