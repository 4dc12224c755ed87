// Both sides of the handshake run against each other in memory: pairing with
// a code, reconnecting with pinned keys, and the ways it must fail.
#include "attune/pairing/handshake.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attune/crypto/sodium_init.hpp"
#include "test_random.hpp"

namespace attune::pairing {
namespace {

using crypto::DeviceIdentity;
using crypto::PeerIdentity;

DeviceIdentity make_device(const std::string& id) {
  crypto::Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return DeviceIdentity(id, seed);
}

struct Exchange {
  HandshakeStep client_last;
  HandshakeStep server_last;
  std::vector<std::string> wire;  // Every message as serialized, for "what an eavesdropper sees".
};

// Drives both sides until one finishes; bounded to the handshake's length.
Exchange run(JoinerHandshake& client, HostHandshake& server) {
  Exchange r;
  v1::HandshakeMessage to_server = client.hello();
  for (int round = 0; round < 4; ++round) {
    r.wire.push_back(to_server.SerializeAsString());
    r.server_last = server.receive(to_server);
    if (!r.server_last.send) break;
    r.wire.push_back(r.server_last.send->SerializeAsString());
    r.client_last = client.receive(*r.server_last.send);
    if (!r.client_last.send || r.server_last.error || r.server_last.success) break;
    to_server = *r.client_last.send;
  }
  return r;
}

bool same_key(const crypto::Key& a, const crypto::Key& b) { return a.bytes == b.bytes; }

class HandshakeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::init_crypto()); }
  DeviceIdentity host = make_device("host-laptop");
  DeviceIdentity joiner = make_device("partner-b-laptop");
  crypto::RandomFn random = test::test_random();
};

TEST_F(HandshakeTest, PairingWithTheRightCodeGivesMatchingChannels) {
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {}}, random);
  Exchange r = run(client, server);

  ASSERT_TRUE(r.server_last.success) << "host error";
  ASSERT_TRUE(r.client_last.success) << "joiner error";
  EXPECT_TRUE(r.server_last.code_guess_checked);
  EXPECT_EQ(r.server_last.success->peer, joiner.peer_identity());
  EXPECT_EQ(r.client_last.success->peer, host.peer_identity());
  EXPECT_EQ(r.client_last.success->mode, v1::PAIRING_MODE_CODE);

  const crypto::ChannelKeys& ck = r.client_last.success->keys;
  const crypto::ChannelKeys& sk = r.server_last.success->keys;
  EXPECT_TRUE(same_key(ck.send, sk.receive));
  EXPECT_TRUE(same_key(ck.receive, sk.send));
  EXPECT_FALSE(same_key(ck.send, ck.receive));

  crypto::SecureChannel joiner_channel(ck), host_channel(sk);
  const std::string text = "I felt alone when the plans changed";
  const auto opened = host_channel.open(joiner_channel.seal(crypto::as_bytes(text)));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(std::string(opened.payload.begin(), opened.payload.end()), text);
}

TEST_F(HandshakeTest, CodeTypedWithSpacesIsTheSameCode) {
  JoinerHandshake client = JoinerHandshake::with_code(joiner, " 048-213 ", random);
  HostHandshake server(host, HostHandshakeConfig{"048213", {}}, random);
  Exchange r = run(client, server);
  EXPECT_TRUE(r.client_last.success && r.server_last.success);
}

TEST_F(HandshakeTest, WrongCodeIsReportedOnBothSides) {
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "111111", random);
  HostHandshake server(host, HostHandshakeConfig{"222222", {}}, random);
  Exchange r = run(client, server);

  ASSERT_EQ(r.server_last.error, HandshakeError::WrongCode);
  EXPECT_TRUE(r.server_last.code_guess_checked);
  ASSERT_TRUE(r.server_last.send && r.server_last.send->has_refusal());
  EXPECT_EQ(r.server_last.send->refusal().reason(), v1::HANDSHAKE_REFUSAL_REASON_WRONG_CODE);
  ASSERT_EQ(r.client_last.error, HandshakeError::WrongCode);
  EXPECT_FALSE(r.client_last.success);

  const std::string joiner_text = user_message(HandshakeError::WrongCode, HandshakeSide::Joiner);
  const std::string host_text = user_message(HandshakeError::WrongCode, HandshakeSide::Host);
  EXPECT_EQ(joiner_text, "That code didn't match. Please check the code on the host's screen and try again.");
  EXPECT_NE(host_text.find("code that didn't match"), std::string::npos);
}

