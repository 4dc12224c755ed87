// Fuzzes the handshake from either end: payloads (as they would arrive in
// frames) go into the host's SecureLink (HostPairing policy + HostHandshake)
// or the joiner's (JoinerHandshake), then into the encrypted channel. Whatever
// arrives, a link either carries on, is established with a verified peer, or
// closes with words for the person; it never crashes or echoes garbage.
//
// Input: [flags: bit0 joiner side, bit1 pinned mode][records: u16 length, payload]...
#include "attune/frame_decoder.hpp"
#include "fuzz_support.hpp"
#include "handshake_setup.hpp"

namespace {

using attune::pairing::SecureLink;

constexpr int kMaxPayloads = 64;

// Feeds the records to a link until it closes; checks what it says back.
void run(SecureLink& link, attune::fuzz::ByteReader& in) {
  bool closed = false;
  bool was_established = false;
  for (int i = 0; i < kMaxPayloads && !in.empty(); ++i) {
    const std::string_view payload = in.record();
    const auto out = link.on_payload(payload, attune::fuzz::kHandshakeNow);
    FUZZ_CHECK(!closed || (out.send.empty() && !out.message && !out.established));
    for (const auto& s : out.send) {
      FUZZ_CHECK(!s.empty());
      FUZZ_CHECK(s.size() <= attune::kMaxFramePayload);
    }
    if (out.established) {
      // Established once, with the peer it proved itself to be.
      FUZZ_CHECK(!was_established);
      was_established = true;
      FUZZ_CHECK(link.established());
      FUZZ_CHECK(link.peer().has_value());
      FUZZ_CHECK(link.peer()->public_key == out.established->peer.public_key);
    }
    // Application data only ever comes out of an established channel.
    if (out.message) FUZZ_CHECK(link.established());
    if (out.handshake_error || out.channel_error) FUZZ_CHECK(out.close_reason.has_value());
    if (out.close_reason) {
      FUZZ_CHECK(!out.close_reason->empty());
      closed = true;
    }
    if (link.established()) {
      const auto sealed = link.seal("ping");
      (void)sealed;
    }
  }
  (void)link.on_end_of_stream();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = attune::crypto::init_crypto();
  FUZZ_CHECK(ready);
  attune::fuzz::ByteReader in(data, size);
  const std::uint8_t flags = in.byte();
  const bool joiner = (flags & 1) != 0;
  const bool pinned = (flags & 2) != 0;

  if (joiner) {
    SecureLink link = SecureLink::for_joiner(attune::fuzz::joiner_handshake(pinned));
    FUZZ_CHECK(link.opening_payload().has_value());
    run(link, in);
  } else {
    attune::fuzz::HostSide host;
    FUZZ_CHECK(!host.pairing.on_connect(attune::fuzz::kConnection, "127.0.0.1", attune::fuzz::kHandshakeNow));
    SecureLink link = SecureLink::for_host(host.pairing, attune::fuzz::kConnection);
    run(link, in);
    host.pairing.on_disconnect(attune::fuzz::kConnection);
    FUZZ_CHECK(host.pairing.pending() == 0);
  }
  return 0;
}
