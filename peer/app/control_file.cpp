#include "app/control_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "attune/text.hpp"
#include "wall_clock.hpp"

namespace attune::app {
namespace {

bool plain_text(std::string_view line) {
  if (!is_valid_utf8(line)) return false;
  return std::none_of(line.begin(), line.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b < 0x20 && c != '\t') || b == 0x7f;
  });
}

std::string shown(std::string_view line) {
  std::string text = sanitize_display_text(line.substr(0, 80));
  if (line.size() > 80) text += "...";
  return text;
}

}  // namespace

std::vector<ControlLine> ControlFile::read_new() {
  std::vector<ControlLine> out;
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {  // Not there (yet, or any more): whatever comes back is a new file.
    dev_ = 0;
    ino_ = 0;
    return out;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return out;
  }
  if (st.st_dev != dev_ || st.st_ino != ino_ || st.st_size < offset_) {
    if (offset_ != 0) spdlog::info("control file {} is new or shorter: reading it from the start", path_);
    dev_ = st.st_dev;
    ino_ = st.st_ino;
    offset_ = 0;
    partial_.clear();
    skipping_ = false;
  }
  std::string buf(kReadPerPoll, '\0');
  const ssize_t n = ::pread(fd, buf.data(), buf.size(), offset_);
  ::close(fd);
  if (n <= 0) return out;
  offset_ += n;
  take(std::string_view(buf.data(), static_cast<std::size_t>(n)), out);
  return out;
}

void ControlFile::take(std::string_view chunk, std::vector<ControlLine>& out) {
  while (!chunk.empty()) {
    const auto nl = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, nl);
    if (!skipping_) partial_.append(piece);
    if (nl == std::string_view::npos) break;
    chunk.remove_prefix(nl + 1);
    if (skipping_) {
      skipping_ = false;  // The end of the line already reported as too long.
      partial_.clear();
      continue;
    }
    finish_line(out);
  }
  if (!skipping_ && partial_.size() > kMaxLine) {  // No newline in sight: refuse it now.
    out.push_back({shown(partial_), "longer than " + std::to_string(kMaxLine) + " bytes"});
    partial_.clear();
    skipping_ = true;
  }
}

void ControlFile::finish_line(std::vector<ControlLine>& out) {
  std::string line = std::move(partial_);
  partial_.clear();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return;
  if (line.size() > kMaxLine)
    out.push_back({shown(line), "longer than " + std::to_string(kMaxLine) + " bytes"});
  else if (!plain_text(line))
    out.push_back({shown(line), "not plain text"});
  else
    out.push_back({std::move(line), ""});
}

bool move_session_clock(std::string_view arg) {
  if (arg.size() < 2 || arg.size() > 5 || arg[0] != '+') return false;
  int64_t seconds = 0;
  const char* end = arg.data() + arg.size();
  const auto [ptr, ec] = std::from_chars(arg.data() + 1, end, seconds);
  if (ec != std::errc() || ptr != end || arg[1] == '-' || seconds > 3'600) return false;
  auto& shift = session_clock_shift_ms();
  int64_t now = shift.load();
  do {
    if (now + seconds * 1000 > kMaxClockShiftMs) return false;
  } while (!shift.compare_exchange_weak(now, now + seconds * 1000));
  return true;
}

bool usable_shot_name(std::string_view name) {
  if (name.empty() || name.size() > 100 || name.front() == '.' || name.back() == '.') return false;
  if (name.find("..") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

}  // namespace attune::app
