// libsodium must be initialised once before any other call (it picks the
// fastest implementations and seeds its random generator).
#pragma once

#include <cstdint>
#include <functional>
#include <span>

namespace attune::crypto {

// Initialises libsodium; safe to call many times and from many threads.
// Returns false if the library could not start (no usable random source).
bool init_crypto();

// Where randomness comes from. The pure code takes it as a parameter so tests
// can replay a run byte for byte; production passes system_random().
using RandomFn = std::function<void(std::span<std::uint8_t>)>;

// libsodium's CSPRNG (randombytes_buf).
RandomFn system_random();

}  // namespace attune::crypto
