#include "net/connection.hpp"

#include <spdlog/spdlog.h>

#include "attune/proto_text.hpp"
#include "attune/wire_codec.hpp"
#include "wall_clock.hpp"

namespace attune::net {

namespace {

// A sealed frame, wrapped in Envelope.sealed (a tag byte and a length of at
// most 3 bytes), must still fit in one frame.
constexpr std::size_t kMaxSealedBytes = kMaxFramePayload - 8;

v1::ErrorCode code_for(WireError error) {
  switch (error) {
    case WireError::Malformed:
      return v1::ERROR_CODE_MALFORMED;
    case WireError::UnknownMessage:
      return v1::ERROR_CODE_UNKNOWN_MESSAGE;
  }
  return v1::ERROR_CODE_MALFORMED;
}

}  // namespace

TimePoint read_clock(const LinkTiming& timing) {
  if (timing.clock) return timing.clock();
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()) +
         std::chrono::milliseconds(session_clock_shift_ms().load());
}

std::string goodbye_words(v1::CloseReason reason) {
  if (reason == v1::CLOSE_REASON_SESSION_ENDED) return "The session has ended, and the host has closed Attune.";
  if (reason == v1::CLOSE_REASON_REPLACED) return "This device connected again; the newer link carries on.";
  return "The host closed Attune for now; this device will reconnect when it is back.";
}

Connection::Connection(std::unique_ptr<Stream> stream, LinkTiming timing)
    : stream_(std::move(stream)),
      timing_(std::move(timing)),
      heartbeat_timer_(stream_->executor()),
      drain_timer_(stream_->executor()),
      remote_(stream_->remote()) {
  last_heard_ = last_sent_ = std::chrono::steady_clock::now();
}

void Connection::start(MessageHandler on_message, CloseHandler on_close) {
  on_message_ = std::move(on_message);
  on_close_ = std::move(on_close);
  arm_heartbeat();
  read_more();
}

void Connection::secure_with(pairing::SecureLink link, SecureHandler on_secure) {
  security_.emplace(std::move(link));
  on_secure_ = std::move(on_secure);
}

void Connection::open_handshake() {
  if (!security_ || state_ != State::Open) return;
  if (auto opening = security_->opening_payload()) {
    v1::Envelope envelope;
    envelope.mutable_handshake()->ParseFromString(*opening);
    send(envelope);
  }
}

std::optional<std::string> Connection::frame_for(const v1::Envelope& envelope) {
  if (security_ && security_->established() && !envelope.has_handshake()) {
    // Size first: a message too big for a frame is refused before it is
    // sealed, so it uses up no counter and the link stays in order.
    const auto sealed = security_->seal(envelope.SerializeAsString(), kMaxSealedBytes);
    if (!sealed) {
      spdlog::error("not sending a message of kind {} to {}: sealed, it would be larger than a frame may be",
                    static_cast<int>(envelope.kind_case()), remote_);
      return std::nullopt;
    }
    v1::Envelope outer;
    outer.set_sealed(*sealed);
    return encode_envelope(outer);  // Always fits: kMaxSealedBytes leaves room for the wrapper.
  }
  // Nothing but handshake steps and plain-words errors before the keys
  // exist (heartbeats simply wait), and nothing else ever goes in clear.
  if (!envelope.has_handshake() && !envelope.has_error()) return std::nullopt;
  auto frame = encode_envelope(envelope);
  if (!frame) {
    // Our own message above the limit is a bug upstream; say so loudly
    // rather than cut the stream.
    spdlog::error("not sending a message of kind {} to {}: it is larger than a frame may be",
                  static_cast<int>(envelope.kind_case()), remote_);
  }
  return frame;
}

void Connection::send(const v1::Envelope& envelope) {
  if (state_ != State::Open) return;
  if (auto frame = frame_for(envelope)) queue_frame(std::move(*frame));
}

void Connection::send_together(const v1::Envelope& first, const v1::Envelope& second) {
  if (state_ != State::Open) return;
  auto frames = frame_for(first);
  auto more = frame_for(second);
  if (!frames) frames = std::move(more);
  else if (more) frames->append(*more);
  if (frames) queue_frame(std::move(*frames));
}

void Connection::queue_frame(std::string frame) {
  if (state_ != State::Open || overflowed_) return;
  if (frame.size() > unsent_limit_ - queued_bytes_) {
    // The other side stopped reading: close its link rather than hold ever
    // more for it. Posted, because the caller may be looping over links.
    overflowed_ = true;
    faulted_ = true;
    asio::post(stream_->executor(), [self = shared_from_this()] {
      self->finish("the device stopped reading what was sent to it; it will catch up when it connects again");
    });
    return;
  }
  queued_bytes_ += frame.size();
  write_queue_.push_back(std::move(frame));
  last_sent_ = std::chrono::steady_clock::now();
  if (!writing_ && !held_) write_next();
}

