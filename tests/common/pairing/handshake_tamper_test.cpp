// Every byte of every handshake message, flipped or cut, on a fresh run:
// nothing crashes, and no run succeeds unless the message still means
// exactly what was sent.
#include <gtest/gtest.h>

#include <string>

#include "attune/pairing/handshake.hpp"
#include "test_random.hpp"

namespace attune::pairing {
namespace {

crypto::DeviceIdentity make_device(const std::string& id) {
  crypto::Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return crypto::DeviceIdentity(id, seed);
}

enum class Target { ClientHello, ServerHello, ClientFinish, ServerFinish };

// Runs one code pairing, replacing the chosen message's bytes by `mutate`.
// Returns true when both sides succeeded.
template <typename Mutate>
bool run_with(Target target, Mutate&& mutate, std::string& original, v1::PairingMode mode) {
  const auto host = make_device("host"), joiner = make_device("joiner");
  auto random = test::test_random();
  JoinerHandshake client = mode == v1::PAIRING_MODE_CODE
                               ? JoinerHandshake::with_code(joiner, "482913", random)
                               : JoinerHandshake::with_pin(joiner, host.peer_identity(), random);
  HostHandshake server(host, HostHandshakeConfig{"482913", {{"joiner", joiner.public_key()}}}, random);

  auto pass = [&](Target t, const v1::HandshakeMessage& msg) -> std::optional<v1::HandshakeMessage> {
    if (t != target) return msg;
    original = msg.SerializeAsString();
    v1::HandshakeMessage changed;
    if (!changed.ParseFromString(mutate(original))) return std::nullopt;  // The transport would close.
    return changed;
  };

  auto m1 = pass(Target::ClientHello, client.hello());
  if (!m1) return false;
  HandshakeStep s1 = server.receive(*m1);
  if (!s1.send || s1.error) return false;
  auto m2 = pass(Target::ServerHello, *s1.send);
  if (!m2) return false;
  HandshakeStep c2 = client.receive(*m2);
  if (!c2.send || c2.error) return false;
  auto m3 = pass(Target::ClientFinish, *c2.send);
  if (!m3) return false;
  HandshakeStep s3 = server.receive(*m3);
  if (!s3.send || s3.error) return false;
  auto m4 = pass(Target::ServerFinish, *s3.send);
  if (!m4) return false;
  HandshakeStep c4 = client.receive(*m4);
  return c4.success.has_value() && s3.success.has_value();
}

class HandshakeTamperTest : public ::testing::TestWithParam<std::tuple<Target, v1::PairingMode>> {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::init_crypto()); }
};

TEST_P(HandshakeTamperTest, FlippedBitsAndCutsNeverPassUnnoticed) {
  const auto [target, mode] = GetParam();
  std::string original;
  ASSERT_TRUE(run_with(
      target, [](const std::string& s) { return s; }, original, mode));
  const std::size_t size = original.size();
  ASSERT_GT(size, 0u);
  for (std::size_t i = 0; i < size; ++i) {
    std::string seen;
    const bool ok = run_with(
        target,
        [i](const std::string& s) {
          std::string t = s;
          t[i] = static_cast<char>(t[i] ^ 0x01);
          return t;
        },
        seen, mode);
    // A flip may only "pass" if it left the message's meaning unchanged,
    // which protobuf cannot do for any byte of these messages.
    EXPECT_FALSE(ok) << "flip at byte " << i << " of " << size;
  }
  for (std::size_t cut = 0; cut < size; ++cut) {
    std::string seen;
    EXPECT_FALSE(run_with(
        target, [cut](const std::string& s) { return s.substr(0, cut); }, seen, mode))
        << "cut at " << cut;
  }
}

INSTANTIATE_TEST_SUITE_P(AllMessages, HandshakeTamperTest,
                         ::testing::Combine(::testing::Values(Target::ClientHello, Target::ServerHello,
                                                              Target::ClientFinish, Target::ServerFinish),
                                            ::testing::Values(v1::PAIRING_MODE_CODE,
                                                              v1::PAIRING_MODE_PINNED)));

}  // namespace
}  // namespace attune::pairing
