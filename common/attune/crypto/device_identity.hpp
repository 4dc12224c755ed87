// A device's long-term identity: a stable id and an Ed25519 key pair. The
// private half never leaves the device; the public half is pinned by peers
// at first pairing and checked on every reconnect.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "attune/crypto/bytes.hpp"

namespace attune::crypto {

inline constexpr std::size_t kPublicKeyBytes = crypto_sign_PUBLICKEYBYTES;
inline constexpr std::size_t kSeedBytes = crypto_sign_SEEDBYTES;
inline constexpr std::size_t kSignatureBytes = crypto_sign_BYTES;
inline constexpr std::size_t kMaxDeviceIdBytes = 64;

using PublicKey = std::array<std::uint8_t, kPublicKeyBytes>;
using Signature = std::array<std::uint8_t, kSignatureBytes>;
using Seed = SecretBytes<kSeedBytes>;

// Who a peer is, as learned in a handshake or kept in the pin store.
struct PeerIdentity {
  std::string device_id;
  PublicKey public_key{};

  friend bool operator==(const PeerIdentity&, const PeerIdentity&) = default;
};

class DeviceIdentity {
 public:
  // Derives the key pair from a 32-byte seed (what the key file stores).
  DeviceIdentity(std::string device_id, const Seed& seed);

  const std::string& device_id() const { return device_id_; }
  const PublicKey& public_key() const { return public_key_; }
  const Seed& seed() const { return seed_; }
  PeerIdentity peer_identity() const { return {device_id_, public_key_}; }

  Signature sign(ByteView message) const;
  // Opens a libsodium sealed box made for this device's key, as X25519
  // (coach_seal.hpp); nullopt when it was not made for this key.
  std::optional<Bytes> open_sealed_box(ByteView blob) const;

 private:
  std::string device_id_;
  Seed seed_;
  PublicKey public_key_{};
  SecretBytes<crypto_sign_SECRETKEYBYTES> secret_key_;
};

bool verify_signature(const PublicKey& key, ByteView message, ByteView signature);

// A short, readable form of a public key for "is this the same device?"
// screens and log lines, e.g. "k3f9-a21c-77d0-5be4".
std::string key_fingerprint(const PublicKey& key);

// A device id is 1..64 printable ASCII characters.
bool valid_device_id(std::string_view id);

}  // namespace attune::crypto