TEST_F(HandshakeTest, NothingIdentifyingTravelsInClear) {
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {}}, random);
  Exchange r = run(client, server);
  ASSERT_TRUE(r.client_last.success);
  const std::string host_key(host.public_key().begin(), host.public_key().end());
  const std::string joiner_key(joiner.public_key().begin(), joiner.public_key().end());
  for (const std::string& msg : r.wire) {
    EXPECT_EQ(msg.find("482913"), std::string::npos);
    EXPECT_EQ(msg.find(host.device_id()), std::string::npos);
    EXPECT_EQ(msg.find(joiner.device_id()), std::string::npos);
    EXPECT_EQ(msg.find(host_key), std::string::npos);
    EXPECT_EQ(msg.find(joiner_key), std::string::npos);
  }
}

TEST_F(HandshakeTest, FakeHostWithoutTheCodeCannotComplete) {
  // The fake host guesses a code. It cannot produce a valid confirmation, so
  // the joiner stops and reports the same "didn't match" text.
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  DeviceIdentity fake = make_device("host-laptop");
  HostHandshake fake_host(fake, HostHandshakeConfig{"000000", {}}, random);
  const HandshakeStep hello = fake_host.receive(client.hello());
  ASSERT_TRUE(hello.send);
  const HandshakeStep finish = client.receive(*hello.send);
  ASSERT_TRUE(finish.send && finish.send->has_client_finish());

  // A fake host that ignores its own check and answers with made-up bytes.
  v1::HandshakeMessage forged;
  forged.mutable_server_finish()->set_confirm(std::string(64, '\x42'));
  forged.mutable_server_finish()->set_sealed_proof(std::string(120, '\x17'));
  const HandshakeStep end = client.receive(forged);
  EXPECT_EQ(end.error, HandshakeError::WrongCode);
  EXPECT_FALSE(end.success);
}

TEST_F(HandshakeTest, ManInTheMiddleWithAGuessedCodeFailsOnBothSides) {
  // The attacker runs its own handshakes towards both real devices with a
  // guessed code. Each real device sees one wrong guess and nothing more.
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {}}, random);
  DeviceIdentity mallory = make_device("mallory");
  HostHandshake fake_host(mallory, HostHandshakeConfig{"111111", {}}, random);
  JoinerHandshake fake_joiner = JoinerHandshake::with_code(mallory, "111111", random);

  Exchange to_joiner = run(client, fake_host);
  Exchange to_host = run(fake_joiner, server);
  EXPECT_EQ(to_joiner.client_last.error, HandshakeError::WrongCode);
  EXPECT_EQ(to_host.server_last.error, HandshakeError::WrongCode);
  EXPECT_FALSE(to_host.server_last.success);
}

TEST_F(HandshakeTest, TamperedKeyShareBreaksThePairing) {
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {}}, random);
  HandshakeStep s1 = server.receive(client.hello());
  ASSERT_TRUE(s1.send);
  // Swap in a different valid group element for the host's share.
  std::array<std::uint8_t, 32> other{};
  crypto_core_ristretto255_random(other.data());
  s1.send->mutable_server_hello()->set_key_share(std::string(other.begin(), other.end()));
  HandshakeStep c2 = client.receive(*s1.send);
  ASSERT_TRUE(c2.send);
  HandshakeStep s2 = server.receive(*c2.send);
  EXPECT_EQ(s2.error, HandshakeError::WrongCode);
  EXPECT_FALSE(s2.success);
}

TEST_F(HandshakeTest, IdentityElementShareIsRefused) {
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {}}, random);
  HandshakeStep s1 = server.receive(client.hello());
  HandshakeStep c2 = client.receive(*s1.send);
  ASSERT_TRUE(c2.send);
  c2.send->mutable_client_finish()->set_key_share(std::string(32, '\0'));
  HandshakeStep s2 = server.receive(*c2.send);
  EXPECT_EQ(s2.error, HandshakeError::ProtocolError);
  EXPECT_TRUE(s2.code_guess_checked);  // Still counts against the code.
}

