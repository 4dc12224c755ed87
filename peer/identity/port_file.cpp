#include "identity/port_file.hpp"

#include <sys/stat.h>

#include <spdlog/spdlog.h>

#include <charconv>

#include "identity/private_file.hpp"

namespace attune::identity {

namespace {

// "48123", with at most one trailing newline; nothing else.
std::optional<std::uint16_t> parse_port(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::optional<std::uint16_t> read_port_file(const std::filesystem::path& file) {
  struct stat st {};
  if (::lstat(file.c_str(), &st) != 0) return std::nullopt;  // None kept yet.
  if (S_ISREG(st.st_mode) && st.st_size > 16) {
    spdlog::debug("{} is too large to hold a port; a new port is picked", file.string());
    return std::nullopt;
  }
  const ReadResult read = read_private_file(file);
  if (!read.contents) {
    spdlog::debug("{}; a new port is picked", read.error.empty() ? file.string() + " is gone" : read.error);
    return std::nullopt;
  }
  const auto port = parse_port(*read.contents);
  if (!port) spdlog::debug("{} doesn't hold a port; a new port is picked", file.string());
  return port;
}

std::optional<std::string> write_port_file(const std::filesystem::path& file, std::uint16_t port) {
  return write_private_file(file, std::to_string(port) + "\n");
}

}  // namespace attune::identity
