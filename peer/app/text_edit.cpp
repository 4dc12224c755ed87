#include "app/text_edit.hpp"

#include <algorithm>
#include <utility>

namespace attune::app {

namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t'; }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool joins_previous(char c) { return c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':' || c == ')'; }

// Wraps one hard line (no '\n' in it) of `out` from `begin` to `end`.
void wrap_line(std::string& out, std::size_t begin, std::size_t end, float width, const MeasureText& measure) {
  std::size_t line = begin;
  std::size_t last_space = std::string::npos;
  for (std::size_t i = begin; i <= end; ++i) {
    if (i < end && out[i] != ' ') continue;
    // [line, i) ends a word: does the line still fit?
    if (i > line && measure(std::string_view(out).substr(line, i - line)) > width && last_space != std::string::npos) {
      out[last_space] = '\n';
      line = last_space + 1;
    }
    if (i < end) last_space = i;
  }
}

// Whether words put in at `at` begin a sentence: at the start, or after a full stop.
bool starts_sentence(const std::string& text, std::size_t at) {
  while (at > 0 && is_space(text[at - 1])) --at;
  return at == 0 || text[at - 1] == '.' || text[at - 1] == '!' || text[at - 1] == '?';
}

}  // namespace

std::string soft_wrapped(std::string_view text, float width, const MeasureText& measure) {
  std::string out(text);
  std::size_t begin = 0;
  while (begin <= out.size()) {
    const std::size_t nl = out.find('\n', begin);
    const std::size_t end = nl == std::string::npos ? out.size() : nl;
    wrap_line(out, begin, end, width, measure);
    if (nl == std::string::npos) break;
    begin = nl + 1;
  }
  return out;
}

std::string unwrapped_edit(std::string_view text_before, std::string_view shown_before,
                           std::string_view shown_after) {
  // The display copy and the text line up byte for byte, so what the edit
  // left alone (a common start and end) is read from the text itself.
  if (text_before.size() != shown_before.size()) return std::string(shown_after);
  const std::size_t most = std::min(shown_before.size(), shown_after.size());
  std::size_t head = 0;
  while (head < most && shown_before[head] == shown_after[head]) ++head;
  std::size_t tail = 0;
  while (tail < most - head &&
         shown_before[shown_before.size() - 1 - tail] == shown_after[shown_after.size() - 1 - tail])
    ++tail;
  std::string out(text_before.substr(0, head));
  out.append(shown_after.substr(head, shown_after.size() - head - tail));
  out.append(text_before.substr(text_before.size() - tail));
  return out;
}

std::size_t insert_words(std::string& text, std::size_t caret, std::string_view words) {
  caret = std::min(caret, text.size());
  while (caret > 0 && caret < text.size() && is_continuation(text[caret])) --caret;
  // In the middle of a word: go to its end, so no word is split.
  while (caret > 0 && caret < text.size() && !is_space(text[caret - 1]) && !is_space(text[caret]) &&
         !joins_previous(text[caret]))
    ++caret;
  std::string piece;
  if (caret > 0 && !is_space(text[caret - 1])) piece.push_back(' ');
  const std::size_t first = piece.size();
  piece.append(words);
  if (starts_sentence(text, caret) && first < piece.size() && piece[first] >= 'a' && piece[first] <= 'z')
    piece[first] = static_cast<char>(piece[first] - 'a' + 'A');
  const bool space_after = caret < text.size() && !is_space(text[caret]) && !joins_previous(text[caret]);
  if (space_after) piece.push_back(' ');
  text.insert(caret, piece);
  return caret + piece.size() - (space_after ? 1 : 0);
}

std::string typed_range(std::string_view text, std::size_t from, std::size_t to) {
  if (from > to) std::swap(from, to);
  to = std::min(to, text.size());
  if (from >= to) return {};
  return std::string(text.substr(from, to - from));
}

}  // namespace attune::app