TEST_F(HandshakeTest, NoOpenCodeIsRefusedAtOnce) {
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  HostHandshake server(host, HostHandshakeConfig{std::nullopt, {}}, random);
  Exchange r = run(client, server);
  EXPECT_EQ(r.server_last.error, HandshakeError::CodeExpired);
  EXPECT_FALSE(r.server_last.code_guess_checked);
  EXPECT_EQ(r.client_last.error, HandshakeError::CodeExpired);
}

TEST_F(HandshakeTest, PinnedReconnectNeedsNoCode) {
  JoinerHandshake client = JoinerHandshake::with_pin(joiner, host.peer_identity(), random);
  HostHandshake server(host, HostHandshakeConfig{std::nullopt, {{joiner.device_id(), joiner.public_key()}}},
                         random);
  Exchange r = run(client, server);
  ASSERT_TRUE(r.server_last.success);
  ASSERT_TRUE(r.client_last.success);
  EXPECT_FALSE(r.server_last.code_guess_checked);
  EXPECT_EQ(r.client_last.success->mode, v1::PAIRING_MODE_PINNED);
  EXPECT_EQ(r.server_last.success->peer, joiner.peer_identity());
  EXPECT_TRUE(same_key(r.client_last.success->keys.send, r.server_last.success->keys.receive));
}

TEST_F(HandshakeTest, PairThenReconnectUsesTheKeysLearnedAtPairing) {
  JoinerHandshake pair_client = JoinerHandshake::with_code(joiner, "777123", random);
  HostHandshake pair_server(host, HostHandshakeConfig{"777123", {}}, random);
  Exchange first = run(pair_client, pair_server);
  ASSERT_TRUE(first.client_last.success && first.server_last.success);

  const PeerIdentity host_pin = first.client_last.success->peer;
  const PeerIdentity joiner_pin = first.server_last.success->peer;
  JoinerHandshake client = JoinerHandshake::with_pin(joiner, host_pin, random);
  HostHandshake server(host, HostHandshakeConfig{std::nullopt, {{joiner_pin.device_id, joiner_pin.public_key}}},
                         random);
  Exchange again = run(client, server);
  EXPECT_TRUE(again.client_last.success && again.server_last.success);
}

TEST_F(HandshakeTest, JoinerWithAChangedKeyIsRefused) {
  DeviceIdentity reinstalled = make_device(joiner.device_id());  // Same id, new key.
  JoinerHandshake client = JoinerHandshake::with_pin(reinstalled, host.peer_identity(), random);
  HostHandshake server(host, HostHandshakeConfig{std::nullopt, {{joiner.device_id(), joiner.public_key()}}},
                         random);
  Exchange r = run(client, server);
  EXPECT_EQ(r.server_last.error, HandshakeError::KeyChanged);
  EXPECT_FALSE(r.server_last.success);
  EXPECT_EQ(r.client_last.error, HandshakeError::KeyRefused);
  EXPECT_NE(user_message(HandshakeError::KeyRefused, HandshakeSide::Joiner).find("pair again"),
            std::string::npos);
  EXPECT_NE(user_message(HandshakeError::KeyChanged, HandshakeSide::Host).find("different security key"),
            std::string::npos);
}

TEST_F(HandshakeTest, HostWithAChangedKeyIsRefused) {
  DeviceIdentity impostor = make_device(host.device_id());  // Same id, new key.
  JoinerHandshake client = JoinerHandshake::with_pin(joiner, host.peer_identity(), random);
  HostHandshake server(impostor, HostHandshakeConfig{std::nullopt, {{joiner.device_id(), joiner.public_key()}}},
                         random);
  Exchange r = run(client, server);
  EXPECT_EQ(r.client_last.error, HandshakeError::KeyChanged);
  EXPECT_FALSE(r.client_last.success);
  EXPECT_NE(user_message(HandshakeError::KeyChanged, HandshakeSide::Joiner).find("key has changed"),
            std::string::npos);
}

TEST_F(HandshakeTest, UnknownDeviceCannotReconnectWithoutACode) {
  DeviceIdentity stranger = make_device("stranger");
  JoinerHandshake client = JoinerHandshake::with_pin(stranger, host.peer_identity(), random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {{joiner.device_id(), joiner.public_key()}}}, random);
  Exchange r = run(client, server);
  EXPECT_EQ(r.server_last.error, HandshakeError::UnknownDevice);
  EXPECT_EQ(r.client_last.error, HandshakeError::UnknownDevice);
}

