#include "attune/crypto/bytes.hpp"

namespace attune::crypto {

Bytes prepend_len(ByteView data) {
  Bytes out;
  std::size_t length = data.size();
  // LEB128: 7 bits per byte, least significant first, high bit = "more".
  do {
    std::uint8_t byte = length & 0x7f;
    length >>= 7;
    if (length != 0) byte |= 0x80;
    out.push_back(byte);
  } while (length != 0);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

Bytes lv_cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView part : parts) append(out, prepend_len(part));
  return out;
}

void append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }

std::string to_hex(ByteView data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (std::uint8_t b : data) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

std::optional<Bytes> from_hex(std::string_view hex) {
  Bytes out(hex.size() / 2 + 1);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), " \n\t", &len, &end) != 0) {
    return std::nullopt;
  }
  if (end != hex.data() + hex.size()) return std::nullopt;
  out.resize(len);
  return out;
}

std::array<std::uint8_t, 4> be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

std::array<std::uint8_t, 8> be64(std::uint64_t v) {
  std::array<std::uint8_t, 8> out{};
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
    v >>= 8;
  }
  return out;
}

}  // namespace attune::crypto
