// A neighbour on the same link records a partner's beacon and sends it
// again from their own address, with a listener on the port inside, hoping
// the other partner's postbox dials them and shows them its pinned proof
// (its device id and key). The beacon seals the address it left from
// (proto/INVITE.md section 2, "A beacon names its sender's address"), so
// the copy doesn't open there: the postbox never dials the neighbour. The
// same copy sent from the partner's own address still opens, which shows
// the test would see a dial if one happened. Loopback only: 127.0.0.1 is
// the partner's machine, 127.0.0.5 the neighbour's.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "invite_partners.hpp"
#include "peer_process.hpp"

namespace attune::test {
namespace {

constexpr const char* kPartnerMachine = "127.0.0.1";
constexpr const char* kNeighbour = "127.0.0.5";

sockaddr_in address_of(const char* ip, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, ip, &addr.sin_addr);
  return addr;
}

// A TCP listener at one address: did anyone dial it?
class Trap {
 public:
  Trap(const char* ip, uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    const sockaddr_in addr = address_of(ip, port);
    ok_ = ::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd_, 4) == 0;
  }
  ~Trap() { ::close(fd_); }
  bool ok() const { return ok_; }
  bool dialed(std::chrono::milliseconds within) const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(within.count())) > 0;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

// Sends a recorded datagram to the beacons' group from one loopback address.
bool send_from(const char* ip, const std::string& datagram, uint16_t group_port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const sockaddr_in self = address_of(ip, 0);
  in_addr lo{};
  lo.s_addr = htonl(INADDR_LOOPBACK);
  const sockaddr_in group = address_of("224.0.0.178", group_port);
  const bool sent =
      ::bind(fd, reinterpret_cast<const sockaddr*>(&self), sizeof self) == 0 &&
      ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &lo, sizeof lo) == 0 &&
      ::sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&group),
               sizeof group) == static_cast<ssize_t>(datagram.size());
  ::close(fd);
  return sent;
}

// Sends `datagram` from `ip` every 200 ms until `trap` is dialed or `for_at_most` passes.
bool replay_until_dialed(const char* ip, const std::string& datagram, uint16_t group_port, const Trap& trap,
                         std::chrono::milliseconds for_at_most) {
  const auto end = std::chrono::steady_clock::now() + for_at_most;
  while (std::chrono::steady_clock::now() < end) {
    EXPECT_TRUE(send_from(ip, datagram, group_port));
    if (trap.dialed(200ms)) return true;
  }
  return false;
}

TEST(InviteProcess, ABeaconSentAgainFromAnotherAddressIsNeverDialed) {
  Partners pp;
  pp.beacon_port = static_cast<uint16_t>(40000 + (::getpid() + 7919) % 20000);
  ASSERT_NO_FATAL_FAILURE(pp.pair());
  BeaconObserver neighbour(pp.beacon_port);
  ASSERT_TRUE(neighbour.ok());

  // The neighbour records one of A's beacons, then A's laptop goes away.
  PeerProcess box_a("box-a", ATTUNE_BINARY, pp.serve_args(pp.a, 0), pp.dir.path() / "box-a.stderr");
  const uint16_t port_a = open_port(box_a);
  ASSERT_NE(port_a, 0);
  const auto heard = neighbour.hear(1, 10s);
  ASSERT_EQ(heard.size(), 1u);
  ASSERT_EQ(neighbour.sources().at(0), kPartnerMachine);
  const std::string recorded = heard.front();
  box_a.kill_hard();  // Reaped: its port is free.

  // B's postbox comes up, knowing no address for A. The neighbour listens
  // on A's port at its own address and sends A's beacon from there.
  PeerProcess box_b("box-b", ATTUNE_BINARY, pp.serve_args(pp.b, 0), pp.dir.path() / "box-b.stderr");
  ASSERT_NE(open_port(box_b), 0);
  Trap at_neighbour(kNeighbour, port_a);
  ASSERT_TRUE(at_neighbour.ok());
  EXPECT_FALSE(replay_until_dialed(kNeighbour, recorded, pp.beacon_port, at_neighbour, 5s))
      << "B's postbox dialed the neighbour who sent A's beacon again\n"
      << box_b.tail();
  EXPECT_EQ(count_events(box_b, "partner_found"), 0) << box_b.tail();

  // The same bytes from A's own address: B takes them as A's and dials A.
  Trap at_partner(kPartnerMachine, port_a);
  ASSERT_TRUE(at_partner.ok());
  EXPECT_TRUE(replay_until_dialed(kPartnerMachine, recorded, pp.beacon_port, at_partner, kWait))
      << box_b.tail();
  EXPECT_TRUE(wait_event(box_b, "partner_found")) << box_b.tail();
  EXPECT_FALSE(at_neighbour.dialed(0ms));
}

}  // namespace
}  // namespace attune::test
