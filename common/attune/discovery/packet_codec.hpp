// Encoding and validating discovery datagrams (see proto/discovery.md).
//
// Anything can arrive on a multicast group: other programs' traffic, other
// Attune versions, truncated or hostile packets. decode() never throws; it
// sorts each datagram into one outcome and counts it, so the diagnostics can
// say what was heard even when nothing usable was.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "attune/v1/discovery.pb.h"

namespace attune::discovery {

namespace v1 = ::attune::v1;

inline constexpr uint32_t kMagic = 0x41544e44;  // "ATND"
inline constexpr uint32_t kProtocolVersion = 1;
// Larger datagrams are rejected before parsing; a full beacon is ~200 bytes.
inline constexpr size_t kMaxPacketBytes = 1024;
inline constexpr size_t kMaxNameBytes = 64;
inline constexpr uint32_t kMaxOpenSeats = 4;
inline constexpr uint32_t kMinIntervalMs = 500;
inline constexpr uint32_t kMaxIntervalMs = 60000;

enum class DecodeOutcome {
  Beacon,
  Query,
  Goodbye,
  NotAttune,     // Wrong magic or not protobuf: someone else's traffic.
  OtherVersion,  // An Attune packet from a different protocol version.
  Malformed,     // Attune magic and version, but fields out of bounds.
};

// Running totals, for diagnostics. Only grows.
struct DecodeCounters {
  uint64_t beacons = 0;
  uint64_t queries = 0;
  uint64_t goodbyes = 0;
  uint64_t not_attune = 0;
  uint64_t other_version = 0;
  uint64_t malformed = 0;

  uint64_t ignored() const { return not_attune + other_version + malformed; }
  void count(DecodeOutcome outcome);
};

struct Decoded {
  DecodeOutcome outcome = DecodeOutcome::NotAttune;
  v1::DiscoveryPacket packet;  // Meaningful for Beacon, Query and Goodbye only.
  // For OtherVersion: the version the sender spoke (for "please update").
  uint32_t version = 0;
};

// Sorts one datagram; never throws. Pass counters to have it counted.
Decoded decode_packet(std::string_view bytes, DecodeCounters* counters = nullptr);

// Checks a beacon against the bounds above; empty string when valid,
// otherwise what is wrong (for logs and tests).
std::string beacon_problem(const v1::Beacon& beacon);

// Build ready-to-send datagrams (magic and version filled in).
// `version` other than kProtocolVersion only for tests that play another release.
std::string encode_beacon(const v1::Beacon& beacon, uint32_t version = kProtocolVersion);
std::string encode_query(uint64_t browser_id);
std::string encode_goodbye(uint64_t instance_id);

}  // namespace attune::discovery
