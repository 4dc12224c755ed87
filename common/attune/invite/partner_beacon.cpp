#include "attune/invite/partner_beacon.hpp"

#include <sodium.h>

#include <algorithm>

namespace attune::invite {

namespace {

constexpr std::string_view kPairLabel = "attune.v1 partner pair";
constexpr std::string_view kBeaconLabel = "attune.v1 partner beacon";

crypto::SecretBytes<32> beacon_key(const PairKey& key) {
  crypto::SecretBytes<32> out;
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(kBeaconLabel.data()),
                     kBeaconLabel.size(), key.data(), key.size());
  return out;
}

// 0 when `sender` sorts first, 1 otherwise: the two directions differ.
std::uint8_t direction(const crypto::PublicKey& sender, const crypto::PublicKey& other) {
  return std::lexicographical_compare(sender.begin(), sender.end(), other.begin(), other.end()) ? 0 : 1;
}

std::array<std::uint8_t, 14> additional_data(std::uint8_t dir, int64_t window, const BeaconAddress& from) {
  std::array<std::uint8_t, 14> ad{};
  ad[0] = kBeaconVersion;
  ad[1] = dir;
  const auto w = crypto::be64(static_cast<std::uint64_t>(window));
  std::copy(w.begin(), w.end(), ad.begin() + 2);
  std::copy(from.begin(), from.end(), ad.begin() + 10);
  return ad;
}

}  // namespace

std::optional<PairKey> pair_key(const crypto::DeviceIdentity& self, const crypto::PublicKey& partner) {
  crypto::PublicKey ed_public{};
  crypto::SecretBytes<crypto_sign_SECRETKEYBYTES> ed_secret;
  crypto_sign_seed_keypair(ed_public.data(), ed_secret.data(), self.seed().data());
  crypto::SecretBytes<crypto_scalarmult_curve25519_BYTES> my_secret;
  std::array<std::uint8_t, crypto_scalarmult_curve25519_BYTES> their_public{};
  if (crypto_sign_ed25519_sk_to_curve25519(my_secret.data(), ed_secret.data()) != 0 ||
      crypto_sign_ed25519_pk_to_curve25519(their_public.data(), partner.data()) != 0)
    return std::nullopt;
  crypto::SecretBytes<crypto_scalarmult_BYTES> shared;
  if (crypto_scalarmult(shared.data(), my_secret.data(), their_public.data()) != 0) return std::nullopt;

  // Both devices hash the same input: the two public keys in a fixed order.
  const bool mine_first = direction(self.public_key(), partner) == 0;
  const crypto::PublicKey& first = mine_first ? self.public_key() : partner;
  const crypto::PublicKey& second = mine_first ? partner : self.public_key();
  crypto_generichash_state state;
  PairKey key;
  crypto_generichash_init(&state, shared.data(), shared.size(), key.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kPairLabel.data()),
                            kPairLabel.size());
  crypto_generichash_update(&state, first.data(), first.size());
  crypto_generichash_update(&state, second.data(), second.size());
  crypto_generichash_final(&state, key.data(), key.size());
  return key;
}

int64_t beacon_window(int64_t utc_ms) {
  return utc_ms >= 0 ? utc_ms / kBeaconWindowMs : -((-utc_ms + kBeaconWindowMs - 1) / kBeaconWindowMs);
}

std::string make_beacon(const PairKey& key, const crypto::PublicKey& self, const crypto::PublicKey& partner,
                        std::uint16_t port, const BeaconAddress& from, int64_t utc_ms,
                        const std::array<std::uint8_t, kBeaconNonceBytes>& nonce) {
  const auto k = beacon_key(key);
  const auto ad = additional_data(direction(self, partner), beacon_window(utc_ms), from);
  const std::array<std::uint8_t, 2> plain{static_cast<std::uint8_t>(port >> 8),
                                          static_cast<std::uint8_t>(port)};
  std::string out(kBeaconBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  bytes[0] = kBeaconVersion;
  std::copy(nonce.begin(), nonce.end(), bytes + 1);
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(bytes + 1 + kBeaconNonceBytes, &sealed_len, plain.data(),
                                             plain.size(), ad.data(), ad.size(), nullptr, nonce.data(),
                                             k.data());
  return out;
}

std::optional<std::uint16_t> open_beacon(const PairKey& key, const crypto::PublicKey& self,
                                         const crypto::PublicKey& partner, std::string_view packet,
                                         const BeaconAddress& from, int64_t utc_ms) {
  if (packet.size() != kBeaconBytes || static_cast<std::uint8_t>(packet[0]) != kBeaconVersion)
    return std::nullopt;
  const auto k = beacon_key(key);
  const auto* bytes = reinterpret_cast<const unsigned char*>(packet.data());
  const std::uint8_t dir = direction(partner, self);  // The partner sent it.
  const int64_t window = beacon_window(utc_ms);
  for (const int64_t w : {window, window - 1, window + 1}) {
    const auto ad = additional_data(dir, w, from);
    std::array<std::uint8_t, 2> plain{};
    unsigned long long plain_len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plain_len, nullptr,
                                                   bytes + 1 + kBeaconNonceBytes, 2 + 16, ad.data(),
                                                   ad.size(), bytes + 1, k.data()) == 0 &&
        plain_len == 2)
      return static_cast<std::uint16_t>((plain[0] << 8) | plain[1]);
  }
  return std::nullopt;
}

}  // namespace attune::invite
