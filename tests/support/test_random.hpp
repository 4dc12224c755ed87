// Randomness for tests of the pure core, which takes it as a parameter.
#pragma once

#include <sodium.h>

#include "attune/crypto/sodium_init.hpp"

namespace attune::test {

// Fresh CSPRNG bytes (libsodium), for tests that need real unpredictability.
inline crypto::RandomFn test_random() {
  return [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); };
}

}  // namespace attune::test
