// README.md gives one spelling for each part of a preparation (reader 8,
// gap M1: "own part" was spelled two ways). Every place the README names a
// part as output spells it, and `attune --man`'s field list, use the names
// the code prints (prepare::part_name), in the code's order; and the
// headline is as long as the README says.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "attune/prepare/preparation.hpp"
#include "cli/prepare_command.hpp"
#include "doc_section.hpp"

namespace attune::prepare {
namespace {

const std::filesystem::path kReadme = contract::source_dir() / "README.md";

std::vector<std::string> printed_names() {
  std::vector<std::string> out;
  for (const Part part : kParts) out.emplace_back(part_name(part));
  return out;
}

// Every `code span` in text, in order.
std::vector<std::string> spans(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex span("`([^`]+)`");
  for (std::sregex_iterator it(text.begin(), text.end(), span), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

// The text of `readme` from the first occurrence of `from` up to `to`.
std::string between(const std::string& readme, const std::string& from, const std::string& to) {
  const auto begin = readme.find(from);
  if (begin == std::string::npos) return {};
  const auto end = readme.find(to, begin + from.size());
  return readme.substr(begin + from.size(), end == std::string::npos ? std::string::npos : end - begin - from.size());
}

TEST(PreparePartsDoc, AttuneManNamesEveryPartAsTheLinesPrintIt) {
  const cli::EventInfo* saved = nullptr;
  for (const auto& e : cli::prepare_event_list())
    if (e.name == "prepare_saved") saved = &e;
  ASSERT_NE(saved, nullptr);
  const std::string fields(saved->fields);
  for (const auto& name : printed_names())
    EXPECT_TRUE(std::regex_search(fields, std::regex("[ (]" + name + "[,)]"))) << fields << " lacks " << name;
  EXPECT_EQ(fields.find('-'), std::string::npos) << "a field name with a dash: " << fields;
}

TEST(PreparePartsDoc, EveryPartTheReadmeNamesIsSpelledAsPrinted) {
  const std::string readme = contract::read_text(kReadme);
  const auto names = printed_names();
  const std::set<std::string> known(names.begin(), names.end());
  // The draft offers: the part each step asks for is the cell's first span.
  const auto offers = contract::read_contract(kReadme, "draft-offers");
  ASSERT_TRUE(offers) << "README.md lost its draft-offers table";
  const auto rows = contract::markdown_rows(*offers);
  ASSERT_GE(rows.size(), 6u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 3u);
    const auto part = spans(row[2]);
    ASSERT_FALSE(part.empty()) << row[0];
    EXPECT_TRUE(known.count(part[0])) << row[0] << " offers `" << part[0] << "`";
  }
  // draft_offered's "one of" list: every part but `what`, which is never offered.
  const auto one_of = spans(between(readme, "| `draft_offered` | `step` (a `STEP_` name), `part` (one of ", ")"));
  EXPECT_EQ(one_of, std::vector<std::string>(names.begin() + 1, names.end()));
  // use-draft: the parts before each arrow.
  const std::string use_draft = between(readme, "| `use-draft` | the part this moment asks for", "\n");
  for (const auto& text : {between(use_draft, ":", "→"), between(use_draft, ";", "→")})
    for (const auto& part : spans(text)) EXPECT_TRUE(known.count(part)) << "use-draft names `" << part << "`";
  // The preparation object's fields and the headline's order: all six, in order.
  EXPECT_EQ(spans(between(readme, "one string per\npart: ", " (the")), names);
  EXPECT_EQ(spans(between(readme, "the first part that isn't empty, in the order ", ", made safe")), names);
}

TEST(PreparePartsDoc, ALongHeadlineIsCutToSixtyBytesThenGetsTheDots) {
  const std::string readme = contract::read_text(kReadme);
  EXPECT_NE(readme.find("cut to at most 60 bytes at a character boundary, trimmed, and then `...` is added, so it "
                        "is at most 63 bytes"),
            std::string::npos);
  Words words;
  words.what = std::string(59, 'x') + " yyyyyyyyyy";  // A space at byte 60: trimmed away.
  EXPECT_EQ(headline(words), std::string(59, 'x') + "...");
  words.what = std::string(100, 'x');
  EXPECT_EQ(headline(words).size(), 63u);
  words.what = std::string(59, 'x') + "\xc3\xa9 more";  // é would end at byte 61: cut before it.
  EXPECT_EQ(headline(words), std::string(59, 'x') + "...");
}

}  // namespace
}  // namespace attune::prepare
