// An invite string made by hand from an `Invite` message, as another
// implementation could send it: base32 of the bytes and their big-endian
// CRC-32, with no checks of its own (proto/discovery.md).
#pragma once

#include <zlib.h>

#include <string>

#include "attune/discovery/invite_code.hpp"
#include "attune/v1/discovery.pb.h"

namespace attune::discovery {

inline std::string invite_from(const v1::Invite& invite) {
  std::string payload = invite.SerializeAsString();
  const auto sum =
      static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(payload.data()),
                                  static_cast<uInt>(payload.size())));
  for (int shift = 24; shift >= 0; shift -= 8) payload.push_back(static_cast<char>((sum >> shift) & 0xff));
  return "attune:" + base32_encode(payload);
}

}  // namespace attune::discovery
