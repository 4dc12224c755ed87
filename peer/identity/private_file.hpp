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

// The data folder is its owner's alone: creates `dir` if needed, then makes
// it 0700, and, when it is a folder Attune has used, takes group and other
// permissions off everything in it (older versions left 0644 files in a
// 0755 folder: they become 0600 and 0700). Symbolic links are left alone.
// Returns
// the first problem (e.g. a read-only disk), or nullopt; a problem is worth
// a log line, not a refusal to start.
std::optional<std::string> make_private_tree(const std::filesystem::path& dir);

// Creates `file` empty with mode 0600 if it doesn't exist yet, so a library
// that creates it later (SQLite) finds it private from the start. Leaves an
// existing file alone.
void precreate_private_file(const std::filesystem::path& file);

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
