// What a neighbour on the same Wi-Fi hears from a hosting window app: the
// real NetLauncher hosts a real node and announces it (loopback only, on a
// group port of this test's own), while a plain multicast socket records
// every datagram. The beacons must name nobody (no person, no session
// name), count the free seats truly, and stop once the session has begun.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/net_launcher.hpp"
#include "attune/discovery/nearby_label.hpp"
#include "attune/discovery/packet_codec.hpp"
#include "attune/intents.hpp"
#include "launcher_support.hpp"

namespace attune::app {
namespace {

using namespace std::chrono_literals;

constexpr const char* kGroup = "224.0.0.177";

using test::TempDir;
using test::wait_for;

// A group port of this run's own, so parallel tests never hear each other.
uint16_t test_group_port() { return static_cast<uint16_t>(41000 + (::getpid() % 20000)); }

// A neighbour's ear: joins the group on loopback and keeps every datagram.
class Listener {
 public:
  explicit Listener(uint16_t port) : port_(port) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    ip_mreq join{};
    ::inet_pton(AF_INET, kGroup, &join.imr_multiaddr);
    join.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
          ::setsockopt(fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) == 0;
    in_addr lo{};
    lo.s_addr = htonl(INADDR_LOOPBACK);
    ::setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_IF, &lo, sizeof lo);
  }
  ~Listener() { ::close(fd_); }
  bool ok() const { return ok_; }

  // Reads until `done` accepts the datagrams so far or `limit` passes;
  // returns whether `done` said yes.
  bool read_until(const std::function<bool(const std::vector<std::string>&)>& done,
                  std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done(heard)) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[2048];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) heard.emplace_back(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  // Asks every host nearby to answer at once, as a browser opening its list does.
  void query() {
    const std::string q = discovery::encode_query(0x5eed);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port_);
    ::inet_pton(AF_INET, kGroup, &to.sin_addr);
    (void)!::sendto(fd_, q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }

  std::vector<std::string> heard;

 private:
  uint16_t port_;
  int fd_ = -1;
  bool ok_ = false;
};

std::vector<discovery::v1::Beacon> beacons_in(const std::vector<std::string>& datagrams,
                                              std::size_t from = 0) {
  std::vector<discovery::v1::Beacon> out;
  for (std::size_t i = from; i < datagrams.size(); ++i) {
    const auto d = discovery::decode_packet(datagrams[i]);
    if (d.outcome == discovery::DecodeOutcome::Beacon) out.push_back(d.packet.beacon());
  }
  return out;
}

bool has_goodbye(const std::vector<std::string>& datagrams, std::size_t from) {
  for (std::size_t i = from; i < datagrams.size(); ++i) {
    if (discovery::decode_packet(datagrams[i]).outcome == discovery::DecodeOutcome::Goodbye) return true;
  }
  return false;
}

// Discovery on loopback only, IPv4, on this run's own group port.
discovery::ChannelOptions loopback_channel() {
  discovery::ChannelOptions channel;
  channel.port = test_group_port();
  channel.use_v6 = false;
  channel.only_loopback = true;
  return channel;
}

TEST(BeaconPrivacy, AHostingWindowNamesNobodyCountsSeatsAndFallsSilentOnceBegun) {
  Listener ear(test_group_port());
  ASSERT_TRUE(ear.ok()) << "can't join the multicast group on loopback here";
  TempDir a, b, c;
  NetLauncher host_side({a.path, "127.0.0.1", 0, true}, loopback_channel());
  NetLauncher join_side({b.path, "127.0.0.1", 0, false});
  // Another window on the same network, browsing.
  NetLauncher neighbour({c.path, "127.0.0.1", 0, true}, loopback_channel());
  std::string error;
  auto host =
      host_side.host(HostRequest{"Alexandrina", "Our fight about money", v1::ROLE_PARTNER_A, {}}, &error);
  ASSERT_TRUE(host) << error;
  ASSERT_TRUE(wait_for(*host, [&](const NodeView&) { return !host_side.pairing_code().empty(); }));

  // The start burst: at least two beacons.
  ASSERT_TRUE(ear.read_until([](const auto& h) { return beacons_in(h).size() >= 2; }, 5s))
      << "no beacons heard on loopback (" << ear.heard.size() << " datagrams)";
  const auto first = beacons_in(ear.heard).front();
  EXPECT_EQ(first.session_name(), "");
  EXPECT_EQ(first.host_name(), "");
  EXPECT_EQ(first.open_seats(), 3u) << "the other partner's seat and two coach seats are free";
  // The host's screen shows the same tag a neighbour's list does.
  const std::string tag = host_side.nearby_tag();
  EXPECT_EQ(tag, discovery::nearby_tag(first.instance_id()));
  EXPECT_EQ(tag.size(), 4u);

  // The neighbour's start screen lists the session by that tag and seat count only.
  std::vector<NearbySession> seen;
  for (auto deadline = std::chrono::steady_clock::now() + 5s;
       seen.empty() && std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms)) {
    seen = neighbour.nearby();
  }
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].tag, tag);
  EXPECT_EQ(seen[0].open_seats, 3u);

  // Sam joins: the next beacon (sent at once) says two seats are free.
  auto partner = join_side.join(JoinRequest{"Samwise", host_side.invite(), "", v1::ROLE_PARTNER_B}, &error);
  ASSERT_TRUE(partner) << error;
  ASSERT_TRUE(wait_for(*host, [](const NodeView& s) { return s.state.participants_size() == 2; }));
  EXPECT_TRUE(ear.read_until(
      [](const auto& h) {
        const auto all = beacons_in(h);
        return !all.empty() && all.back().open_seats() == 2;
      },
      5s))
      << "the seat count did not follow the join";

  // Sam is let in, both are ready: the session begins and the beacons stop.
  ASSERT_NO_FATAL_FAILURE(test::admit_and_begin(*host, *partner));
  std::size_t mark = ear.heard.size();
  EXPECT_TRUE(ear.read_until([&](const auto& h) { return has_goodbye(h, mark); }, 5s))
      << "no goodbye once the session began";
  EXPECT_EQ(host_side.nearby_tag(), "") << "nothing is announced any more";
  // A browser asking now gets no answer: a running announcer answers within 20 ms.
  mark = ear.heard.size();
  ear.query();
  ear.read_until([](const auto&) { return false; }, 1500ms);
  EXPECT_TRUE(beacons_in(ear.heard, mark).empty()) << "a beacon after the session began";

  // Nothing anyone heard held a name, the session's name, or the code.
  const std::string code = host_side.pairing_code();
  for (const std::string& datagram : ear.heard) {
    for (const std::string secret : {"Alexandrina", "Samwise", "Our fight", "money", "session"}) {
      EXPECT_EQ(datagram.find(secret), std::string::npos) << "'" << secret << "' was multicast";
    }
    if (!code.empty()) {
      EXPECT_EQ(datagram.find(code), std::string::npos);
    }
  }
}

