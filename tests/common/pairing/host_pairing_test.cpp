// The host side as the transport will drive it: many connections, the
// policy applied, pins learned, and wrong guesses kept away from everyone else.
#include "attune/pairing/host_pairing.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_random.hpp"

namespace attune::pairing {
namespace {

using namespace std::chrono_literals;
using crypto::DeviceIdentity;

const TimePoint kStart = from_ms(1'700'000'000'000);

DeviceIdentity make_device(const std::string& id) {
  crypto::Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return DeviceIdentity(id, seed);
}

// One joiner's connection to the host, stepped by hand.
struct Attempt {
  ConnectionId id;
  JoinerHandshake client;
  HandshakeStep last_client;
  HandshakeStep last_host;
};

class HostPairingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::init_crypto());
    code = host.policy().open_code(2, kStart);
    host.policy().take_events();
  }

  // Connects and sends ClientHello; returns false if refused at the door.
  bool connect(Attempt& a, const std::string& source, TimePoint now) {
    if (auto refusal = host.on_connect(a.id, source, now)) {
      a.last_client = a.client.receive(*refusal);
      return false;
    }
    a.last_host = host.on_message(a.id, a.client.hello(), now);
    if (!a.last_host.send) return false;
    a.last_client = a.client.receive(*a.last_host.send);
    return a.last_client.send.has_value();
  }

  // Sends ClientFinish and delivers the host's answer.
  void finish(Attempt& a, TimePoint now) {
    a.last_host = host.on_message(a.id, *a.last_client.send, now);
    ASSERT_TRUE(a.last_host.send);
    a.last_client = a.client.receive(*a.last_host.send);
  }

  Attempt with_code(ConnectionId id, const DeviceIdentity& device, const std::string& typed) {
    return Attempt{id, JoinerHandshake::with_code(device, typed, test::test_random()), {}, {}};
  }

  DeviceIdentity host_device = make_device("host");
  HostPairing host{host_device, PairingPolicyConfig{}, test::test_random()};
  std::string code;
  DeviceIdentity partner = make_device("partner-b");
};

TEST_F(HostPairingTest, PairingWithTheCodePinsTheNewDevice) {
  Attempt a = with_code(1, partner, code);
  ASSERT_TRUE(connect(a, "192.0.2.20", kStart));
  finish(a, kStart + 1s);
  ASSERT_TRUE(a.last_host.success);
  ASSERT_TRUE(a.last_client.success);
  EXPECT_EQ(host.pinned().at("partner-b"), partner.public_key());
  EXPECT_EQ(host.pending(), 0u);
  EXPECT_EQ(host.policy().free_seats(), 2);  // Pairing takes no seat; joining does.

  // And later it comes back without a code.
  Attempt back{
      2, JoinerHandshake::with_pin(partner, host_device.peer_identity(), test::test_random()), {}, {}};
  ASSERT_TRUE(connect(back, "192.0.2.20", kStart + 1h));
  finish(back, kStart + 1h);
  EXPECT_TRUE(back.last_client.success);
}

