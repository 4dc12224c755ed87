#include "attune/journal/follow_up.hpp"

namespace attune::journal {

std::optional<Problem> check_gap(int64_t gap_ms) {
  if (gap_ms < kMinGapMs) return Problem{"The shortest wait before a follow-up is an hour."};
  if (gap_ms > kMaxGapMs) return Problem{"The longest wait before a follow-up is 60 days."};
  return std::nullopt;
}

std::optional<int64_t> follow_up_due(const std::vector<Rupture>& ruptures, const FollowUpSettings& settings,
                                     int64_t now_ms) {
  if (!settings.enabled || check_gap(settings.gap_ms)) return std::nullopt;
  const Rupture* due = nullptr;
  for (const Rupture& r : ruptures) {
    if (!r.open() || r.follow_up_shown_ms != 0 || r.follow_up_dismissed) continue;
    if (now_ms - r.happened_ms < settings.gap_ms) continue;
    if (!due || r.happened_ms < due->happened_ms) due = &r;
  }
  if (!due) return std::nullopt;
  return due->id;
}

std::optional<int64_t> follow_up_showing(const std::vector<Rupture>& ruptures, const FollowUpSettings& settings) {
  if (!settings.enabled) return std::nullopt;
  for (const Rupture& r : ruptures) {
    if (r.open() && r.follow_up_shown_ms != 0 && !r.follow_up_dismissed) return r.id;
  }
  return std::nullopt;
}

std::string follow_up_words(const Rupture& rupture, std::string_view day, int64_t now_ms) {
  const std::string since = duration_words(now_ms - rupture.happened_ms);
  return "It's been " + since + " since what happened on " + std::string(day) +
         ". Coming back to it, even with one small step, can help you both. Whenever you feel ready; "
         "there's no rush.";
}

}  // namespace attune::journal
