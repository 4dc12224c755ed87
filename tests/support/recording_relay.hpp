// A loopback TCP relay that records every byte it forwards, in both
// directions: what an eavesdropper on the path would capture. Used by the
// wire privacy tests (tests/peer/net/wire_privacy_test.cpp,
// tests/peer/invite/invite_process_test.cpp).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace attune::test {

// Forwards loopback connections to the host and keeps a copy of all bytes.
class RecordingRelay {
 public:
  explicit RecordingRelay(uint16_t target_port) : target_port_(target_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // Ephemeral.
    ok_ = ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
          ::listen(listen_fd_, 8) == 0;
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~RecordingRelay() {
    stop_ = true;
    thread_.join();
    for (const auto& pair : pairs_) {
      ::close(pair.client);
      ::close(pair.upstream);
    }
    ::close(listen_fd_);
  }
  bool ok() const { return ok_; }
  uint16_t port() const { return port_; }
  // Both directions, one after the other.
  std::string recorded() const {
    std::lock_guard lock(mutex_);
    return to_host_ + from_host_;
  }
  std::string to_host() const {
    std::lock_guard lock(mutex_);
    return to_host_;
  }
  std::string from_host() const {
    std::lock_guard lock(mutex_);
    return from_host_;
  }

 private:
  int connect_target() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(target_port_);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  // One thread, poll with a short timeout, so stop_ is seen promptly. A side
  // that closed is no longer polled (it would report POLLHUP forever).
  void run() {
    char buffer[16 * 1024];
    while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      std::vector<std::pair<std::size_t, bool>> owners;  // (pair, from client?)
      for (std::size_t p = 0; p < pairs_.size(); ++p) {
        if (!pairs_[p].client_done) {
          fds.push_back({pairs_[p].client, POLLIN, 0});
          owners.emplace_back(p, true);
        }
        if (!pairs_[p].upstream_done) {
          fds.push_back({pairs_[p].upstream, POLLIN, 0});
          owners.emplace_back(p, false);
        }
      }
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        const int client = ::accept(listen_fd_, nullptr, nullptr);
        const int upstream = client >= 0 ? connect_target() : -1;
        if (upstream >= 0) {
          pairs_.push_back({client, upstream});
        } else if (client >= 0) {
          ::close(client);
        }
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        auto& pair = pairs_[owners[i - 1].first];
        const bool from_client = owners[i - 1].second;
        const int to = from_client ? pair.upstream : pair.client;
        const ssize_t n = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
          ::shutdown(to, SHUT_WR);
          (from_client ? pair.client_done : pair.upstream_done) = true;
          continue;
        }
        {
          std::lock_guard lock(mutex_);
          (from_client ? to_host_ : from_host_).append(buffer, static_cast<std::size_t>(n));
        }
        (void)!::send(to, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL);
      }
    }
  }

  struct Pair {
    int client;
    int upstream;
    bool client_done = false;
    bool upstream_done = false;
  };

  uint16_t target_port_;
  int listen_fd_ = -1;
  bool ok_ = false;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<Pair> pairs_;  // Relay thread only.
  mutable std::mutex mutex_;
  std::string to_host_;
  std::string from_host_;
  std::thread thread_;
};

}  // namespace attune::test