TEST_F(HostPairingTest, WrongGuessesRotateTheCodeButLeaveOthersAlone) {
  // A paired coach reconnects while someone guesses codes from many addresses.
  DeviceIdentity coach = make_device("coach");
  Attempt coach_pairing = with_code(100, coach, code);
  ASSERT_TRUE(connect(coach_pairing, "192.0.2.30", kStart));
  finish(coach_pairing, kStart);
  ASSERT_TRUE(coach_pairing.last_host.success);
  crypto::SecureChannel coach_side(coach_pairing.last_client.success->keys);
  crypto::SecureChannel host_side(coach_pairing.last_host.success->keys);

  DeviceIdentity mallory = make_device("mallory");
  const std::string wrong = code == "000000" ? "000001" : "000000";
  for (ConnectionId i = 0; i < 5; ++i) {
    Attempt guess = with_code(10 + i, mallory, wrong);
    ASSERT_TRUE(connect(guess, "198.51.100." + std::to_string(i), kStart + 1s));
    finish(guess, kStart + 1s);
    EXPECT_EQ(guess.last_host.error, HandshakeError::WrongCode);
    EXPECT_EQ(guess.last_client.error, HandshakeError::WrongCode);
  }
  const auto events = host.policy().take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PolicyEventKind::CodeRotated);
  EXPECT_NE(events[0].code, code);

  // The running channel did not notice anything.
  const auto opened = host_side.open(coach_side.seal(crypto::as_bytes("still here")));
  EXPECT_TRUE(opened.ok());
  // The coach can still reconnect with its pinned key.
  Attempt reconnect{
      200, JoinerHandshake::with_pin(coach, host_device.peer_identity(), test::test_random()), {}, {}};
  ASSERT_TRUE(connect(reconnect, "192.0.2.30", kStart + 2s));
  finish(reconnect, kStart + 2s);
  EXPECT_TRUE(reconnect.last_client.success);

  // The old code no longer works; the new one does.
  Attempt old_code = with_code(300, partner, code);
  ASSERT_TRUE(connect(old_code, "192.0.2.20", kStart + 3s));
  finish(old_code, kStart + 3s);
  EXPECT_EQ(old_code.last_client.error, HandshakeError::WrongCode);
  Attempt new_code = with_code(301, partner, events[0].code);
  ASSERT_TRUE(connect(new_code, "192.0.2.20", kStart + 4s));
  finish(new_code, kStart + 4s);
  EXPECT_TRUE(new_code.last_client.success);
}

TEST_F(HostPairingTest, RightGuessRacingARotationIsNotJudged) {
  // Six attempts start with the same code; five wrong ones finish first and
  // rotate it. The sixth has the right (old) code but is turned away without
  // being judged, so it learns nothing and a guesser gets only five tries.
  DeviceIdentity mallory = make_device("mallory");
  Attempt lucky = with_code(50, mallory, code);
  ASSERT_TRUE(connect(lucky, "203.0.113.50", kStart));
  const std::string wrong = code == "000000" ? "000001" : "000000";
  for (ConnectionId i = 0; i < 5; ++i) {
    Attempt guess = with_code(60 + i, mallory, wrong);
    ASSERT_TRUE(connect(guess, "203.0.113." + std::to_string(i), kStart));
    finish(guess, kStart);
  }
  finish(lucky, kStart);
  EXPECT_EQ(lucky.last_host.error, HandshakeError::CodeExpired);
  EXPECT_EQ(lucky.last_client.error, HandshakeError::CodeExpired);
  EXPECT_EQ(host.pinned().count("mallory"), 0u);
}

TEST_F(HostPairingTest, RepeatedTriesFromOneAddressAreSlowedDown) {
  DeviceIdentity mallory = make_device("mallory");
  const std::string wrong = code == "000000" ? "000001" : "000000";
  int refused_at_door = 0;
  for (ConnectionId i = 0; i < 8; ++i) {
    Attempt guess = with_code(i, mallory, wrong);
    if (!connect(guess, "198.51.100.7", kStart)) {
      ++refused_at_door;
      EXPECT_EQ(guess.last_client.error, HandshakeError::RateLimited);
      EXPECT_GT(guess.last_client.retry_after_seconds, 0u);
      continue;
    }
    finish(guess, kStart);
  }
  EXPECT_EQ(refused_at_door, 3);
}

