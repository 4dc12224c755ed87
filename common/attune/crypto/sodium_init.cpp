#include "attune/crypto/sodium_init.hpp"

#include <sodium.h>

namespace attune::crypto {

bool init_crypto() {
  // sodium_init is itself idempotent and thread-safe: 0 = done now, 1 = done before.
  return sodium_init() >= 0;
}

}  // namespace attune::crypto
