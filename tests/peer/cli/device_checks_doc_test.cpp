// README.md's table of the checks made on this device ("What this device
// checks before sending") is what the parser and the door do: each example
// line, parsed as the command loop parses it, gives the documented outcome,
// and every command that takes an argument has a row.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "attune/intent_limits.hpp"
#include "cli/command_parser.hpp"
#include "doc_section.hpp"

namespace attune::cli {
namespace {

// "`write x{8193}`" -> "write " followed by 8193 x's.
std::string expand(std::string cell) {
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') cell = cell.substr(1, cell.size() - 2);
  for (auto open = cell.find('{'); open != std::string::npos; open = cell.find('{')) {
    const auto close = cell.find('}', open);
    if (open == 0 || close == std::string::npos) break;
    const std::size_t n = std::stoul(cell.substr(open + 1, close - open - 1));
    cell = cell.substr(0, open - 1) + std::string(n, cell[open - 1]) + cell.substr(close + 1);
  }
  return cell;
}

// The outcome of one line, in the table's words.
std::string outcome(const std::string& line) {
  const Command command = parse_command(line, State{}, 1'800'000'000'000);
  if (std::holds_alternative<ParseError>(command)) return "`error`";
  if (std::holds_alternative<SendCheckIn>(command)) return "`submitted`, `check_in`, `refused` `REFUSAL_CODE_NOT_IN_SESSION`";
  if (const auto* send = std::get_if<SendIntent>(&command)) {
    if (const auto refusal = check_outgoing_intent(send->intent))
      return "`submitted`, `refused` `" + v1::RefusalCode_Name(refusal->code()) + "`";
    return "`submitted`, sent";
  }
  return "other";
}

TEST(DeviceChecksDoc, EachExampleLineGetsTheDocumentedOutcome) {
  const auto table = contract::read_contract(contract::source_dir() / "README.md", "device-checks");
  ASSERT_TRUE(table.has_value()) << "README.md has no device-checks table";
  const auto rows = contract::markdown_rows(*table);
  ASSERT_GT(rows.size(), 20u);
  std::set<std::string> covered;
  for (const auto& row : rows) {
    ASSERT_GE(row.size(), 2u);
    const std::string line = expand(row[0]);
    EXPECT_EQ(outcome(line), row[1]) << "README.md's device-checks row for " << row[0];
    covered.insert(line.substr(0, line.find(' ')));
  }
  // Every command that reads an argument is in the table.
  for (const auto& info : command_list()) {
    if (info.usage == info.name || info.usage.find('<') == std::string_view::npos) continue;
    EXPECT_TRUE(covered.count(std::string(info.name))) << "no device-checks row for " << info.usage;
  }
}

}  // namespace
}  // namespace attune::cli