TEST_F(HostPairingTest, DevicesThatProveThemselvesAreNeverSlowedDown) {
  // Partner B pairs, then its link keeps dropping: twenty reconnects in one
  // second from the address it shares (NAT, VPN) with whoever else is there.
  Attempt pairing = with_code(1, partner, code);
  ASSERT_TRUE(connect(pairing, "192.0.2.20", kStart));
  finish(pairing, kStart);
  ASSERT_TRUE(pairing.last_client.success);
  for (ConnectionId i = 0; i < 20; ++i) {
    Attempt again{
        10 + i, JoinerHandshake::with_pin(partner, host_device.peer_identity(), test::test_random()), {}, {}};
    ASSERT_TRUE(connect(again, "192.0.2.20", kStart + 1s)) << "reconnect " << i << " was turned away";
    finish(again, kStart + 1s);
    EXPECT_TRUE(again.last_client.success) << "reconnect " << i;
  }
  // Someone guessing from that same address still gets only five tries.
  DeviceIdentity mallory = make_device("mallory");
  const std::string wrong = code == "000000" ? "000001" : "000000";
  int judged = 0;
  for (ConnectionId i = 0; i < 8; ++i) {
    Attempt guess = with_code(100 + i, mallory, wrong);
    if (!connect(guess, "192.0.2.20", kStart + 1s)) {
      EXPECT_EQ(guess.last_client.error, HandshakeError::RateLimited);
      continue;
    }
    finish(guess, kStart + 1s);
    EXPECT_EQ(guess.last_client.error, HandshakeError::WrongCode);
    ++judged;
  }
  EXPECT_EQ(judged, 5);
}

// Behind one address (NAT, VPN) with someone who used up its code tries,
// a paired device still gets straight in: only code attempts are counted.
TEST_F(HostPairingTest, APairedDeviceBehindAGuessersAddressIsNeverSlowedDown) {
  Attempt pairing = with_code(1, partner, code);
  ASSERT_TRUE(connect(pairing, "192.0.2.20", kStart));
  finish(pairing, kStart);
  ASSERT_TRUE(pairing.last_client.success);
  DeviceIdentity mallory = make_device("mallory");
  const std::string wrong = code == "000000" ? "000001" : "000000";
  int turned_away = 0;
  for (ConnectionId i = 0; i < 8; ++i) {
    Attempt guess = with_code(100 + i, mallory, wrong);
    if (!connect(guess, "192.0.2.20", kStart + 1s)) {
      EXPECT_EQ(guess.last_client.error, HandshakeError::RateLimited);
      ++turned_away;
      continue;
    }
    finish(guess, kStart + 1s);
  }
  ASSERT_GT(turned_away, 0);
  Attempt back{
      200, JoinerHandshake::with_pin(partner, host_device.peer_identity(), test::test_random()), {}, {}};
  ASSERT_TRUE(connect(back, "192.0.2.20", kStart + 1s)) << "the paired device was slowed down";
  finish(back, kStart + 1s);
  EXPECT_TRUE(back.last_client.success);
}

TEST_F(HostPairingTest, SilentConnectionsTimeOut) {
  ASSERT_EQ(host.on_connect(7, "192.0.2.40", kStart), std::nullopt);
  EXPECT_EQ(host.pending(), 1u);
  EXPECT_TRUE(host.take_timed_out(kStart + kHandshakeTimeout - 1ms).empty());
  EXPECT_EQ(host.next_deadline(), kStart + kHandshakeTimeout);
  const auto closed = host.take_timed_out(kStart + kHandshakeTimeout);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0], 7u);
  EXPECT_EQ(host.pending(), 0u);
}

TEST_F(HostPairingTest, DisconnectForgetsTheHandshake) {
  Attempt a = with_code(1, partner, code);
  ASSERT_TRUE(connect(a, "192.0.2.20", kStart));
  host.on_disconnect(1);
  EXPECT_EQ(host.pending(), 0u);
  const HandshakeStep late = host.on_message(1, *a.last_client.send, kStart);
  EXPECT_EQ(late.error, HandshakeError::ProtocolError);
}

