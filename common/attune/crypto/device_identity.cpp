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
