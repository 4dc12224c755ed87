// Random hex ids for devices, sessions and intents.
#pragma once

#include <sodium.h>

#include <string>
#include <vector>

namespace attune {

inline std::string random_id(std::size_t bytes = 16) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();
  return hex;
}

}  // namespace attune