void Connection::release() {
  held_ = false;
  if (!writing_ && !write_queue_.empty()) write_next();
}

void Connection::write_next() {
  if (write_queue_.empty() || state_ == State::Closed) {
    writing_ = false;
    if (state_ == State::Draining) half_close();
    return;
  }
  writing_ = true;
  if (write_queue_.size() > 1) {
    // Everything waiting goes in one write: one syscall, one wake-up at the other end.
    std::string all;
    all.reserve(queued_bytes_);
    for (const std::string& frame : write_queue_) all += frame;
    write_queue_.clear();
    write_queue_.push_back(std::move(all));
  }
  stream_->async_write(asio::buffer(write_queue_.front()),
                       [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
                         if (self->state_ == State::Closed) return;
                         if (ec) {
                           self->finish("could not send: " + ec.message());
                           return;
                         }
                         self->queued_bytes_ -= self->write_queue_.front().size();
                         self->write_queue_.pop_front();
                         self->write_next();
                       });
}

void Connection::read_more() {
  stream_->async_read_some(
      asio::buffer(read_buffer_),
      [self = shared_from_this()](const asio::error_code& ec, std::size_t n) { self->on_read(ec, n); });
}

void Connection::on_read(const asio::error_code& ec, std::size_t n) {
  if (state_ == State::Closed) return;
  if (state_ == State::Draining) {
    // Discard until the other side closes or the drain timer ends it; closing
    // with unread bytes would reset the link and could lose our Error frame.
    if (ec) {
      finish(close_reason_);
    } else {
      read_more();
    }
    return;
  }
  if (ec) {
    if (decoder_.buffered() > 0) {
      faulted_ = true;
      finish("the other side closed the link in the middle of a message (" +
             std::to_string(decoder_.buffered()) + " bytes of it arrived)");
    } else if (ec == asio::error::eof) {
      finish("the other side closed the link");
    } else {
      finish("the link broke: " + ec.message());
    }
    return;
  }
  last_heard_ = std::chrono::steady_clock::now();
  decoder_.feed(std::string_view(read_buffer_.data(), n));
  std::string payload;
  v1::Envelope envelope;
  for (;;) {
    const auto status = decoder_.next(payload);
    switch (status) {
      case FrameDecoder::Status::NeedMore:
        read_more();
        return;
      case FrameDecoder::Status::Bad:
        fail(decoder_.too_large() ? v1::ERROR_CODE_TOO_LARGE : v1::ERROR_CODE_MALFORMED, decoder_.error());
        read_more();
        return;
      case FrameDecoder::Status::Good:
        break;
    }
    if (auto problem = decode_envelope(payload, envelope)) {
      fail(code_for(problem->error), problem->message);
      read_more();
      return;
    }
    if (!unwrap(envelope)) {
      if (state_ == State::Open) continue;
      if (state_ == State::Draining) read_more();
      return;
    }
    if (envelope.has_heartbeat()) continue;
    // The handler may close us; stop delivering once it does.
    on_message_(envelope);
    if (state_ != State::Open) {
      if (state_ == State::Draining) read_more();
      return;
    }
  }
}

void Connection::arm_heartbeat() {
  heartbeat_timer_.expires_after(timing_.heartbeat);
  heartbeat_timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (ec || self->state_ != State::Open) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - self->last_heard_ >= self->timing_.silence) {
      self->goodbye_now(v1::CLOSE_REASON_SILENCE, "the other side went silent");
      return;
    }
    v1::Envelope beat;
    beat.mutable_heartbeat()->set_sent_ms(to_ms(read_clock(self->timing_)));
    self->send(beat);
    self->arm_heartbeat();
  });
}

void Connection::fail(v1::ErrorCode code, const std::string& message) {
  if (state_ == State::Open) faulted_ = true;
  v1::Envelope envelope;
  envelope.mutable_error()->set_code(code);
  envelope.mutable_error()->set_message(message);
  send_and_close(envelope, message);
}

