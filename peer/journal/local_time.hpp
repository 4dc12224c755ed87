// The journal keeps times in UTC and shows them in the reader's own time
// zone; these are the only places that consult the clock or the zone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace attune::journal {


// "2026-11-28T18:30:00Z".
std::string utc_iso(int64_t utc_ms);
// "Tue 3 Nov, 19:30" in local time.
std::string local_date_time(int64_t utc_ms);
// "Tuesday" when within the last six days of now, else "Tue 3 Nov" (local).
std::string local_day(int64_t utc_ms, int64_t now_ms);
// "2026-11-28 19:30" (or with a T) read as local time; nullopt if it isn't one.
std::optional<int64_t> parse_local_time(std::string_view text);

}  // namespace attune::journal
