#include "journal/local_time.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace attune::journal {

namespace {

// utc_ms as text in this device's zone (or in UTC).
std::string format(int64_t utc_ms, const char* pattern, bool in_utc = false) {
  const std::time_t t = static_cast<std::time_t>(utc_ms / 1000);
  std::tm tm{};
  if (in_utc)
    gmtime_r(&t, &tm);
  else
    localtime_r(&t, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

}  // namespace

std::string utc_iso(int64_t utc_ms) { return format(utc_ms, "%Y-%m-%dT%H:%M:%SZ", true); }

std::string local_date_time(int64_t utc_ms) { return format(utc_ms, "%a %-d %b, %H:%M"); }

std::string local_day(int64_t utc_ms, int64_t now_ms) {
  constexpr int64_t kDay = 24LL * 60 * 60 * 1000;
  if (now_ms - utc_ms < 6 * kDay && now_ms >= utc_ms) return format(utc_ms, "%A");
  return format(utc_ms, "%a %-d %b");
}

std::optional<int64_t> parse_local_time(std::string_view text) {
  if (text.size() != 16 || (text[10] != ' ' && text[10] != 'T')) return std::nullopt;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  char sep = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2d%c%2d:%2d", &year, &month, &day, &sep, &hour, &minute) != 6)
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || hour < 0 || minute < 0)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_isdst = -1;  // Let the zone say whether summer time applies.
  const std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1) || tm.tm_mday != day) return std::nullopt;  // e.g. 31 February.
  return static_cast<int64_t>(t) * 1000;
}

}  // namespace attune::journal
