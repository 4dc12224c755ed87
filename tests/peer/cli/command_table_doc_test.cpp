// README.md's table of headless commands is the one `help` prints: every
// command's usage appears in it exactly, and it names nothing else, so the
// document cannot drift from the parser.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "cli/command_parser.hpp"
#include "doc_section.hpp"

namespace attune::cli {
namespace {

// Every `code span` in a table cell, with markdown's `\|` read as `|`.
std::set<std::string> code_spans(const std::string& cell) {
  std::set<std::string> out;
  std::string text;
  for (size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\\' && i + 1 < cell.size() && cell[i + 1] == '|') continue;
    text.push_back(cell[i]);
  }
  for (size_t open = text.find('`'); open != std::string::npos; open = text.find('`', open)) {
    const size_t close = text.find('`', open + 1);
    if (close == std::string::npos) break;
    out.insert(text.substr(open + 1, close - open - 1));
    open = close + 1;
  }
  return out;
}

TEST(CommandTableDoc, TheReadmeListsEveryCommandAsHelpDoes) {
  const auto table = contract::read_contract(contract::source_dir() / "README.md", "headless-commands");
  ASSERT_TRUE(table.has_value()) << "README.md has no headless-commands table";
  // The first cell of each body row, read here because it holds `\|`.
  std::set<std::string> documented;
  std::istringstream lines(*table);
  int row = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| ", 0) != 0 || ++row <= 1) continue;  // Not a row, or the header.
    size_t end = 2;
    while (end < line.size() && !(line[end] == '|' && line[end - 1] != '\\')) ++end;
    for (const auto& span : code_spans(line.substr(2, end - 2))) documented.insert(span);
  }
  ASSERT_GT(documented.size(), 10u);
  std::set<std::string> usages;
  std::set<std::string> names;
  for (const auto& info : command_list()) {
    usages.insert(std::string(info.usage));
    names.insert(std::string(info.name));
    EXPECT_TRUE(documented.count(std::string(info.usage)) == 1)
        << "README.md's command table should show `" << info.usage << "` as help does";
  }
  // The first cell holds usages, plus examples that begin with a command's name.
  for (const auto& span : documented) {
    const std::string name = span.substr(0, span.find(' '));
    EXPECT_TRUE(usages.count(span) == 1 || names.count(name) == 1)
        << "README.md's command table names `" << span << "`, which is no command";
  }
}

}  // namespace
}  // namespace attune::cli
