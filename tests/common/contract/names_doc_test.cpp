// proto/README.md, "Names and gestures, exactly" (reader 9, M4): each example
// of the distinct-names table is joined to a lobby that holds the names
// before it, and the engine must keep exactly the name the table says (or
// refuse it BAD_INPUT). The prose's order of checks is checked here too.
#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "attune/engine.hpp"
#include "attune/intents.hpp"
#include "doc_section.hpp"

namespace attune::contract {
namespace {

const std::filesystem::path kProtoReadme = source_dir() / "proto" / "README.md";

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The table writes `\t`, `\n` and `\uXXXX` as JSON does.
std::string unescaped(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out.push_back(text[i]);
    } else if (text[i + 1] == 't') {
      out.push_back('\t');
      ++i;
    } else if (text[i + 1] == 'n') {
      out.push_back('\n');
      ++i;
    } else if (text[i + 1] == 'u' && i + 5 < text.size()) {
      append_utf8(out, static_cast<uint32_t>(std::stoul(text.substr(i + 2, 4), nullptr, 16)));
      i += 5;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The `code` spans of a cell, in order, as written.
std::vector<std::string> spans(const std::string& cell) {
  std::vector<std::string> out;
  static const std::regex span("`([^`]*)`");
  for (std::sregex_iterator it(cell.begin(), cell.end(), span), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

// Seats in the order the names came: the host, then the other partner, then coaches.
constexpr v1::Role kSeats[] = {v1::ROLE_PARTNER_A, v1::ROLE_PARTNER_B, v1::ROLE_COACH, v1::ROLE_COACH};

TEST(NamesDoc, EveryExampleIsWhatTheEngineKeeps) {
  std::string problem;
  const auto rows = contract_table(kProtoReadme, "distinct-names", 3, 6, &problem);
  ASSERT_TRUE(rows) << problem;
  const TimePoint now = from_ms(1'700'000'000'000);
  for (const auto& row : *rows) {
    const auto there = spans(row[0]);
    ASSERT_FALSE(there.empty()) << row[0];
    ASSERT_LT(there.size(), std::size(kSeats)) << row[0];
    State s = new_session("s", "Names", default_settings(), "dev-0", unescaped(there[0]), kSeats[0], now);
    for (std::size_t i = 1; i < there.size(); ++i) {
      const Result r = apply(s, intents::join(unescaped(there[i]), kSeats[i]),
                             Actor::participant("dev-" + std::to_string(i)), now);
      ASSERT_TRUE(r.accepted()) << row[0];
      ASSERT_EQ(r.state.participants(static_cast<int>(i)).display_name(), unescaped(there[i]))
          << "the names already there must be kept as written: " << row[0];
      s = r.state;
    }
    const auto sent = spans(row[1]);
    const auto kept = spans(row[2]);
    ASSERT_EQ(sent.size(), 1u) << row[1];
    ASSERT_EQ(kept.size(), 1u) << row[2];
    const Result r =
        apply(s, intents::join(unescaped(sent[0]), kSeats[there.size()]), Actor::participant("dev-new"), now);
    if (kept[0] == "BAD_INPUT") {
      ASSERT_FALSE(r.accepted()) << row[1] << " was kept";
      EXPECT_EQ(r.refusal->code(), v1::REFUSAL_CODE_BAD_INPUT) << row[1];
      continue;
    }
    ASSERT_TRUE(r.accepted()) << row[1] << ": " << r.refusal->message();
    EXPECT_EQ(r.state.participants(static_cast<int>(there.size())).display_name(), unescaped(kept[0]))
        << row[1];
  }
}

// The prose's two claims a table row can't show: the name is judged before
// the seat, and the suffix is never cut to fit 64 bytes.
TEST(NamesDoc, TheNameIsJudgedBeforeTheSeatAndTheSuffixIsNotCut) {
  const std::string readme = read_text(kProtoReadme);
  ASSERT_NE(readme.find("The seat is checked only after the name."), std::string::npos);
  ASSERT_NE(readme.find("Nothing is cut, so a 64-byte name can\n  become 68 bytes."), std::string::npos);
  const TimePoint now = from_ms(1'700'000'000'000);
  const State s = new_session("s", "Names", default_settings(), "dev-0", std::string(kMaxNameBytes, 'x'),
                              v1::ROLE_PARTNER_A, now);
  // An empty name for a taken seat: the name's refusal, not SEAT_TAKEN.
  const Result empty = apply(s, intents::join("  ", v1::ROLE_PARTNER_A), Actor::participant("dev-1"), now);
  ASSERT_FALSE(empty.accepted());
  EXPECT_EQ(empty.refusal->code(), v1::REFUSAL_CODE_BAD_INPUT);
  const Result same = apply(s, intents::join(std::string(kMaxNameBytes, 'X'), v1::ROLE_PARTNER_B),
                            Actor::participant("dev-1"), now);
  ASSERT_TRUE(same.accepted());
  EXPECT_EQ(same.state.participants(1).display_name(), std::string(kMaxNameBytes, 'X') + " (2)");
  EXPECT_EQ(same.state.participants(1).display_name().size(), 68u);
}

}  // namespace
}  // namespace attune::contract
