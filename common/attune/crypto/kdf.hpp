// HMAC-SHA-512 and HKDF-SHA-512 (RFC 5869) over libsodium, used to turn a
// handshake secret into independent keys: one per purpose and direction.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "attune/crypto/bytes.hpp"

namespace attune::crypto {

inline constexpr std::size_t kHmacSha512Bytes = 64;
inline constexpr std::size_t kKeyBytes = 32;

using Key = SecretBytes<kKeyBytes>;
using Mac = std::array<std::uint8_t, kHmacSha512Bytes>;

// HMAC-SHA-512 with a key of any length.
Mac hmac_sha512(ByteView key, ByteView message);

// HKDF-Extract(salt, ikm) = HMAC-SHA-512(salt, ikm).
SecretBytes<kHmacSha512Bytes> hkdf_extract(ByteView salt, ByteView ikm);

// HKDF-Expand(prk, info, 32): the first 32 bytes of HMAC-SHA-512(prk, info || 0x01).
// All our keys are 32 bytes, so one HMAC block is always enough.
Key hkdf_expand_key(ByteView prk, std::string_view info);

// Constant-time equality for MACs.
bool equal_macs(ByteView a, ByteView b);

}  // namespace attune::crypto
