// The real randomness source for the pure core (which only takes a RandomFn).
#pragma once

#include "attune/crypto/sodium_init.hpp"

namespace attune::identity {

// libsodium's CSPRNG (randombytes_buf). Call crypto::init_crypto() first.
crypto::RandomFn system_random();

}  // namespace attune::identity
