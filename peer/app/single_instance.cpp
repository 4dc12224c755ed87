#include "app/single_instance.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace attune::app {

namespace {

namespace fs = std::filesystem;

constexpr char kRaise[] = "raise\n";
constexpr char kDone[] = "ok\n";
constexpr int kAnswerWaitMs = 2000;

bool socket_address(const fs::path& path, sockaddr_un& addr) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  const std::string text = path.string();
  if (text.size() >= sizeof addr.sun_path) return false;  // Too deep a folder: lock only, no forwarding.
  std::memcpy(addr.sun_path, text.c_str(), text.size() + 1);
  return true;
}

// Reads until want arrives, the peer closes, or the deadline passes.
bool read_word(int fd, const char* want, int wait_ms) {
  std::string got;
  const std::size_t size = std::strlen(want);
  while (got.size() < size) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, wait_ms) <= 0) return false;
    char buf[16];
    const ssize_t n = ::read(fd, buf, std::min(sizeof buf, size - got.size()));
    if (n <= 0) return false;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got == want;
}

bool ask_to_raise(const fs::path& socket_path) {
  sockaddr_un addr{};
  if (!socket_address(socket_path, addr)) return false;
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 &&
            ::send(fd, kRaise, sizeof kRaise - 1, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof kRaise - 1) &&
            read_word(fd, kDone, kAnswerWaitMs);
  ::close(fd);
  return ok;
}

int listen_on(const fs::path& socket_path) {
  sockaddr_un addr{};
  if (!socket_address(socket_path, addr)) return -1;
  ::unlink(socket_path.c_str());  // We hold the lock: any file there is a leftover.
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // Only this user may ask: the socket is created private, inside a private folder.
  const mode_t old_mask = ::umask(0077);
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  ::umask(old_mask);
  if (!bound || ::listen(fd, 4) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

std::unique_ptr<SingleInstance> SingleInstance::claim(const fs::path& data_dir,
                                                      std::function<void()> on_raise, Outcome* outcome) {
  const fs::path lock_path = data_dir / "window.lock";
  const fs::path socket_path = data_dir / "window.sock";
  const int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd >= 0 && ::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd);
    *outcome = ask_to_raise(socket_path) ? Outcome::Forwarded : Outcome::Busy;
    return nullptr;
  }
  // No lock file at all (read-only folder, say): open anyway; the session's
  // own store still keeps a second process off the session file.
  *outcome = Outcome::First;
  std::unique_ptr<SingleInstance> self(new SingleInstance());
  self->lock_fd_ = lock_fd;
  self->on_raise_ = std::move(on_raise);
  self->listen_fd_ = lock_fd >= 0 ? listen_on(socket_path) : -1;
  if (self->listen_fd_ >= 0 && ::pipe2(self->wake_, O_CLOEXEC) == 0) {
    self->socket_path_ = socket_path;
    self->thread_ = std::thread([s = self.get()] { s->listen_loop(); });
  }
  return self;
}

void SingleInstance::listen_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    if (read_word(fd, kRaise, kAnswerWaitMs)) {
      raise_ = true;
      if (on_raise_) on_raise_();
      (void)!::send(fd, kDone, sizeof kDone - 1, MSG_NOSIGNAL);
    }
    ::close(fd);
  }
}

SingleInstance::~SingleInstance() {
  if (thread_.joinable()) {
    (void)!::write(wake_[1], "x", 1);
    thread_.join();
  }
  for (const int fd : {wake_[0], wake_[1], listen_fd_}) {
    if (fd >= 0) ::close(fd);
  }
  if (!socket_path_.empty()) ::unlink(socket_path_.c_str());
  if (lock_fd_ >= 0) ::close(lock_fd_);  // Releases the lock; the file stays (unlinking races).
}

std::string SingleInstance::message(Outcome outcome, const fs::path& data_dir) {
  switch (outcome) {
    case Outcome::First:
      return {};
    case Outcome::Forwarded:
      return "Attune is already open for this data folder, so its window was brought to the front.";
    case Outcome::Busy:
      return "Attune is already open for this data folder (" + data_dir.string() +
             "), but its window didn't answer. Close that Attune first, or open a separate one with "
             "--data-dir.";
  }
  return {};
}

}  // namespace attune::app
