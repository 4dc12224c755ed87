#include "attune/pairing/pairing_code.hpp"

namespace attune::pairing {

std::optional<std::string> make_code(std::span<const std::uint8_t, kCodeRandomBytes> random) {
  constexpr std::uint32_t kCodeSpace = 1'000'000;  // 10^6 < 2^20 = 1,048,576.
  // Read the bytes as a bit stream and take 20 bits at a time; a value below
  // 10^6 is used as is, anything else is rejected (no modulo bias).
  std::uint64_t acc = 0;
  int bits = 0;
  for (std::uint8_t byte : random) {
    acc = (acc << 8) | byte;
    bits += 8;
    if (bits >= 20) {
      const auto value = static_cast<std::uint32_t>((acc >> (bits - 20)) & 0xFFFFF);
      bits -= 20;
      acc &= (std::uint64_t{1} << bits) - 1;
      if (value < kCodeSpace) {
        std::string code(kCodeDigits, '0');
        std::uint32_t v = value;
        for (std::size_t i = kCodeDigits; i-- > 0;) {
          code[i] = static_cast<char>('0' + v % 10);
          v /= 10;
        }
        return code;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> normalize_code(std::string_view typed) {
  std::string digits;
  for (char c : typed) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '\t') {
      return std::nullopt;
    }
    if (digits.size() > kCodeDigits) return std::nullopt;
  }
  if (digits.size() != kCodeDigits) return std::nullopt;
  return digits;
}

std::string display_code(std::string_view code) {
  if (code.size() != kCodeDigits) return std::string(code);
  return std::string(code.substr(0, 3)) + " " + std::string(code.substr(3));
}

}  // namespace attune::pairing