bool Connection::unwrap(v1::Envelope& envelope) {
  if (envelope.has_error()) return true;  // Plain words may come before the keys exist.
  if (!security_) return false;  // A link turned away before its handshake hears nothing more.
  const TimePoint now = read_clock(timing_);
  if (!security_->established()) {
    if (envelope.has_heartbeat()) return false;
    if (!envelope.has_handshake()) {
      fail(v1::ERROR_CODE_PROTOCOL,
           "the first message on a link must be a Hello, and only after the secure handshake");
      return false;
    }
    const pairing::LinkInput in = security_->on_payload(envelope.handshake().SerializeAsString(), now);
    for (const std::string& step : in.send) {
      v1::Envelope reply;
      reply.mutable_handshake()->ParseFromString(step);
      send(reply);
    }
    if (in.close_reason) {
      handshake_error_ = in.handshake_error;
      if (in.handshake_error && *in.handshake_error == pairing::HandshakeError::RateLimited) {
        // The host says when to try again; the joiner reads it from the refusal.
        if (envelope.handshake().has_refusal())
          retry_after_seconds_ = envelope.handshake().refusal().retry_after_seconds();
      }
      faulted_ = true;
      drain_and_close(*in.close_reason);
      return false;
    }
    if (in.established && on_secure_) on_secure_(*in.established);
    return false;
  }
  if (!envelope.has_sealed()) {
    fail(v1::ERROR_CODE_PROTOCOL, "after the secure handshake every message must be sealed");
    return false;
  }
  const pairing::LinkInput in = security_->on_payload(envelope.sealed(), now);
  if (in.close_reason) {
    faulted_ = !in.peer_said_goodbye;
    if (in.peer_said_goodbye) {
      v1::Close goodbye;
      if (!goodbye.ParseFromString(in.goodbye)) goodbye.Clear();  // Unreadable words: still a goodbye.
      peer_goodbye_ = std::move(goodbye);
      close(peer_goodbye_->message().empty() ? *in.close_reason : peer_goodbye_->message());
      return false;
    }
    close(*in.close_reason);
    return false;
  }
  if (!in.message) return false;
  v1::Envelope inner;
  repaired_ = false;
  if (auto problem = decode_envelope(*in.message, inner)) {
    // Text that isn't UTF-8 makes a whole message unparseable; repaired, it
    // can be answered in words (or shown) instead of looping on reconnects.
    bool changed = false;
    const auto fixed = repair_wire_utf8(*in.message, *v1::Envelope::descriptor(), &changed);
    if (!fixed || !changed || decode_envelope(*fixed, inner)) {
      fail(code_for(problem->error), problem->message);
      return false;
    }
    repaired_ = true;
  }
  if (inner.has_handshake() || inner.has_sealed()) {
    fail(v1::ERROR_CODE_PROTOCOL, "a sealed message may not hold another handshake or sealed message");
    return false;
  }
  envelope = std::move(inner);
  return true;
}

void Connection::send_and_close(const v1::Envelope& last, const std::string& reason) {
  if (state_ != State::Open) return;
  send(last);
  // An Error or VersionMismatch is always our last word: say goodbye after it.
  const bool removed = last.has_error() && last.error().code() == v1::ERROR_CODE_REMOVED;
  queue_goodbye(removed ? v1::CLOSE_REASON_REMOVED : v1::CLOSE_REASON_ERROR, reason);
  drain_and_close(reason);
}

void Connection::say_goodbye(v1::CloseReason reason, const std::string& message) {
  if (state_ != State::Open) return;
  queue_goodbye(reason, message);
  drain_and_close(message);
}

std::optional<std::string> Connection::goodbye_frame(v1::CloseReason reason, const std::string& message) {
  if (!security_ || !security_->established()) return std::nullopt;
  v1::Close goodbye;
  goodbye.set_reason(reason);
  goodbye.set_message(message);
  const auto sealed = security_->seal_close(goodbye.SerializeAsString());
  if (!sealed) return std::nullopt;
  v1::Envelope outer;
  outer.set_sealed(*sealed);
  return encode_envelope(outer);
}

void Connection::queue_goodbye(v1::CloseReason reason, const std::string& message) {
  if (auto frame = goodbye_frame(reason, message)) queue_frame(std::move(*frame));
}

void Connection::goodbye_now(v1::CloseReason reason, const std::string& message) {
  if (state_ != State::Open) return;
  // The other side is silent, so waiting for it would only delay us: one
  // attempt without blocking, then close (a frame stuck behind an earlier
  // write is simply not sent).
  if (!writing_) {
    if (auto frame = goodbye_frame(reason, message)) stream_->write_now(asio::buffer(*frame));
  }
  finish(message);
}

void Connection::drain_and_close(const std::string& reason) {
  if (state_ != State::Open) return;
  state_ = State::Draining;
  close_reason_ = reason;
  drain_timer_.expires_after(std::chrono::seconds(1));
  drain_timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (!ec) self->finish(self->close_reason_);
  });
  if (!writing_) half_close();
}

void Connection::half_close() {
  // Our last frame is out: tell the other side we are done and wait for it
  // to close (or for the drain timer).
  stream_->shutdown_send();
}

void Connection::close(const std::string& reason) {
  if (state_ == State::Closed) return;
  finish(reason);
}

void Connection::finish(const std::string& reason) {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  stream_->close();
  heartbeat_timer_.cancel();
  drain_timer_.cancel();
  write_queue_.clear();
  queued_bytes_ = 0;
  if (on_close_) {
    auto handler = std::move(on_close_);
    on_close_ = nullptr;
    on_message_ = nullptr;
    handler(reason);
  }
}

}  // namespace attune::net
