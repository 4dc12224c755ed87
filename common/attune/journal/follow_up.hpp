// The one gentle follow-up: a rupture left open longer than the gap the
// person chose gets a single private reminder on this device. It comes once
// (shown_ms is recorded and it never comes again for that rupture), it can
// be dismissed, and the whole thing can be turned off. Pure: `now` is passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attune/journal/rupture.hpp"

namespace attune::journal {

inline constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
inline constexpr int64_t kDefaultGapMs = 2 * kDayMs;
inline constexpr int64_t kMinGapMs = 60LL * 60 * 1000;  // An hour.
inline constexpr int64_t kMaxGapMs = 60 * kDayMs;

struct FollowUpSettings {
  bool enabled = true;
  int64_t gap_ms = kDefaultGapMs;
};

// Why a gap can't be used, in plain words; nullopt when it can.
std::optional<Problem> check_gap(int64_t gap_ms);

// The rupture whose follow-up should come now, if any: open, older than the
// gap, never followed up before. The one waiting longest goes first; the
// others wait their turn (one reminder at a time, never a pile).
std::optional<int64_t> follow_up_due(const std::vector<Rupture>& ruptures, const FollowUpSettings& settings,
                                     int64_t now_ms);

// The follow-up that came and is still on screen (shown, not dismissed, and
// the rupture still open), if any. Turning follow-ups off hides it too.
std::optional<int64_t> follow_up_showing(const std::vector<Rupture>& ruptures, const FollowUpSettings& settings);

// The reminder's words. `day` names when it happened in the reader's own
// time ("Tuesday"); the wording invites, never blames.
std::string follow_up_words(const Rupture& rupture, std::string_view day, int64_t now_ms);

}  // namespace attune::journal
