#include "doc_section.hpp"

#include <fstream>
#include <sstream>
#include <vector>

namespace attune::contract {

namespace {

std::string begin_marker(const std::string& name) {
  return "<!-- generated: " + name + " (run: attune_doc_gen --write " + name + ") -->\n";
}
std::string end_marker(const std::string& name) { return "<!-- end generated: " + name + " -->"; }

struct Span {
  std::size_t from = 0;  // First byte of the section's text.
  std::size_t to = 0;    // First byte of the end marker.
};

std::optional<Span> find_between(const std::string& text, const std::string& begin, const std::string& end) {
  const auto b = text.find(begin);
  if (b == std::string::npos) return std::nullopt;
  const auto e = text.find(end, b + begin.size());
  if (e == std::string::npos) return std::nullopt;
  return Span{b + begin.size(), e};
}

std::optional<Span> find_section(const std::string& text, const std::string& name) {
  return find_between(text, begin_marker(name), end_marker(name));
}

}  // namespace

std::filesystem::path source_dir() { return ATTUNE_SOURCE_DIR; }

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string read_squeezed(const std::filesystem::path& file) {
  std::string out;
  for (const char c : read_text(file)) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space) {
      out.push_back(c);
    } else if (out.empty() || out.back() != ' ') {
      out.push_back(' ');
    }
  }
  return out;
}

std::optional<std::string> read_section(const std::filesystem::path& file, const std::string& name) {
  const std::string text = read_text(file);
  const auto span = find_section(text, name);
  if (!span) return std::nullopt;
  return text.substr(span->from, span->to - span->from);
}

std::optional<std::string> read_contract(const std::filesystem::path& file, const std::string& name) {
  const std::string text = read_text(file);
  const auto span =
      find_between(text, "<!-- contract: " + name + " -->\n", "<!-- end contract: " + name + " -->");
  if (!span) return std::nullopt;
  return text.substr(span->from, span->to - span->from);
}

std::vector<std::vector<std::string>> markdown_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  int seen = 0;
  while (std::getline(in, line)) {
    line.erase(
        0, std::min(line.size(), line.find_first_not_of(' ')));  // A table inside a list item is indented.
    if (!line.starts_with("|")) continue;
    if (seen++ < 2) continue;
    std::vector<std::string> cells;
    std::size_t at = 1;
    for (auto bar = line.find('|', at); bar != std::string::npos; bar = line.find('|', at)) {
      std::string cell = line.substr(at, bar - at);
      const auto b = cell.find_first_not_of(' ');
      const auto e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
      at = bar + 1;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

bool write_section(const std::filesystem::path& file, const std::string& name, const std::string& section) {
  std::string text = read_text(file);
  const auto span = find_section(text, name);
  if (!span) return false;
  text.replace(span->from, span->to - span->from, section);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

std::optional<std::vector<std::vector<std::string>>> contract_table(const std::filesystem::path& file,
                                                                    const std::string& name,
                                                                    std::size_t columns, std::size_t min_rows,
                                                                    std::string* problem) {
  const auto doc = read_contract(file, name);
  if (!doc) {
    *problem = file.filename().string() + " lost its " + name + " table";
    return std::nullopt;
  }
  auto rows = markdown_rows(*doc);
  if (rows.size() < min_rows) {
    *problem = name + " has " + std::to_string(rows.size()) + " rows, fewer than " + std::to_string(min_rows);
    return std::nullopt;
  }
  for (const auto& row : rows)
    if (row.size() != columns) {
      *problem = name + " has a row of " + std::to_string(row.size()) + " cells, not " +
                 std::to_string(columns) + (row.empty() ? "" : ": " + row[0]);
      return std::nullopt;
    }
  return rows;
}

std::string unquoted(std::string cell) {
  std::erase(cell, '`');
  return cell;
}

}  // namespace attune::contract
