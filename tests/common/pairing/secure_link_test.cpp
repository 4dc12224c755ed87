// Two SecureLinks joined by a relay that records every byte, the way the
// transport will carry them: the handshake, session content both ways, and a
// goodbye. The recording must never show a name, a written share, a code, a
// device id or a key; and tampering by the relay closes the link.
#include "attune/pairing/secure_link.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attune/v1/session.pb.h"
#include "test_random.hpp"
#include "attune/intents.hpp"

namespace attune::pairing {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = from_ms(1'700'000'000'000);

crypto::DeviceIdentity make_device(const std::string& id) {
  crypto::Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return crypto::DeviceIdentity(id, seed);
}

// Carries payloads between the two links and keeps a copy of each.
struct Relay {
  std::vector<std::string> recorded;

  // Delivers `payloads` to `to`, collecting what it answers; bounded.
  std::vector<LinkInput> deliver(SecureLink& to, const std::vector<std::string>& payloads) {
    std::vector<LinkInput> out;
    for (const std::string& p : payloads) {
      recorded.push_back(p);
      out.push_back(to.on_payload(p, kStart));
    }
    return out;
  }

  bool contains(std::string_view needle) const {
    for (const std::string& r : recorded) {
      if (r.find(needle) != std::string::npos) return true;
    }
    return false;
  }
};

class SecureLinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::init_crypto());
    code = host.policy().open_code(2, kStart);
  }

  // Runs the handshake to the end through the relay; bounded by its length.
  void handshake(SecureLink& joiner, SecureLink& host_link) {
    std::vector<std::string> to_host = {*joiner.opening_payload()};
    for (int round = 0; round < 3 && !to_host.empty(); ++round) {
      std::vector<std::string> to_joiner;
      for (LinkInput& in : relay.deliver(host_link, to_host)) {
        for (auto& s : in.send) to_joiner.push_back(s);
        if (in.close_reason) host_reason = *in.close_reason;
      }
      to_host.clear();
      for (LinkInput& in : relay.deliver(joiner, to_joiner)) {
        for (auto& s : in.send) to_host.push_back(s);
        if (in.close_reason) joiner_reason = *in.close_reason;
      }
    }
  }

  crypto::DeviceIdentity host_device = make_device("host-7f3a");
  crypto::DeviceIdentity partner = make_device("partner-b-91c2");
  HostPairing host{host_device, PairingPolicyConfig{}, test::test_random()};
  std::string code;
  Relay relay;
  std::string host_reason, joiner_reason;
};

TEST_F(SecureLinkTest, RecordingRelaySeesNoSessionContent) {
  ASSERT_EQ(host.on_connect(1, "192.0.2.5", kStart), std::nullopt);
  SecureLink host_link = SecureLink::for_host(host, 1);
  SecureLink joiner = SecureLink::for_joiner(JoinerHandshake::with_code(partner, code, test::test_random()));
  handshake(joiner, host_link);
  ASSERT_TRUE(joiner.established()) << joiner_reason;
  ASSERT_TRUE(host_link.established()) << host_reason;
  EXPECT_EQ(host_link.peer()->device_id, "partner-b-91c2");

  // Session content as the engine would send it: names, a written share.
  v1::SessionState state;
  auto* p = state.add_participants();
  p->set_id("partner-b-91c2");
  p->set_display_name("Rosalind");
  const v1::Intent intent = intents::write("I felt invisible at dinner with your parents");
  const std::string down = state.SerializeAsString();
  const std::string up = intent.SerializeAsString();

  const auto got_up = relay.deliver(host_link, {*joiner.seal(up)});
  ASSERT_EQ(got_up.size(), 1u);
  ASSERT_TRUE(got_up[0].message);
  EXPECT_EQ(*got_up[0].message, up);
  const auto got_down = relay.deliver(joiner, {*host_link.seal(down)});
  ASSERT_TRUE(got_down[0].message);
  EXPECT_EQ(*got_down[0].message, down);

  EXPECT_FALSE(relay.contains("Rosalind"));
  EXPECT_FALSE(relay.contains("invisible at dinner"));
  EXPECT_FALSE(relay.contains("partner-b-91c2"));
  EXPECT_FALSE(relay.contains("host-7f3a"));
  EXPECT_FALSE(relay.contains(code));
  EXPECT_FALSE(relay.contains(std::string(partner.public_key().begin(), partner.public_key().end())));
  EXPECT_FALSE(relay.contains(std::string(host_device.public_key().begin(), host_device.public_key().end())));

  // A clean goodbye is not an error.
  const auto bye = relay.deliver(host_link, {*joiner.seal_close()});
  EXPECT_TRUE(bye[0].peer_said_goodbye);
  EXPECT_EQ(host_link.on_end_of_stream(), std::nullopt);
  EXPECT_EQ(joiner.seal("late"), std::nullopt);
}

