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

// Where randomness comes from. The pure code never draws randomness itself:
// it takes this as a parameter, so tests can replay a run byte for byte. The
// shell passes identity::system_random() (libsodium's CSPRNG).
using RandomFn = std::function<void(std::span<std::uint8_t>)>;

}  // namespace attune::crypto
