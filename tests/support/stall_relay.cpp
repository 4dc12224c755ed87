#include "stall_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace attune::test {

namespace {
sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  return addr;
}
}  // namespace

StallRelay::StallRelay() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto addr = loopback(0);
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 8) != 0) {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    throw std::runtime_error("the test relay could not listen on loopback");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

StallRelay::~StallRelay() {
  stop_ = true;
  thread_.join();
  for (auto& [a, b] : pairs_) {
    ::close(a);
    ::close(b);
  }
  ::close(listen_fd_);
}

void StallRelay::stall() {
  stalled_ = true;
  std::unique_lock lock(mutex_);
  if (!seen_.wait_for(lock, std::chrono::seconds(5), [this] { return stall_seen_; })) {
    throw std::runtime_error("the test relay did not stop");
  }
}
void StallRelay::refuse() {
  refusing_ = true;
  std::unique_lock lock(mutex_);
  if (!seen_.wait_for(lock, std::chrono::seconds(5), [this] { return refuse_seen_; })) {
    throw std::runtime_error("the test relay did not turn connections away");
  }
}

void StallRelay::resume() {
  refusing_ = false;
  stalled_ = false;
}

// Closes what is relayed and, for a short poll, accepts and closes at once.
void StallRelay::turn_away() {
  for (auto& [a, b] : pairs_) {
    ::close(a);
    ::close(b);
  }
  pairs_.clear();
  {
    std::lock_guard lock(mutex_);
    refuse_seen_ = true;
  }
  seen_.notify_all();
  pollfd listening{listen_fd_, POLLIN, 0};
  if (::poll(&listening, 1, 20) <= 0) return;
  const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (client >= 0) ::close(client);
}

int StallRelay::connect_target() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && rotate_) {
    auto source = loopback(0);
    source.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + static_cast<uint32_t>(accepted_ % 250));
    (void)::bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source);
  }
  auto addr = loopback(target_port_);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

// One thread polling with a short timeout, so stall/stop are seen promptly.
// While stalled nothing is read or accepted: both ends' bytes stay queued
// and neither side learns anything, not even that the other closed.
void StallRelay::run() {
  char buffer[16 * 1024];
  while (!stop_) {
    if (refusing_) {
      turn_away();
      continue;
    }
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    const bool stalled = stalled_;
    {
      std::lock_guard lock(mutex_);
      stall_seen_ = stalled;
      refuse_seen_ = false;
    }
    seen_.notify_all();
    if (!stalled) {
      for (auto& [a, b] : pairs_) {
        fds.push_back({a, POLLIN, 0});
        fds.push_back({b, POLLIN, 0});
      }
    }
    if (stalled) {
      ::poll(nullptr, 0, 20);
      continue;
    }
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      const int upstream = client >= 0 ? connect_target() : -1;
      if (upstream >= 0) {
        pairs_.emplace_back(client, upstream);
        ++accepted_;
      } else if (client >= 0) {
        ::close(client);
      }
    }
    std::vector<std::size_t> done;
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const std::size_t pair_index = (i - 1) / 2;
      auto& pair = pairs_[pair_index];
      const int from = fds[i].fd;
      const int to = from == pair.first ? pair.second : pair.first;
      const ssize_t n = ::recv(from, buffer, sizeof buffer, 0);
      if (n <= 0) {
        // One end closed: close both, as a real connection would end.
        done.push_back(pair_index);
        continue;
      }
      (void)!::send(to, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL);
    }
    // Remove ended pairs, highest index first; a pair may be listed twice.
    for (auto it = done.rbegin(); it != done.rend(); ++it) {
      if (*it >= pairs_.size() || pairs_[*it].first < 0) continue;
      ::close(pairs_[*it].first);
      ::close(pairs_[*it].second);
      pairs_[*it] = {-1, -1};
    }
    std::erase_if(pairs_, [](const auto& p) { return p.first < 0; });
  }
}

}  // namespace attune::test