TEST_F(SecureLinkTest, RelayThatAltersAFrameGetsTheLinkClosed) {
  ASSERT_EQ(host.on_connect(1, "192.0.2.5", kStart), std::nullopt);
  SecureLink host_link = SecureLink::for_host(host, 1);
  SecureLink joiner = SecureLink::for_joiner(JoinerHandshake::with_code(partner, code, test::test_random()));
  handshake(joiner, host_link);
  ASSERT_TRUE(joiner.established());

  std::string frame = *joiner.seal("ready");
  frame[frame.size() / 2] ^= 0x20;
  const LinkInput in = host_link.on_payload(frame, kStart);
  EXPECT_FALSE(in.message);
  EXPECT_EQ(in.channel_error, crypto::ChannelError::Modified);
  ASSERT_TRUE(in.close_reason);
  EXPECT_NE(in.close_reason->find("changed on the way"), std::string::npos);
  // Nothing more gets through on that link.
  EXPECT_FALSE(host_link.on_payload(*joiner.seal("again"), kStart).message);
}

TEST_F(SecureLinkTest, RelayThatReplaysOrDropsAFrameGetsTheLinkClosed) {
  ASSERT_EQ(host.on_connect(1, "192.0.2.5", kStart), std::nullopt);
  SecureLink host_link = SecureLink::for_host(host, 1);
  SecureLink joiner = SecureLink::for_joiner(JoinerHandshake::with_code(partner, code, test::test_random()));
  handshake(joiner, host_link);
  const std::string first = *joiner.seal("one");
  ASSERT_TRUE(host_link.on_payload(first, kStart).message);
  EXPECT_EQ(host_link.on_payload(first, kStart).channel_error, crypto::ChannelError::Replayed);

  ASSERT_EQ(host.on_connect(2, "192.0.2.6", kStart), std::nullopt);
  SecureLink host2 = SecureLink::for_host(host, 2);
  SecureLink joiner2 = SecureLink::for_joiner(
      JoinerHandshake::with_pin(partner, host_device.peer_identity(), test::test_random()));
  handshake(joiner2, host2);
  ASSERT_TRUE(joiner2.established()) << joiner_reason;
  (void)joiner2.seal("dropped by the relay");
  EXPECT_EQ(host2.on_payload(*joiner2.seal("two"), kStart).channel_error, crypto::ChannelError::Reordered);
}

TEST_F(SecureLinkTest, StreamCutMidSessionIsNamed) {
  ASSERT_EQ(host.on_connect(1, "192.0.2.5", kStart), std::nullopt);
  SecureLink host_link = SecureLink::for_host(host, 1);
  SecureLink joiner = SecureLink::for_joiner(JoinerHandshake::with_code(partner, code, test::test_random()));
  handshake(joiner, host_link);
  ASSERT_TRUE(host_link.on_payload(*joiner.seal("one"), kStart).message);
  const auto why = host_link.on_end_of_stream();
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("cut off"), std::string::npos);
}

TEST_F(SecureLinkTest, WrongCodeClosesBothEndsWithTheSameWords) {
  ASSERT_EQ(host.on_connect(1, "192.0.2.5", kStart), std::nullopt);
  SecureLink host_link = SecureLink::for_host(host, 1);
  const std::string wrong = code == "000000" ? "000001" : "000000";
  SecureLink joiner = SecureLink::for_joiner(JoinerHandshake::with_code(partner, wrong, test::test_random()));
  handshake(joiner, host_link);
  EXPECT_FALSE(joiner.established());
  EXPECT_FALSE(host_link.established());
  EXPECT_NE(joiner_reason.find("code didn't match"), std::string::npos);
  EXPECT_NE(host_reason.find("code that didn't match"), std::string::npos);
  EXPECT_EQ(host.pending(), 0u);
}

TEST_F(SecureLinkTest, GarbageBeforeTheHandshakeIsRefused) {
  ASSERT_EQ(host.on_connect(1, "192.0.2.5", kStart), std::nullopt);
  SecureLink host_link = SecureLink::for_host(host, 1);
  const LinkInput in = host_link.on_payload(std::string("\xff\xff\xff garbage", 12), kStart);
  EXPECT_EQ(in.handshake_error, HandshakeError::ProtocolError);
  ASSERT_EQ(in.send.size(), 1u);  // A refusal, so the other side knows why.
  EXPECT_TRUE(in.close_reason);
  EXPECT_EQ(host.pending(), 0u);
}

}  // namespace
}  // namespace attune::pairing
