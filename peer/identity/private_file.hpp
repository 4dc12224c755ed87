// Files only this user may read: written atomically (temp file, fsync,
// rename) with mode 0600 in a 0700 folder, and checked on the way back in.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace attune::identity {

// Creates `dir` (and parents) if needed and makes `dir` itself 0700.
// Returns an error text, or nullopt on success.
std::optional<std::string> ensure_private_dir(const std::filesystem::path& dir);

// Replaces `file` with `contents`, mode 0600, atomically.
std::optional<std::string> write_private_file(const std::filesystem::path& file, const std::string& contents);

struct ReadResult {
  std::optional<std::string> contents;  // nullopt: missing or unreadable (see error).
  std::string error;                    // Empty when the file simply does not exist.
  bool tightened = false;               // Its permissions were too open and were set to 0600.
};

// Reads `file`, refusing one owned by another user and tightening one that
// group or others could read.
ReadResult read_private_file(const std::filesystem::path& file);

}  // namespace attune::identity
