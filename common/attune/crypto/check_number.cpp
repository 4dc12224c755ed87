#include "attune/crypto/check_number.hpp"

#include <array>
#include <cstdint>

#include <sodium.h>

#include "attune/crypto/sodium_init.hpp"

namespace attune::crypto {

std::string check_digits(const PublicKey& key) {
  init_crypto();
  std::array<std::uint8_t, crypto_generichash_BYTES_MIN> digest{};
  crypto_generichash(digest.data(), digest.size(), key.data(), key.size(),
                     reinterpret_cast<const unsigned char*>(kCheckNumberLabel.data()), kCheckNumberLabel.size());
  // The first eight bytes, big-endian, modulo 10^12 (the bias is below 2^-24).
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | digest[static_cast<std::size_t>(i)];
  std::string digits(kCheckNumberDigits, '0');
  value %= 1'000'000'000'000ULL;
  for (int i = kCheckNumberDigits - 1; i >= 0; --i) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return digits;
}

std::string check_number(const PublicKey& key) {
  const std::string digits = check_digits(key);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

}  // namespace attune::crypto
