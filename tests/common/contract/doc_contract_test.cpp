// The protocol documents, checked against the code they describe. A failure
// here means the document and the code disagree: fix whichever is wrong. If
// the code changed on purpose, regenerate the section with
// `attune_doc_gen --write NAME` and commit the document with the change.
#include <gtest/gtest.h>

#include <sstream>

#include "attune/engine.hpp"
#include "doc_section.hpp"
#include "handshake_vectors.hpp"
#include "session_rules.hpp"

namespace attune::contract {
namespace {

// The first few lines where two texts differ, for a readable failure.
std::string line_differences(const std::string& doc, const std::string& code) {
  std::istringstream d(doc), c(code);
  std::string dl, cl, out;
  int shown = 0;
  for (int n = 1; shown < 4; ++n) {
    const bool more_d = static_cast<bool>(std::getline(d, dl));
    const bool more_c = static_cast<bool>(std::getline(c, cl));
    if (!more_d && !more_c) break;
    if (more_d && more_c && dl == cl) continue;
    out += "line " + std::to_string(n) + "\n  document: " + (more_d ? dl : "(missing)") +
           "\n  code:     " + (more_c ? cl : "(missing)") + "\n";
    ++shown;
  }
  return out;
}

const std::filesystem::path kReadme = source_dir() / "proto" / "README.md";
const std::filesystem::path kHandshake = source_dir() / "proto" / "HANDSHAKE.md";

TEST(SessionRulesDoc, TableInTheReadmeIsWhatTheEngineDoes) {
  const auto doc = read_section(kReadme, "session-rules");
  ASSERT_TRUE(doc) << "proto/README.md lost its session-rules markers";
  const SessionRules rules = session_rules();
  for (const auto& p : rules.problems) ADD_FAILURE() << p;
  EXPECT_TRUE(*doc == rules.table) << "proto/README.md's session rules differ from the engine; if the engine "
                                      "changed on purpose, run: attune_doc_gen --write session-rules\n"
                                   << line_differences(*doc, rules.table);
}

TEST(HandshakeVectorsDoc, EveryVectorInTheDocumentIsWhatTheCodeComputes) {
  const auto doc = read_section(kHandshake, "handshake-vectors");
  ASSERT_TRUE(doc) << "proto/HANDSHAKE.md lost its handshake-vectors markers";
  const HandshakeVectors code = handshake_vectors();
  for (const auto& p : code.problems) ADD_FAILURE() << p;
  const auto written = parse_vectors(*doc);
  ASSERT_FALSE(code.values.empty());
  for (const auto& [name, value] : code.values) {
    const auto it = written.find(name);
    if (it == written.end()) {
      ADD_FAILURE() << "proto/HANDSHAKE.md has no vector " << name;
    } else {
      EXPECT_EQ(it->second, value) << "vector " << name << " differs between the document and the code";
    }
  }
  EXPECT_EQ(written.size(), code.values.size()) << "the document lists vectors the code does not compute";
  EXPECT_TRUE(*doc == render(code)) << "if the format changed on purpose, run: attune_doc_gen --write "
                                       "handshake-vectors\n"
                                    << line_differences(*doc, render(code));
}

TEST(CheckInDoc, EveryBoundaryCaseInTheReadmeIsWhatMakeCheckInGives) {
  const auto doc = read_contract(kReadme, "check-in-cases");
  ASSERT_TRUE(doc) << "proto/README.md lost its check-in-cases table";
  const auto rows = markdown_rows(*doc);
  ASSERT_GE(rows.size(), 10u);
  bool equal_to_threshold = false, equal_to_long_break = false, out_of_range = false;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 5u) << "a check-in case needs five cells";
    v1::Settings settings = default_settings();
    settings.set_threshold(static_cast<uint32_t>(std::stoi(row[0])));
    settings.set_long_break_at_level(static_cast<uint32_t>(std::stoi(row[1])));
    ASSERT_FALSE(check_settings(settings)) << "the document uses settings the engine refuses: " << row[0];
    const int level = std::stoi(row[2]);
    const auto got = make_check_in(level, settings);
    const std::string where = "threshold " + row[0] + ", long break at " + row[1] + ", level " + row[2];
    if (row[3] == "not sent") {
      EXPECT_FALSE(got) << where << ": the document says nothing is sent";
      out_of_range = true;
      continue;
    }
    ASSERT_TRUE(got) << where << ": the document says a check-in is sent";
    EXPECT_EQ(got->above_threshold() ? "true" : "false", row[3]) << where << ": above_threshold";
    EXPECT_EQ(got->long_break_hint() ? "true" : "false", row[4]) << where << ": long_break_hint";
    equal_to_threshold = equal_to_threshold || level == std::stoi(row[0]);
    equal_to_long_break = equal_to_long_break || level == std::stoi(row[1]);
  }
  // The cases that settle which side each boundary falls on must stay in the document.
  EXPECT_TRUE(equal_to_threshold) << "no case with level equal to the threshold";
  EXPECT_TRUE(equal_to_long_break) << "no case with level equal to long_break_at_level";
  EXPECT_TRUE(out_of_range) << "no case outside 0..10";
}

}  // namespace
}  // namespace attune::contract
