// A TCP socket connected to 127.0.0.1:port with a receive timeout, for tests
// that speak exact bytes to a real host.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>

namespace attune::test {

// The socket (close it yourself), or -1; `connected` says whether connect() succeeded.
inline int connect_loopback(std::uint16_t port, bool& connected, int receive_timeout_s = 5) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  connected = false;
  if (fd < 0) return fd;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{receive_timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  return fd;
}

}  // namespace attune::test
