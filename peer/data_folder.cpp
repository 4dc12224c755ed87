#include "data_folder.hpp"

#include <cstdlib>

namespace attune {

namespace {

std::optional<std::filesystem::path> absolute_from(const char* value) {
  if (value == nullptr || *value == '\0') return std::nullopt;
  std::filesystem::path path(value);
  if (!path.is_absolute()) return std::nullopt;
  return path;
}

}  // namespace

std::optional<std::filesystem::path> default_data_folder(const char* xdg_data_home, const char* home) {
  if (auto xdg = absolute_from(xdg_data_home)) return *xdg / "attune";
  if (auto dir = absolute_from(home)) return *dir / ".local" / "share" / "attune";
  return std::nullopt;
}

std::optional<std::filesystem::path> data_folder(const std::string& chosen) {
  if (!chosen.empty()) return std::filesystem::path(chosen);
  return default_data_folder(std::getenv("XDG_DATA_HOME"), std::getenv("HOME"));
}

std::string no_data_folder_message() {
  return "We don't know where to keep this device's data: neither HOME nor XDG_DATA_HOME is set to a "
         "full path. Please choose a folder for it with --data-dir, for example --data-dir /home/you/attune.";
}

}  // namespace attune
