#include "attune/wire_codec.hpp"

#include "attune/frame_decoder.hpp"

namespace attune {

std::optional<std::string> encode_envelope(const ::attune::v1::Envelope& envelope) {
  std::string payload;
  if (!envelope.SerializeToString(&payload)) return std::nullopt;
  return encode_frame(payload);
}

std::optional<WireProblem> decode_envelope(std::string_view payload, ::attune::v1::Envelope& out) {
  out.Clear();
  if (!out.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return WireProblem{WireError::Malformed, "received a message that does not parse"};
  }
  // A newer peer's message kind lands in unknown fields and leaves the oneof
  // empty: we cannot act on it, so we say so rather than ignore it.
  if (out.kind_case() == ::attune::v1::Envelope::KIND_NOT_SET) {
    return WireProblem{WireError::UnknownMessage, "received a message type this version does not know"};
  }
  return std::nullopt;
}

}  // namespace attune
