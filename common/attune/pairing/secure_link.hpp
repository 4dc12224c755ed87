// One connection's security, from first byte to goodbye: the handshake
// phase, then the encrypted channel. The transport keeps one SecureLink per
// connection and runs every frame payload through it; it never sees keys.
//
//   joiner: link = SecureLink::for_joiner(JoinerHandshake::with_code(...));
//           send(link.opening_payload())
//   host:   link = SecureLink::for_host(host_pairing, connection_id) after
//           host_pairing.on_connect(...) let the connection in
//   both:   for each received frame payload p:
//             auto in = link.on_payload(p, now);
//             send every in.send (as frames); deliver in.message if set;
//             if in.close_reason: close the connection and show it.
//           outgoing app message m: send(*link.seal(m)) once established().
//           stream ended: if (auto why = link.on_end_of_stream()) show *why.
//
// Pure: no sockets or clocks; `now` is passed in for the host's policy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "attune/crypto/secure_channel.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/pairing/host_pairing.hpp"

namespace attune::pairing {

struct LinkInput {
  std::vector<std::string> send;                      // Frame payloads to send back, in order.
  std::optional<std::string> message;                 // A decrypted application payload to deliver.
  std::optional<HandshakeSuccess> established;        // Set once, when the handshake just finished.
  std::optional<std::string> close_reason;            // Close the connection; words for the person.
  std::optional<HandshakeError> handshake_error;      // Why the handshake failed, if it did.
  std::optional<crypto::ChannelError> channel_error;  // Why the channel closed, if it did.
  bool peer_said_goodbye = false;                     // A clean close frame arrived.
  std::string goodbye;                                // Its payload (a serialized v1::Close; may be empty).
};

class SecureLink {
 public:
  static SecureLink for_joiner(JoinerHandshake handshake);
  // `pairing` must outlive the link; the connection must have passed on_connect.
  static SecureLink for_host(HostPairing& pairing, ConnectionId id);

  // The joiner's first frame payload (ClientHello); nullopt on the host side.
  std::optional<std::string> opening_payload();

  LinkInput on_payload(std::string_view payload, TimePoint now);

  // Seals an application payload; nullopt until established (or after
  // close), or when the sealed frame would be larger than max_frame_bytes
  // (then nothing was used up: the next seal is still in order).
  std::optional<std::string> seal(std::string_view message, std::size_t max_frame_bytes = SIZE_MAX);
  // The authenticated goodbye, carrying `payload` (a serialized v1::Close);
  // nullopt if not established.
  std::optional<std::string> seal_close(std::string_view payload = {});

  // The byte stream ended: returns words to show if that was not a clean goodbye.
  std::optional<std::string> on_end_of_stream();

  bool established() const { return channel_.has_value(); }
  const std::optional<crypto::PeerIdentity>& peer() const { return peer_; }

 private:
  SecureLink() = default;
  LinkInput on_handshake_payload(std::string_view payload, TimePoint now);

  HandshakeSide side_ = HandshakeSide::Joiner;
  std::optional<JoinerHandshake> client_;
  HostPairing* host_ = nullptr;
  ConnectionId id_ = 0;
  std::optional<crypto::SecureChannel> channel_;
  std::optional<crypto::PeerIdentity> peer_;
  bool failed_ = false;
  bool sent_close_ = false;
};

}  // namespace attune::pairing