TEST_F(HandshakeTest, KnowingTheCodeDoesNotLetADeviceTakeOverAPairedId) {
  // Someone with the right code claims partner B's device id with their own key.
  DeviceIdentity impostor = make_device(joiner.device_id());
  JoinerHandshake client = JoinerHandshake::with_code(impostor, "482913", random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {{joiner.device_id(), joiner.public_key()}}}, random);
  Exchange r = run(client, server);
  EXPECT_EQ(r.server_last.error, HandshakeError::KeyChanged);
  EXPECT_TRUE(r.server_last.code_guess_checked);
  EXPECT_EQ(r.client_last.error, HandshakeError::KeyRefused);
}

TEST_F(HandshakeTest, ADeviceCannotClaimTheHostsOwnId) {
  DeviceIdentity mirror = make_device(host.device_id());
  JoinerHandshake client = JoinerHandshake::with_code(mirror, "482913", random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {}}, random);
  Exchange r = run(client, server);
  EXPECT_EQ(r.server_last.error, HandshakeError::ProtocolError);
  EXPECT_FALSE(r.server_last.success);
}

TEST_F(HandshakeTest, UnsupportedVersionIsRefused) {
  HostHandshake server(host, HostHandshakeConfig{"482913", {}}, random);
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  v1::HandshakeMessage hello = client.hello();
  hello.mutable_client_hello()->set_protocol_version(99);
  const HandshakeStep step = server.receive(hello);
  EXPECT_EQ(step.error, HandshakeError::VersionMismatch);
  ASSERT_TRUE(step.send);
  EXPECT_EQ(client.receive(*step.send).error, HandshakeError::VersionMismatch);
}

TEST_F(HandshakeTest, MessagesOutOfOrderAreRefused) {
  HostHandshake server(host, HostHandshakeConfig{"482913", {}}, random);
  v1::HandshakeMessage finish;
  finish.mutable_client_finish()->set_confirm(std::string(64, '\0'));
  EXPECT_EQ(server.receive(finish).error, HandshakeError::ProtocolError);

  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  client.hello();
  v1::HandshakeMessage server_finish;
  server_finish.mutable_server_finish();
  EXPECT_EQ(client.receive(server_finish).error, HandshakeError::ProtocolError);
}

TEST_F(HandshakeTest, ReplayedClientFinishOnANewConnectionFails) {
  // Recording a successful pairing and replaying the joiner's messages to a
  // new connection gets nowhere: the host picks fresh randomness each time.
  JoinerHandshake client = JoinerHandshake::with_code(joiner, "482913", random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {}}, random);
  const v1::HandshakeMessage hello = client.hello();
  const HandshakeStep s1 = server.receive(hello);
  const HandshakeStep c2 = client.receive(*s1.send);
  ASSERT_TRUE(server.receive(*c2.send).success);

  HostHandshake second(host, HostHandshakeConfig{"482913", {}}, random);
  ASSERT_TRUE(second.receive(hello).send);
  EXPECT_EQ(second.receive(*c2.send).error, HandshakeError::WrongCode);
}

TEST_F(HandshakeTest, OnlyTransientFailuresAreRetriedAutomatically) {
  EXPECT_FALSE(retry_automatically(HandshakeError::WrongCode));
  EXPECT_FALSE(retry_automatically(HandshakeError::KeyChanged));
  EXPECT_FALSE(retry_automatically(HandshakeError::KeyRefused));
  EXPECT_FALSE(retry_automatically(HandshakeError::CodeExpired));
  EXPECT_TRUE(retry_automatically(HandshakeError::RateLimited));
}

TEST_F(HandshakeTest, EveryErrorHasTextForBothSides) {
  for (HandshakeError e :
       {HandshakeError::WrongCode, HandshakeError::CodeExpired, HandshakeError::RateLimited,
        HandshakeError::KeyChanged, HandshakeError::KeyRefused, HandshakeError::UnknownDevice,
        HandshakeError::VersionMismatch, HandshakeError::ProtocolError}) {
    EXPECT_FALSE(user_message(e, HandshakeSide::Joiner).empty());
    EXPECT_FALSE(user_message(e, HandshakeSide::Host).empty());
  }
}

}  // namespace
}  // namespace attune::pairing
