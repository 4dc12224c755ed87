#include "attune/crypto/kdf.hpp"

#include <sodium.h>

namespace attune::crypto {

Mac hmac_sha512(ByteView key, ByteView message) {
  crypto_auth_hmacsha512_state state;
  crypto_auth_hmacsha512_init(&state, key.data(), key.size());
  crypto_auth_hmacsha512_update(&state, message.data(), message.size());
  Mac out{};
  crypto_auth_hmacsha512_final(&state, out.data());
  sodium_memzero(&state, sizeof state);
  return out;
}

SecretBytes<kHmacSha512Bytes> hkdf_extract(ByteView salt, ByteView ikm) {
  SecretBytes<kHmacSha512Bytes> prk;
  Mac mac = hmac_sha512(salt, ikm);
  std::copy(mac.begin(), mac.end(), prk.bytes.begin());
  sodium_memzero(mac.data(), mac.size());
  return prk;
}

Key hkdf_expand_key(ByteView prk, std::string_view info) {
  Bytes message(info.begin(), info.end());
  message.push_back(0x01);
  Mac block = hmac_sha512(prk, message);
  Key key;
  std::copy(block.begin(), block.begin() + kKeyBytes, key.bytes.begin());
  sodium_memzero(block.data(), block.size());
  return key;
}

bool equal_macs(ByteView a, ByteView b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace attune::crypto
