// A device key's check number: twelve digits a person can read aloud and
// compare with what the other device shows ("4821 0937 5516"). It says
// whether two screens name the same key; it is no secret and proves nothing
// by itself. proto/README.md, "Ratings for the coach", gives the derivation
// and a test vector.
#pragma once

#include <string>
#include <string_view>

#include "attune/crypto/device_identity.hpp"

namespace attune::crypto {

// BLAKE2b (libsodium's crypto_generichash) keyed with this label, so the
// number is never the same as any other hash of the key.
inline constexpr std::string_view kCheckNumberLabel = "attune check number v1";
inline constexpr int kCheckNumberDigits = 12;

// The digits alone, "482109375516".
std::string check_digits(const PublicKey& key);
// The digits in groups of four, "4821 0937 5516", as every screen shows them.
std::string check_number(const PublicKey& key);

}  // namespace attune::crypto
