#include "attune/text.hpp"

#include <algorithm>
#include <cstdint>

namespace attune {

namespace {

// Reads one code point at `i`; false (and len 1) at a byte that does not
// start a well-formed UTF-8 sequence.
bool decode(std::string_view text, std::size_t i, uint32_t& cp, std::size_t& len) {
  const auto b = static_cast<uint8_t>(text[i]);
  len = 1;
  if (b < 0x80) {
    cp = b;
    return true;
  }
  std::size_t n = 0;
  if ((b & 0xE0) == 0xC0) {
    n = 2;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4;
    cp = b & 0x07;
  } else {
    return false;
  }
  if (i + n > text.size()) return false;
  for (std::size_t k = 1; k < n; ++k) {
    const auto c = static_cast<uint8_t>(text[i + k]);
    if ((c & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (c & 0x3F);
  }
  // Reject overlong forms, surrogates and values past Unicode's range.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return false;
  }
  len = n;
  return true;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Calls `f(cp, bytes)` for each code point of valid UTF-8 `text`.
template <typename F>
void for_each_code_point(std::string_view text, F f) {
  std::size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = 0;
    std::size_t len = 1;
    decode(text, i, cp, len);
    f(cp, text.substr(i, len));
    i += len;
  }
}

bool is_control(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Embeddings, overrides and isolates: they reorder what follows them.
bool is_bidi_control(uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

// Characters that take up no visible mark, or only blank space.
bool is_blank(uint32_t cp) {
  return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF || cp == 0x180E || cp == 0x115F || cp == 0x1160 ||
         cp == 0x3164 || cp == 0xFFA0 || cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0x2800;
}

// Blank, or a joiner/selector that only changes the character next to it.
bool is_invisible_cp(uint32_t cp) {
  return is_blank(cp) || cp == 0x200C || cp == 0x200D || cp == 0xAD || cp == 0x034F ||
         (cp >= 0x2061 && cp <= 0x2064) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
         (cp >= 0xE0000 && cp <= 0xE01EF) || (cp >= 0x17B4 && cp <= 0x17B5) ||
         (cp >= 0x180B && cp <= 0x180D) || (cp >= 0x1D173 && cp <= 0x1D17A) || is_bidi_control(cp) ||
         is_control(cp);
}

std::string sanitize(std::string_view text, bool keep_lines) {
  const std::string valid = repair_utf8(text);
  std::string out;
  out.reserve(valid.size());
  bool after_cr = false;
  for_each_code_point(valid, [&](uint32_t cp, std::string_view bytes) {
    const bool was_cr = after_cr;
    after_cr = cp == '\r';
    if (cp == '\n' && was_cr) return;  // CR LF is one line break.
    if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
      out.push_back(keep_lines ? '\n' : ' ');
      return;
    }
    if (cp == '\t') {
      out.push_back(keep_lines ? '\t' : ' ');
      return;
    }
    if (is_control(cp) || is_bidi_control(cp)) return;
    out.append(bytes);
  });
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = 0;
    std::size_t len = 1;
    if (!decode(text, i, cp, len)) return false;
    i += len;
  }
  return true;
}

std::string repair_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() * 2);
  for (const char ch : text) append_utf8(out, static_cast<uint8_t>(ch));
  return out;
}

std::string sanitize_display_text(std::string_view text) { return sanitize(text, false); }

std::string sanitize_share_text(std::string_view text) { return sanitize(text, true); }

bool is_invisible(std::string_view text) {
  const std::string valid = repair_utf8(text);
  bool invisible = true;
  for_each_code_point(valid,
                      [&](uint32_t cp, std::string_view) { invisible = invisible && is_invisible_cp(cp); });
  return invisible;
}

std::string clean_name(std::string_view name) {
  const std::string safe = sanitize_display_text(name);
  if (is_invisible(safe)) return {};
  // Trim blank code points from both ends (joiners and selectors stay: an
  // emoji may end in one).
  std::size_t first = safe.size();
  std::size_t last = 0;
  std::size_t i = 0;
  for_each_code_point(safe, [&](uint32_t cp, std::string_view bytes) {
    if (!is_blank(cp)) {
      first = std::min(first, i);
      last = i + bytes.size();
    }
    i += bytes.size();
  });
  return first >= last ? std::string() : safe.substr(first, last - first);
}

std::string name_problem(std::string_view cleaned, std::size_t max_bytes, std::string_view what) {
  if (cleaned.empty()) {
    return "Please choose a " + std::string(what) +
           " with at least one letter, number or emoji in it, so the others can see who's here.";
  }
  if (cleaned.size() > max_bytes) {
    return "That " + std::string(what) + " is a bit long: Attune keeps up to " + std::to_string(max_bytes) +
           " bytes of it (as many plain letters, fewer with accents, other scripts or emoji). Could you "
           "shorten it?";
  }
  return {};
}

std::string distinct_name(const std::string& name, const std::vector<std::string>& taken) {
  const auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    });
    return s;
  };
  const auto used = [&](const std::string& candidate) {
    const std::string key = lower(candidate);
    return std::any_of(taken.begin(), taken.end(), [&](const std::string& t) { return lower(t) == key; });
  };
  if (!used(name)) return name;
  for (std::size_t n = 2;; ++n) {
    std::string candidate = name + " (" + std::to_string(n) + ")";
    if (!used(candidate)) return candidate;
  }
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<uint8_t>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

bool has_control_chars(std::string_view text) {
  for (char ch : text) {
    const auto b = static_cast<uint8_t>(ch);
    if ((b < 0x20 && ch != '\t' && ch != '\n') || b == 0x7F) return true;
  }
  return false;
}

}  // namespace attune
