#include "doc_section.hpp"

#include <fstream>
#include <sstream>

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

std::optional<std::string> read_section(const std::filesystem::path& file, const std::string& name) {
  const std::string text = read_text(file);
  const auto span = find_section(text, name);
  if (!span) return std::nullopt;
  return text.substr(span->from, span->to - span->from);
}

std::optional<std::string> read_contract(const std::filesystem::path& file, const std::string& name) {
  const std::string text = read_text(file);
  const auto span = find_between(text, "<!-- contract: " + name + " -->\n", "<!-- end contract: " + name + " -->");
  if (!span) return std::nullopt;
  return text.substr(span->from, span->to - span->from);
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

}  // namespace attune::contract
