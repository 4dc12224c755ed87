#include "attune/pairing/secure_link.hpp"

namespace attune::pairing {

SecureLink SecureLink::for_joiner(JoinerHandshake handshake) {
  SecureLink link;
  link.side_ = HandshakeSide::Joiner;
  link.client_.emplace(std::move(handshake));
  return link;
}

SecureLink SecureLink::for_host(HostPairing& pairing, ConnectionId id) {
  SecureLink link;
  link.side_ = HandshakeSide::Host;
  link.host_ = &pairing;
  link.id_ = id;
  return link;
}

std::optional<std::string> SecureLink::opening_payload() {
  if (!client_ || client_->finished()) return std::nullopt;
  return client_->hello().SerializeAsString();
}

LinkInput SecureLink::on_payload(std::string_view payload, TimePoint now) {
  LinkInput in;
  if (failed_) {
    in.close_reason = "This connection was already closed for safety.";
    return in;
  }
  if (!channel_) return on_handshake_payload(payload, now);

  crypto::OpenedFrame opened = channel_->open(crypto::as_bytes(payload));
  if (!opened.ok()) {
    failed_ = true;
    in.channel_error = *opened.error;
    in.close_reason = std::string(crypto::describe(*opened.error));
    return in;
  }
  switch (opened.kind) {
    case crypto::FrameKind::Data:
      in.message = std::string(opened.payload.begin(), opened.payload.end());
      break;
    case crypto::FrameKind::Close:
      in.peer_said_goodbye = true;
      in.goodbye.assign(opened.payload.begin(), opened.payload.end());
      in.close_reason = "The other device closed the connection.";
      break;
  }
  return in;
}

LinkInput SecureLink::on_handshake_payload(std::string_view payload, TimePoint now) {
  LinkInput in;
  v1::HandshakeMessage message;
  HandshakeStep step;
  if (payload.size() > kMaxHandshakeMessageBytes ||
      !message.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    step.error = HandshakeError::ProtocolError;
    if (side_ == HandshakeSide::Host) {
      step.send = make_refusal(v1::HANDSHAKE_REFUSAL_REASON_PROTOCOL_ERROR);
      host_->on_disconnect(id_);
    }
  } else if (side_ == HandshakeSide::Host) {
    step = host_->on_message(id_, message, now);
  } else {
    step = client_->receive(message);
  }

  if (step.send) in.send.push_back(step.send->SerializeAsString());
  if (step.error) {
    failed_ = true;
    in.handshake_error = *step.error;
    in.close_reason = user_message(*step.error, side_);
    return in;
  }
  if (step.success) {
    channel_.emplace(step.success->keys);
    peer_ = step.success->peer;
    in.established = std::move(step.success);
  }
  return in;
}

std::optional<std::string> SecureLink::seal(std::string_view message, std::size_t max_frame_bytes) {
  if (!channel_ || failed_ || sent_close_) return std::nullopt;
  const auto frame = channel_->seal_within(crypto::as_bytes(message), max_frame_bytes);
  if (!frame) return std::nullopt;
  return std::string(frame->begin(), frame->end());
}

std::optional<std::string> SecureLink::seal_close(std::string_view payload) {
  if (!channel_ || failed_ || sent_close_) return std::nullopt;
  const crypto::Bytes frame = channel_->seal_close(crypto::as_bytes(payload));
  sent_close_ = true;  // Nothing may be sent after the goodbye; the peer's last frames still open.
  return std::string(frame.begin(), frame.end());
}

std::optional<std::string> SecureLink::on_end_of_stream() {
  if (!channel_) {
    if (host_ != nullptr) host_->on_disconnect(id_);
    return failed_ ? std::nullopt : std::optional<std::string>("The connection closed before it was set up.");
  }
  if (auto error = channel_->end_of_stream()) return std::string(crypto::describe(*error));
  return std::nullopt;
}

}  // namespace attune::pairing
