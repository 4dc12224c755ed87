// The partner beacon's test vector (proto/INVITE.md, section 2): fixed keys,
// time, ports and nonces in; every intermediate and both datagrams out.
// Each value is recomputed here from the document's formulas with libsodium
// directly, and the real codec (pair_key, make_beacon, open_beacon) must
// give the same bytes. A failure prints the computed block to compare.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <map>
#include <string>

#include "attune/crypto/bytes.hpp"
#include "attune/crypto/device_identity.hpp"
#include "attune/invite/partner_beacon.hpp"
#include "doc_section.hpp"
#include "handshake_vectors.hpp"

namespace attune::contract {
namespace {

using crypto::Bytes;
using crypto::ByteView;
using crypto::to_hex;

struct Device {
  crypto::Seed seed{};
  crypto::PublicKey pk{};
  crypto::SecretBytes<crypto_sign_SECRETKEYBYTES> sk;
};

Device device_from(const std::string& seed_hex) {
  Device d;
  const auto seed = crypto::from_hex(seed_hex);
  EXPECT_TRUE(seed && seed->size() == d.seed.size()) << seed_hex;
  if (seed && seed->size() == d.seed.size()) std::copy(seed->begin(), seed->end(), d.seed.bytes.begin());
  crypto_sign_seed_keypair(d.pk.data(), d.sk.data(), d.seed.data());
  return d;
}

ByteView view(const Bytes& b) { return ByteView(b.data(), b.size()); }

// "192.168.1.20" as its 4 bytes, read here by hand rather than by the
// code under test.
invite::BeaconAddress address_from(const std::string& dotted) {
  invite::BeaconAddress out{};
  std::size_t at = 0;
  for (auto& byte : out) {
    const std::size_t dot = dotted.find('.', at);
    byte = static_cast<std::uint8_t>(std::stoul(dotted.substr(at, dot - at)));
    at = dot == std::string::npos ? dotted.size() : dot + 1;
  }
  return out;
}

Bytes blake2b(ByteView key, std::initializer_list<ByteView> parts) {
  crypto_generichash_state state;
  Bytes out(32);
  crypto_generichash_init(&state, key.data(), key.size(), out.size());
  for (const auto part : parts) crypto_generichash_update(&state, part.data(), part.size());
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

// The document's formulas, step by step, from the inputs it states.
std::map<std::string, std::string> computed(const std::map<std::string, std::string>& in) {
  std::map<std::string, std::string> out;
  const Device a = device_from(in.at("a_seed"));
  const Device b = device_from(in.at("b_seed"));
  Bytes a_x_secret(32), a_x_public(32), b_x_secret(32), b_x_public(32), shared(32), shared_b(32);
  EXPECT_EQ(crypto_sign_ed25519_sk_to_curve25519(a_x_secret.data(), a.sk.data()), 0);
  EXPECT_EQ(crypto_sign_ed25519_sk_to_curve25519(b_x_secret.data(), b.sk.data()), 0);
  EXPECT_EQ(crypto_sign_ed25519_pk_to_curve25519(a_x_public.data(), a.pk.data()), 0);
  EXPECT_EQ(crypto_sign_ed25519_pk_to_curve25519(b_x_public.data(), b.pk.data()), 0);
  EXPECT_EQ(crypto_scalarmult(shared.data(), a_x_secret.data(), b_x_public.data()), 0);
  EXPECT_EQ(crypto_scalarmult(shared_b.data(), b_x_secret.data(), a_x_public.data()), 0);
  EXPECT_EQ(shared, shared_b) << "X25519 is not symmetric here";
  const bool a_first = std::lexicographical_compare(a.pk.begin(), a.pk.end(), b.pk.begin(), b.pk.end());
  const auto& first = a_first ? a.pk : b.pk;
  const auto& second = a_first ? b.pk : a.pk;
  const Bytes pair_key = blake2b(view(shared), {crypto::as_bytes("attune.v1 partner pair"),
                                                crypto::view_of(first), crypto::view_of(second)});
  const Bytes beacon_key = blake2b(view(pair_key), {crypto::as_bytes("attune.v1 partner beacon")});
  const int64_t utc_ms = std::stoll(in.at("utc_ms"));
  const int64_t window = utc_ms / 600000;
  out["a_ed25519_pk"] = to_hex(crypto::view_of(a.pk));
  out["b_ed25519_pk"] = to_hex(crypto::view_of(b.pk));
  out["a_x25519_secret"] = to_hex(view(a_x_secret));
  out["b_x25519_public"] = to_hex(view(b_x_public));
  out["x25519_shared"] = to_hex(view(shared));
  out["first_pk"] = a_first ? "a_ed25519_pk" : "b_ed25519_pk";
  out["pair_key"] = to_hex(view(pair_key));
  out["beacon_key"] = to_hex(view(beacon_key));
  out["window"] = std::to_string(window);
  for (const char who : {'a', 'b'}) {
    const std::string p(1, who);
    const bool sender_first = (who == 'a') == a_first;
    const Bytes dir{static_cast<std::uint8_t>(sender_first ? 0 : 1)};
    Bytes ad{0x72};
    ad.push_back(dir[0]);
    const auto w = crypto::be64(static_cast<std::uint64_t>(window));
    ad.insert(ad.end(), w.begin(), w.end());
    const auto from = address_from(in.at(p + "_address"));
    ad.insert(ad.end(), from.begin(), from.end());
    const auto port = static_cast<std::uint16_t>(std::stoul(in.at(p + "_port")));
    const Bytes plain{static_cast<std::uint8_t>(port >> 8), static_cast<std::uint8_t>(port & 0xff)};
    const auto nonce = crypto::from_hex(in.at(p + "_nonce")).value_or(Bytes{});
    EXPECT_EQ(nonce.size(), 24u);
    Bytes sealed(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), &len, plain.data(), plain.size(), ad.data(),
                                               ad.size(), nullptr, nonce.data(), beacon_key.data());
    Bytes beacon{0x72};
    beacon.insert(beacon.end(), nonce.begin(), nonce.end());
    beacon.insert(beacon.end(), sealed.begin(), sealed.end());
    out[p + "_direction"] = to_hex(view(dir));
    out[p + "_ad"] = to_hex(view(ad));
    out[p + "_plaintext"] = to_hex(view(plain));
    out[p + "_beacon"] = to_hex(view(beacon));
  }
  return out;
}

std::string block_of(const std::map<std::string, std::string>& values) {
  std::string s;
  for (const auto& [k, v] : values) s += k + " = " + v + "\n";
  return s;
}

TEST(PartnerBeaconDoc, EveryValueOfTheVectorIsWhatTheFormulasAndTheCodecGive) {
  ASSERT_GE(sodium_init(), 0);
  const auto doc = read_contract(source_dir() / "proto" / "INVITE.md", "partner-beacon-vector");
  ASSERT_TRUE(doc) << "proto/INVITE.md lost its partner-beacon-vector block";
  const auto stated = parse_vectors(*doc);
  std::map<std::string, std::string> inputs;
  for (const char* name :
       {"a_seed", "b_seed", "utc_ms", "a_address", "b_address", "a_port", "b_port", "a_nonce", "b_nonce"}) {
    ASSERT_TRUE(stated.count(name)) << "the vector does not state " << name;
    inputs[name] = stated.at(name);
  }
  const auto values = computed(inputs);
  for (const auto& [name, value] : values) {
    const auto it = stated.find(name);
    EXPECT_TRUE(it != stated.end() && it->second == value)
        << name << " should be " << value << "\ncomputed:\n"
        << block_of(values);
  }
  for (const auto& [name, value] : stated)
    EXPECT_TRUE(inputs.count(name) || values.count(name))
        << "the vector states a value nobody checks: " << name;

  // The real codec, from the same inputs.
  const crypto::DeviceIdentity a("a", device_from(inputs.at("a_seed")).seed);
  const crypto::DeviceIdentity b("b", device_from(inputs.at("b_seed")).seed);
  const auto key_a = invite::pair_key(a, b.public_key());
  const auto key_b = invite::pair_key(b, a.public_key());
  ASSERT_TRUE(key_a && key_b);
  EXPECT_EQ(to_hex(key_a->view()), values.at("pair_key"));
  EXPECT_EQ(to_hex(key_b->view()), values.at("pair_key"));
  const int64_t utc_ms = std::stoll(inputs.at("utc_ms"));
  EXPECT_EQ(invite::beacon_window(utc_ms), std::stoll(values.at("window")));
  const auto nonce_of = [&](const char* name) {
    std::array<std::uint8_t, invite::kBeaconNonceBytes> n{};
    const auto bytes = crypto::from_hex(inputs.at(name)).value_or(Bytes{});
    if (bytes.size() == n.size()) std::copy(bytes.begin(), bytes.end(), n.begin());
    return n;
  };
  const auto a_port = static_cast<std::uint16_t>(std::stoul(inputs.at("a_port")));
  const auto b_port = static_cast<std::uint16_t>(std::stoul(inputs.at("b_port")));
  const auto a_at = address_from(inputs.at("a_address"));
  const auto b_at = address_from(inputs.at("b_address"));
  const std::string from_a =
      invite::make_beacon(*key_a, a.public_key(), b.public_key(), a_port, a_at, utc_ms, nonce_of("a_nonce"));
  const std::string from_b =
      invite::make_beacon(*key_b, b.public_key(), a.public_key(), b_port, b_at, utc_ms, nonce_of("b_nonce"));
  EXPECT_EQ(from_a.size(), 43u);
  EXPECT_EQ(to_hex(crypto::as_bytes(from_a)), values.at("a_beacon"));
  EXPECT_EQ(to_hex(crypto::as_bytes(from_b)), values.at("b_beacon"));
  // Each opens for the partner only, from its sender's address only, with
  // the port inside.
  EXPECT_EQ(invite::open_beacon(*key_b, b.public_key(), a.public_key(), from_a, a_at, utc_ms), a_port);
  EXPECT_EQ(invite::open_beacon(*key_a, a.public_key(), b.public_key(), from_b, b_at, utc_ms), b_port);
  EXPECT_FALSE(invite::open_beacon(*key_a, a.public_key(), b.public_key(), from_a, a_at, utc_ms));
  EXPECT_FALSE(invite::open_beacon(*key_b, b.public_key(), a.public_key(), from_a, b_at, utc_ms));
}

}  // namespace
}  // namespace attune::contract
