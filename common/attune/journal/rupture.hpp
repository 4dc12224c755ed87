// The private rupture journal's rules: what an entry holds, what makes one
// usable, marking it repaired, and what the history shows. Pure: the time is
// always passed in (UTC milliseconds); nothing here reads a clock or a file.
// Entries never leave the device; see peer/journal/ for where they are kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace attune::journal {

inline constexpr std::size_t kMaxWhatBytes = 2 * 1024;
inline constexpr std::size_t kMaxUnderneath = 6;
inline constexpr std::size_t kMaxSessionIdBytes = 128;
// A note may say it happened a little in the future (clocks drift), never more.
inline constexpr int64_t kClockSlackMs = 5 * 60 * 1000;
// Nothing older than this is believable (a mistyped year).
inline constexpr int64_t kOldestMs = 10LL * 365 * 24 * 60 * 60 * 1000;

enum class Size { Small, Big };

enum class RepairWay {
  Session,        // A session on this device repaired it (its id is kept).
  TalkedThrough,  // "We talked it through", without the app.
};

struct Repair {
  RepairWay way = RepairWay::TalkedThrough;
  std::string session_id;  // Only for RepairWay::Session.
  int64_t repaired_ms = 0;  // UTC.
};

// What a person types to note a rupture.
struct Draft {
  int64_t happened_ms = 0;  // UTC.
  Size size = Size::Small;
  std::string what;                     // In their own words.
  std::vector<std::string> underneath;  // Words from the vocabulary, optional.
};

struct Rupture {
  int64_t id = 0;           // Given by the store.
  int64_t happened_ms = 0;  // UTC.
  int64_t noted_ms = 0;     // UTC.
  Size size = Size::Small;
  std::string what;
  std::vector<std::string> underneath;
  std::optional<Repair> repair;
  int64_t follow_up_shown_ms = 0;  // 0: the gentle follow-up hasn't come yet.
  bool follow_up_dismissed = false;

  bool open() const { return !repair.has_value(); }
};

// A reason in plain words why something can't be kept.
struct Problem {
  std::string message;
};

// The draft made ready to keep (text cleaned, words checked), or why not.
std::variant<Rupture, Problem> accept_draft(const Draft& draft, int64_t now_ms);

// `rupture` marked repaired, or why not (already repaired, a time before it
// happened, a session way without a session).
std::variant<Rupture, Problem> mark_repaired(const Rupture& rupture, const Repair& repair, int64_t now_ms);

// How long repair took, for closed ruptures.
std::optional<int64_t> time_to_repair(const Rupture& rupture);

// "under an hour", "3 hours", "2 days": a length of time in plain words.
std::string duration_words(int64_t ms);

// Words that may be named as underneath: every feeling and need in the
// vocabulary, plus "shame", "fear" and "an unmet need" themselves.
bool is_underneath_word(std::string_view word);

// The history: open ruptures (oldest first: the longest waiting on top) and
// repaired ones (most recently repaired first).
struct History {
  std::vector<Rupture> open;
  std::vector<Rupture> repaired;
};
History history_of(std::vector<Rupture> ruptures);

std::string_view size_name(Size size);                 // "small" / "big".
std::optional<Size> parse_size(std::string_view text);  // Case-insensitive.

}  // namespace attune::journal
