// Splits headless stdin into lines, whole lines only. A line longer than
// kMaxLineBytes is dropped entirely, up to and including its newline: no
// part of it runs as a command, however the bytes arrive.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace attune::cli {

inline constexpr std::size_t kMaxLineBytes = 64 * 1024;

class LineReader {
 public:
  // Calls on_line(line) -> bool for each complete line (false: stop reading,
  // and feed returns false) and on_too_long() once per over-long line.
  template <typename OnLine, typename OnTooLong>
  bool feed(std::string_view bytes, OnLine&& on_line, OnTooLong&& on_too_long) {
    while (!bytes.empty()) {
      const auto newline = bytes.find('\n');
      const std::string_view part = bytes.substr(0, newline);
      bytes = newline == std::string_view::npos ? std::string_view{} : bytes.substr(newline + 1);
      if (!discarding_) {
        if (pending_.size() + part.size() > kMaxLineBytes) {
          on_too_long();
          pending_.clear();
          discarding_ = true;
        } else {
          pending_.append(part);
        }
      }
      if (newline == std::string_view::npos) break;
      // The line ends here: an over-long one is over, the next starts clean.
      if (discarding_) {
        discarding_ = false;
        continue;
      }
      const std::string line = std::move(pending_);
      pending_.clear();
      if (!on_line(std::string_view(line))) return false;
    }
    return true;
  }

  // Input ended: a last line without a newline still counts, unless it was
  // the tail of an over-long one.
  template <typename OnLine, typename OnTooLong>
  void finish(OnLine&& on_line, OnTooLong&&) {
    if (!discarding_ && !pending_.empty()) on_line(std::string_view(pending_));
    pending_.clear();
    discarding_ = false;
  }

 private:
  std::string pending_;
  bool discarding_ = false;
};

}  // namespace attune::cli
