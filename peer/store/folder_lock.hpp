// One Attune per data folder. The lock is an flock(2) on data_dir/attune.lock,
// taken before anything in the folder is opened or moved, and dropped by the
// kernel when the process ends however it ends (so a crash never leaves a
// stale lock behind). A second process learns at once, in plain words, that
// the folder is taken, instead of SQLite's "database is locked".
#pragma once

#include <filesystem>
#include <string>

#include "store/store.hpp"

namespace attune::store {

// Another Attune process holds this data folder.
class FolderInUseError : public StoreError {
 public:
  explicit FolderInUseError(const std::filesystem::path& data_dir);
  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::filesystem::path folder_;
};

class FolderLock {
 public:
  // Takes the folder's lock; throws FolderInUseError when another process
  // holds it. When the lock file can't be made (a read-only disk), goes on
  // without one: SQLite's own exclusive lock still keeps a second writer out.
  explicit FolderLock(const std::filesystem::path& data_dir);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace attune::store
