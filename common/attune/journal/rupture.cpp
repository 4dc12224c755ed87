#include "attune/journal/rupture.hpp"

#include <algorithm>
#include <cctype>

#include "attune/language/vocabulary.hpp"
#include "attune/text.hpp"

namespace attune::journal {

namespace {

bool same_folded(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool in_groups(const std::vector<language::WordGroup>& groups, std::string_view word) {
  for (const auto& group : groups)
    for (std::string_view w : group.words)
      if (same_folded(w, word)) return true;
  return false;
}

// The words named as underneath, trimmed and checked, each once.
std::variant<std::vector<std::string>, Problem> accept_underneath(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const std::string& raw : words) {
    const std::string word(trim(sanitize_display_text(raw)));
    if (word.empty()) continue;
    if (!is_underneath_word(word))
      return Problem{"\"" + std::string(utf8_prefix(word, 40)) +
                     "\" isn't one of the words offered for what was underneath. Pick from the list, "
                     "or leave it out."};
    const bool seen = std::any_of(out.begin(), out.end(), [&](const std::string& w) { return same_folded(w, word); });
    if (!seen) out.push_back(word);
  }
  if (out.size() > kMaxUnderneath)
    return Problem{"Pick up to " + std::to_string(kMaxUnderneath) + " words for what was underneath."};
  return out;
}

}  // namespace

bool is_underneath_word(std::string_view word) {
  for (std::string_view named : {"shame", "fear", "an unmet need"})
    if (same_folded(named, word)) return true;
  return in_groups(language::feelings(), word) || in_groups(language::needs(), word);
}

std::variant<Rupture, Problem> accept_draft(const Draft& draft, int64_t now_ms) {
  if (!is_valid_utf8(draft.what))
    return Problem{"Some of those characters couldn't be read. Try typing the words again."};
  std::string what = sanitize_share_text(draft.what);
  if (is_invisible(what)) return Problem{"Write a few words about what happened, just for you."};
  if (what.size() > kMaxWhatBytes)
    return Problem{"That's a little long to keep here. Try to say it in fewer words (up to about " +
                   std::to_string(kMaxWhatBytes / 1024) + " thousand characters)."};
  if (draft.happened_ms > now_ms + kClockSlackMs)
    return Problem{"That time is still to come. When did it happen?"};
  if (draft.happened_ms < now_ms - kOldestMs || draft.happened_ms <= 0)
    return Problem{"That date looks too far back. Check the year?"};
  auto words = accept_underneath(draft.underneath);
  if (auto* problem = std::get_if<Problem>(&words)) return *problem;
  Rupture r;
  r.happened_ms = std::min(draft.happened_ms, now_ms);
  r.noted_ms = now_ms;
  r.size = draft.size;
  r.what = std::move(what);
  r.underneath = std::get<std::vector<std::string>>(std::move(words));
  return r;
}

std::variant<Rupture, Problem> mark_repaired(const Rupture& rupture, const Repair& repair, int64_t now_ms) {
  if (!rupture.open()) return Problem{"This one is already marked repaired."};
  Repair kept = repair;
  if (kept.way == RepairWay::Session) {
    kept.session_id = std::string(trim(sanitize_display_text(kept.session_id)));
    if (kept.session_id.empty()) return Problem{"Choose the session that helped, or say you talked it through."};
    if (kept.session_id.size() > kMaxSessionIdBytes) return Problem{"That session id is too long to be one of ours."};
  } else {
    kept.session_id.clear();
  }
  if (kept.repaired_ms <= 0) kept.repaired_ms = now_ms;
  if (kept.repaired_ms > now_ms + kClockSlackMs) return Problem{"That time is still to come."};
  // A repair can't come before the rupture; a clock set back reads as "right away".
  kept.repaired_ms = std::max(kept.repaired_ms, rupture.happened_ms);
  Rupture out = rupture;
  out.repair = std::move(kept);
  return out;
}

std::optional<int64_t> time_to_repair(const Rupture& rupture) {
  if (!rupture.repair) return std::nullopt;
  return std::max<int64_t>(0, rupture.repair->repaired_ms - rupture.happened_ms);
}

std::string duration_words(int64_t ms) {
  constexpr int64_t kMinute = 60 * 1000, kHour = 60 * kMinute, kDay = 24 * kHour;
  auto count = [](int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  if (ms < kHour) return "under an hour";
  if (ms < kDay) return count(ms / kHour, "hour", "hours");
  if (ms < 14 * kDay) return count(ms / kDay, "day", "days");
  if (ms < 60 * kDay) return count(ms / (7 * kDay), "week", "weeks");
  return count(ms / (30 * kDay), "month", "months");
}

History history_of(std::vector<Rupture> ruptures) {
  History h;
  for (Rupture& r : ruptures) (r.open() ? h.open : h.repaired).push_back(std::move(r));
  std::stable_sort(h.open.begin(), h.open.end(),
                   [](const Rupture& a, const Rupture& b) { return a.happened_ms < b.happened_ms; });
  // (Sorted by a copy of the key: GCC 12 misreads optional access inside the sort.)
  std::vector<std::pair<int64_t, std::size_t>> order;
  for (std::size_t i = 0; i < h.repaired.size(); ++i)
    order.emplace_back(h.repaired[i].repair ? h.repaired[i].repair->repaired_ms : 0, i);
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Rupture> repaired;
  for (const auto& [at, i] : order) repaired.push_back(std::move(h.repaired[i]));
  h.repaired = std::move(repaired);
  return h;
}

std::string_view size_name(Size size) {
  switch (size) {
    case Size::Small:
      return "small";
    case Size::Big:
      return "big";
  }
  return "small";
}

std::optional<Size> parse_size(std::string_view text) {
  if (same_folded(text, "small")) return Size::Small;
  if (same_folded(text, "big")) return Size::Big;
  return std::nullopt;
}

}  // namespace attune::journal
