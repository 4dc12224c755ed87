#include "store/folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace attune::store {

FolderInUseError::FolderInUseError(const std::filesystem::path& data_dir)
    : StoreError("Another Attune is already using this data folder (" + data_dir.string() +
                 "). Close that one first, or give this one a folder of its own with --data-dir."),
      folder_(data_dir) {}

FolderLock::FolderLock(const std::filesystem::path& data_dir) {
  const std::filesystem::path file = data_dir / "attune.lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0) return;
  (void)!::fchmod(fd_, 0600);
  int rc = 0;
  do {
    rc = ::flock(fd_, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc == 0) return;
  const bool taken = errno == EWOULDBLOCK;
  ::close(fd_);
  fd_ = -1;
  if (taken) throw FolderInUseError(data_dir);
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // Closing releases the lock.
}

}  // namespace attune::store
