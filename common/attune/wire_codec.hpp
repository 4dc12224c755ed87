// Turning wire messages into frames and back. Pure: no sockets, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "attune/v1/wire.pb.h"

namespace attune {

// The session protocol's version, carried in Hello and Welcome
// (proto/README.md, "Versioning"); not the handshake's (pairing/handshake.hpp).
inline constexpr std::uint32_t kWireProtocolVersion = ::attune::v1::PROTOCOL_VERSION_CURRENT;

// Whether a peer speaking `version` can talk to this build.
inline bool protocol_compatible(std::uint32_t version) { return version == kWireProtocolVersion; }

// One framed Envelope, ready to write; nullopt when it is above the frame limit.
std::optional<std::string> encode_envelope(const ::attune::v1::Envelope& envelope);

// What was wrong with a payload that did not give a usable Envelope.
enum class WireError {
  Malformed,       // Not a protobuf Envelope.
  UnknownMessage,  // Parsed, but carries no message this build knows.
};

struct WireProblem {
  WireError error;
  std::string message;
};

// Parses one frame's payload. Returns the problem, or nullopt on success.
std::optional<WireProblem> decode_envelope(std::string_view payload, ::attune::v1::Envelope& out);

}  // namespace attune
