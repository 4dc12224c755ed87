// Byte-string helpers shared by the crypto code: owned and borrowed byte
// strings, a fixed-size buffer that wipes itself, and the length-value
// encoding the CPace draft uses for every hash input (prefix-free, so two
// different field lists can never hash to the same input).
#pragma once

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace attune::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// A fixed-size secret (key, scalar, shared secret) zeroed when it goes away,
// so keys do not linger in freed memory.
template <std::size_t N>
struct SecretBytes {
  std::array<std::uint8_t, N> bytes{};

  SecretBytes() = default;
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes&) = default;
  ~SecretBytes() { sodium_memzero(bytes.data(), bytes.size()); }

  std::uint8_t* data() { return bytes.data(); }
  const std::uint8_t* data() const { return bytes.data(); }
  static constexpr std::size_t size() { return N; }
  ByteView view() const { return ByteView(bytes.data(), N); }
};

inline ByteView as_bytes(std::string_view text) {
  return ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

template <std::size_t N>
ByteView view_of(const std::array<std::uint8_t, N>& a) {
  return ByteView(a.data(), N);
}

// LEB128 length followed by the bytes (draft-irtf-cfrg-cpace, A.1.1).
Bytes prepend_len(ByteView data);

// prepend_len of each argument, concatenated (draft-irtf-cfrg-cpace, A.1.3).
Bytes lv_cat(std::initializer_list<ByteView> parts);

void append(Bytes& out, ByteView more);

// Lower-case hex, for logs and tests.
std::string to_hex(ByteView data);
// Parses hex (whitespace allowed between digits); nullopt on bad input.
std::optional<Bytes> from_hex(std::string_view hex);

// Big-endian fixed-width integers, used inside transcripts and frame headers.
std::array<std::uint8_t, 4> be32(std::uint32_t v);
std::array<std::uint8_t, 8> be64(std::uint64_t v);

}  // namespace attune::crypto
