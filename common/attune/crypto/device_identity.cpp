#include "attune/crypto/device_identity.hpp"

namespace attune::crypto {

DeviceIdentity::DeviceIdentity(std::string device_id, const Seed& seed)
    : device_id_(std::move(device_id)), seed_(seed) {
  crypto_sign_seed_keypair(public_key_.data(), secret_key_.data(), seed_.data());
}

Signature DeviceIdentity::sign(ByteView message) const {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key_.data());
  return sig;
}

std::optional<Bytes> DeviceIdentity::open_sealed_box(ByteView blob) const {
  if (blob.size() < crypto_box_SEALBYTES) return std::nullopt;
  SecretBytes<crypto_box_SECRETKEYBYTES> box_secret;
  std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES> box_public{};
  if (crypto_sign_ed25519_sk_to_curve25519(box_secret.data(), secret_key_.data()) != 0 ||
      crypto_sign_ed25519_pk_to_curve25519(box_public.data(), public_key_.data()) != 0) {
    return std::nullopt;
  }
  Bytes plain(blob.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(plain.data(), blob.data(), blob.size(), box_public.data(), box_secret.data()) != 0) {
    return std::nullopt;
  }
  return plain;
}

bool verify_signature(const PublicKey& key, ByteView message, ByteView signature) {
  if (signature.size() != kSignatureBytes) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.data()) == 0;
}

std::string key_fingerprint(const PublicKey& key) {
  // A hash, not the key itself, so the text is uniform-looking for every key.
  std::array<std::uint8_t, 8> digest{};
  crypto_generichash(digest.data(), digest.size(), key.data(), key.size(), nullptr, 0);
  const std::string hex = to_hex(view_of(digest));
  return hex.substr(0, 4) + "-" + hex.substr(4, 4) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4);
}

bool valid_device_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxDeviceIdBytes) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace attune::crypto