// The hard deadline counts from accept: a handshake that keeps talking
// (here, a ClientHello that got its ServerHello) is closed all the same.
TEST_F(HostPairingTest, TheDeadlineCountsFromAcceptHoweverBusyTheHandshakeKeeps) {
  Attempt a = with_code(1, partner, code);
  ASSERT_TRUE(connect(a, "192.0.2.20", kStart + kHandshakeTimeout - 1s));
  // connect() used its own time for on_connect; start a second one at kStart.
  Attempt b = with_code(2, partner, code);
  ASSERT_TRUE(connect(b, "192.0.2.21", kStart));
  EXPECT_EQ(host.next_deadline(), kStart + kHandshakeTimeout);
  EXPECT_TRUE(host.take_timed_out(kStart + kHandshakeTimeout - 1ms).empty());
  EXPECT_EQ(host.take_timed_out(kStart + kHandshakeTimeout), std::vector<ConnectionId>{2});
  EXPECT_EQ(host.pending(), 1u);
}

// One address keeps at most its fair share: its own oldest gives way.
TEST_F(HostPairingTest, OneAddressHoldsAtMostItsFairShareOfHandshakes) {
  for (ConnectionId i = 0; i < kMaxPendingPerSource; ++i) {
    ASSERT_EQ(host.on_connect(i, "198.51.100.7", kStart + std::chrono::seconds(i)), std::nullopt);
  }
  EXPECT_TRUE(host.take_timed_out(kStart + 4s).empty());
  ASSERT_EQ(host.on_connect(99, "198.51.100.7", kStart + 4s), std::nullopt);
  EXPECT_EQ(host.take_timed_out(kStart + 4s), std::vector<ConnectionId>{0});
  EXPECT_EQ(host.pending(), kMaxPendingPerSource);
}

// Every slot taken by strangers on many addresses (more than 64 / 5, so the
// rate limit alone would let them fill it): a paired device still gets in
// with its pinned key, and so does someone with the code, each at once; the
// ones that give way are the oldest of the busiest addresses.
TEST_F(HostPairingTest, WhenEverySlotIsTakenAPairedDeviceAndTheCodeStillGetIn) {
  Attempt pairing = with_code(1000, partner, code);
  ASSERT_TRUE(connect(pairing, "192.0.2.20", kStart));
  finish(pairing, kStart);
  ASSERT_TRUE(pairing.last_client.success);

  ConnectionId id = 0;
  for (int source = 0; id < kMaxPendingHandshakes; ++source) {
    for (std::size_t n = 0; n < kMaxPendingPerSource && id < kMaxPendingHandshakes; ++n, ++id) {
      ASSERT_EQ(host.on_connect(id, "203.0.113." + std::to_string(source), kStart + 1s), std::nullopt);
    }
  }
  ASSERT_EQ(host.pending(), kMaxPendingHandshakes);
  ASSERT_TRUE(host.take_timed_out(kStart + 1s).empty());

  // Both arrive while every slot is taken.
  Attempt back{
      2000, JoinerHandshake::with_pin(partner, host_device.peer_identity(), test::test_random()), {}, {}};
  ASSERT_TRUE(connect(back, "192.0.2.20", kStart + 2s));
  DeviceIdentity coach = make_device("coach");
  Attempt newcomer = with_code(3000, coach, code);
  ASSERT_TRUE(connect(newcomer, "192.0.2.30", kStart + 2s));
  // Address .0 now holds 3, so the oldest of .1 (id 4) gave way second.
  EXPECT_EQ(host.take_timed_out(kStart + 2s), (std::vector<ConnectionId>{0, 4}));
  finish(back, kStart + 2s);
  EXPECT_TRUE(back.last_client.success) << "a paired device was kept out by strangers";
  finish(newcomer, kStart + 2s);
  EXPECT_TRUE(newcomer.last_client.success) << "someone with the code was kept out by strangers";
  EXPECT_EQ(host.pending(), kMaxPendingHandshakes - 2);
}

}  // namespace
}  // namespace attune::pairing
