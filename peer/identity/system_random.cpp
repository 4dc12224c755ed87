#include "identity/system_random.hpp"

#include <sodium.h>

namespace attune::identity {

crypto::RandomFn system_random() {
  return [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); };
}

}  // namespace attune::identity
