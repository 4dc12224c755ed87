#include "identity/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace attune::identity {
namespace {

std::string errno_text(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

// Closes the descriptor on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::optional<std::string> ensure_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "couldn't create the folder " + dir.string() + ": " + ec.message();
  // Already private: nothing to change (and a read-only disk refuses chmod).
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & 0777) == 0700) return std::nullopt;
  if (::chmod(dir.c_str(), 0700) != 0) return errno_text("couldn't restrict the folder", dir);
  return std::nullopt;
}

namespace {

// Takes group and other permissions off `path` (a 0644 file becomes 0600, a
// 0755 folder 0700); the owner's own bits stay. lstat: links are skipped.
std::optional<std::string> restrict_one(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return errno_text("couldn't look at", path);
  if (S_ISLNK(st.st_mode) || (st.st_mode & 077) == 0) return std::nullopt;
  if (::chmod(path.c_str(), st.st_mode & 0700) != 0) return errno_text("couldn't restrict", path);
  return std::nullopt;
}

// Only a folder Attune has used is walked, so a mistaken --data-dir (say,
// a home folder) never has its files' permissions changed.
bool looks_like_ours(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const char* name : {"attune.db", "attune.lock", "window.json", "identity"})
    if (std::filesystem::exists(dir / name, ec)) return true;
  return false;
}

}  // namespace

std::optional<std::string> make_private_tree(const std::filesystem::path& dir) {
  if (auto problem = ensure_private_dir(dir)) return problem;
  if (!looks_like_ours(dir)) return std::nullopt;
  std::optional<std::string> first;
  std::error_code ec;
  namespace fs = std::filesystem;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    const fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (!fs::is_directory(st) && !fs::is_regular_file(st)) continue;
    if (auto problem = restrict_one(it->path()); problem && !first) first = problem;
  }
  if (ec && !first) first = "couldn't look through " + dir.string() + ": " + ec.message();
  return first;
}

void precreate_private_file(const std::filesystem::path& file) {
  Fd fd{::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
  if (fd.fd >= 0) ::fchmod(fd.fd, 0600);  // The mode given to open() is masked by umask.
}

std::optional<std::string> write_private_file(const std::filesystem::path& file,
                                              const std::string& contents) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  {
    Fd out{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)};
    if (out.fd < 0) return errno_text("couldn't write", tmp);
    // The mode given to open() is masked by umask; set it explicitly.
    if (::fchmod(out.fd, 0600) != 0) return errno_text("couldn't restrict", tmp);
    std::size_t done = 0;
    while (done < contents.size()) {
      const ssize_t n = ::write(out.fd, contents.data() + done, contents.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_text("couldn't write", tmp);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(out.fd) != 0) return errno_text("couldn't save", tmp);
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) return errno_text("couldn't save", file);
  // Make the rename itself durable.
  Fd dir{::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd >= 0) ::fsync(dir.fd);
  return std::nullopt;
}

ReadResult read_private_file(const std::filesystem::path& file) {
  ReadResult result;
  Fd in{::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (in.fd < 0) {
    if (errno != ENOENT) result.error = errno_text("couldn't read", file);
    return result;
  }
  struct stat st {};
  if (::fstat(in.fd, &st) != 0) {
    result.error = errno_text("couldn't read", file);
    return result;
  }
  if (!S_ISREG(st.st_mode)) {
    result.error = file.string() + " is not a regular file";
    return result;
  }
  if (st.st_uid != ::geteuid()) {
    result.error = file.string() + " belongs to another user, so we won't trust it";
    return result;
  }
  if ((st.st_mode & 077) != 0) {
    if (::fchmod(in.fd, 0600) != 0) {
      result.error = errno_text("couldn't restrict", file);
      return result;
    }
    result.tightened = true;
  }
  std::string contents;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(in.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      result.error = errno_text("couldn't read", file);
      return result;
    }
    if (n == 0) break;
    contents.append(buf, static_cast<std::size_t>(n));
    if (contents.size() > (1u << 20)) {
      result.error = file.string() + " is far too large to be ours";
      return result;
    }
  }
  result.contents = std::move(contents);
  return result;
}

}  // namespace attune::identity