// A full lobby falls silent; when someone leaves it, a seat is free again
// and the session is announced again, with the right count, under a new tag
// that a neighbour who heard the goodbye lists at once (browsers ignore an
// id for 30 s after its goodbye).
TEST(BeaconPrivacy, AFullLobbyIsAnnouncedAgainOnceASeatFrees) {
  Listener ear(test_group_port());
  ASSERT_TRUE(ear.ok()) << "can't join the multicast group on loopback here";
  TempDir a, b, c, d, e;
  NetLauncher host_side({a.path, "127.0.0.1", 0, true}, loopback_channel());
  std::string error;
  auto host = host_side.host(HostRequest{"Alex", "", v1::ROLE_PARTNER_A, {}}, &error);
  ASSERT_TRUE(host) << error;
  ASSERT_TRUE(wait_for(*host, [&](const NodeView&) { return !host_side.pairing_code().empty(); }));
  const std::string tag = host_side.nearby_tag();
  ASSERT_EQ(tag.size(), 4u);
  // Another window nearby, browsing, lists the session.
  NetLauncher neighbour({e.path, "127.0.0.1", 0, true}, loopback_channel());
  const auto wait_listed = [&neighbour](bool want, const std::string& which) {
    const auto listed = [&] {
      for (const auto& s : neighbour.nearby())
        if (s.tag == which) return true;
      return false;
    };
    for (auto deadline = std::chrono::steady_clock::now() + 5s;
         listed() != want && std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms)) {
    }
    return listed() == want;
  };
  ASSERT_TRUE(wait_listed(true, tag)) << "the window nearby never listed the session";
  // Sam and two coaches take every seat.
  NetLauncher sam_side({b.path, "127.0.0.1", 0, false}), robin_side({c.path, "127.0.0.1", 0, false}),
      kim_side({d.path, "127.0.0.1", 0, false});
  const std::string invite = host_side.invite();
  auto sam = sam_side.join(JoinRequest{"Sam", invite, "", v1::ROLE_PARTNER_B}, &error);
  ASSERT_TRUE(sam) << error;
  auto robin = robin_side.join(JoinRequest{"Robin", invite, "", v1::ROLE_COACH}, &error);
  ASSERT_TRUE(robin) << error;
  auto kim = kim_side.join(JoinRequest{"Kim", invite, "", v1::ROLE_COACH}, &error);
  ASSERT_TRUE(kim) << error;
  ASSERT_TRUE(wait_for(*host, [](const NodeView& s) { return s.state.participants_size() == 4; }));
  std::size_t mark = 0;
  EXPECT_TRUE(ear.read_until([&](const auto& h) { return has_goodbye(h, mark); }, 5s)) << "no goodbye once full";
  EXPECT_EQ(host_side.nearby_tag(), "");
  // The window nearby heard that goodbye: the session leaves its list.
  EXPECT_TRUE(wait_listed(false, tag)) << "a full session is still listed nearby";

  // Kim leaves the lobby: one seat is free, and the session is heard again.
  ASSERT_TRUE(wait_for(*kim, [](const NodeView& s) { return s.link == LinkState::Connected; }));
  mark = ear.heard.size();
  kim->send(intents::leave());
  ASSERT_TRUE(wait_for(*host, [](const NodeView& s) { return s.state.participants_size() == 3; }));
  EXPECT_TRUE(ear.read_until(
      [&](const auto& h) {
        const auto again = beacons_in(h, mark);
        return !again.empty() && again.back().open_seats() == 1;
      },
      5s))
      << "the session wasn't announced again when a seat freed";
  const auto again = beacons_in(ear.heard, mark);
  ASSERT_FALSE(again.empty());
  const std::string new_tag = discovery::nearby_tag(again.back().instance_id());
  EXPECT_NE(new_tag, tag) << "a comeback under the old id stays hidden from browsers that heard its goodbye";
  EXPECT_EQ(host_side.nearby_tag(), new_tag) << "the host's lobby doesn't show the tag the others see";
  EXPECT_TRUE(wait_listed(true, new_tag)) << "the window nearby doesn't list the session again once a seat freed";
}

}  // namespace
}  // namespace attune::app
