// A joining device written for tests, on a raw socket to 127.0.0.1: it pairs
// with a real host's code through the real handshake and then sends whatever
// sealed messages (and close frames) the test wants, and sees every frame the
// host sends back, close frames and the end of the stream included.
#pragma once

#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <string>

#include "attune/frame_decoder.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/pairing/secure_link.hpp"
#include "attune/v1/wire.pb.h"
#include "attune/wire_codec.hpp"
#include "peer_process.hpp"

namespace attune::test {

// Envelopes over one connected socket, framed as on the wire.
class EnvelopeSocket {
 public:
  void attach(int fd) { fd_ = fd; }
  void write(const v1::Envelope& envelope) {
    const auto frame = encode_envelope(envelope);
    (void)!::send(fd_, frame->data(), frame->size(), MSG_NOSIGNAL);
  }
  // The next envelope; nullopt once the stream ended, a read timed out or
  // the bytes were not an envelope (ended() tells the first apart).
  std::optional<v1::Envelope> read() {
    std::string payload;
    while (decoder_.next(payload) != FrameDecoder::Status::Good) {
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        ended_ = n == 0 || errno == ECONNRESET;
        return std::nullopt;
      }
      decoder_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    v1::Envelope envelope;
    if (decode_envelope(payload, envelope)) return std::nullopt;
    return envelope;
  }
  // The other side closed the connection (end of stream, or a reset).
  bool ended() const { return ended_; }

 private:
  int fd_ = -1;
  FrameDecoder decoder_;
  bool ended_ = false;
};

// The port and pairing code a freshly started host prints.
struct HostReady {
  uint16_t port = 0;
  std::string code;
};
inline std::optional<HostReady> wait_ready(PeerProcess& host) {
  auto is = [](const char* event) {
    return [event](const Json& j) { return j.value("event", "") == event; };
  };
  const auto listening = host.wait_for(is("listening"), std::chrono::seconds(20));
  const auto code = host.wait_for(is("pairing_code"), std::chrono::seconds(20));
  if (!listening || !code) return std::nullopt;
  return HostReady{(*listening)["port"].get<uint16_t>(), (*code)["code"].get<std::string>()};
}

// What arrived after this device's close frame, up to the end of the stream.
struct Ending {
  int data_frames = 0;       // Sealed messages the host had sent before it read the close frame.
  bool close_frame = false;  // The host answered with a close frame of its own.
  bool ended = false;        // The host closed the connection (not a read timeout).
};

class SealedDevice {
 public:
  SealedDevice(uint16_t port, const std::string& code)
      : link_(pairing::SecureLink::for_joiner(pairing::JoinerHandshake::with_code(
            identity(), code,
            [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); }))) {
    fd_ = connect_loopback(port, std::chrono::seconds(10), &connected_);
    socket_.attach(fd_);
  }
  ~SealedDevice() { ::close(fd_); }
  SealedDevice(const SealedDevice&) = delete;
  SealedDevice& operator=(const SealedDevice&) = delete;

  static constexpr const char* kId = "raw-device-1";

  // Runs the handshake; true once the channel is up.
  bool pair() {
    if (!connected_) return false;
    v1::Envelope opening;
    opening.mutable_handshake()->ParseFromString(*link_.opening_payload());
    write(opening);
    while (auto envelope = read()) {
      const auto in = link_.on_payload(envelope->handshake().SerializeAsString(), TimePoint{});
      for (const auto& step : in.send) {
        v1::Envelope reply;
        reply.mutable_handshake()->ParseFromString(step);
        write(reply);
      }
      if (in.close_reason) return false;
      if (in.established) return true;
    }
    return false;
  }
  // Sends its Hello and reads until the host's Welcome; false if none came.
  bool welcomed() {
    v1::Envelope hello;
    hello.mutable_hello()->set_protocol_version(kWireProtocolVersion);
    hello.mutable_hello()->set_device_id(kId);
    hello.mutable_hello()->set_display_name("Robin");
    hello.mutable_hello()->set_requested_role(v1::ROLE_PARTNER_B);
    send_sealed(hello.SerializeAsString());
    std::optional<v1::Envelope> got;
    while ((got = next()) && !got->has_welcome()) {
    }
    return got.has_value();
  }
  // Seals and sends the bytes of an Envelope (which may hold text that isn't UTF-8).
  void send_sealed(const std::string& inner) {
    v1::Envelope outer;
    outer.set_sealed(*link_.seal(inner));
    write(outer);
  }
  // The next sealed message, opened; nullopt when the link closed or went quiet.
  std::optional<v1::Envelope> next() {
    while (auto envelope = read()) {
      if (!envelope->has_sealed()) return envelope;  // An Error in clear, say.
      const auto in = link_.on_payload(envelope->sealed(), TimePoint{});
      if (in.close_reason) return std::nullopt;
      if (!in.message) continue;
      v1::Envelope inner;
      if (decode_envelope(*in.message, inner)) return std::nullopt;
      if (!inner.has_heartbeat()) return inner;
    }
    return std::nullopt;
  }
  // Sends the sealed close frame (and keeps its own side of the connection open).
  void say_goodbye(v1::CloseReason reason, const std::string& words) {
    v1::Close goodbye;
    goodbye.set_reason(reason);
    goodbye.set_message(words);
    v1::Envelope outer;
    outer.set_sealed(*link_.seal_close(goodbye.SerializeAsString()));
    write(outer);
  }
  // Every frame that still comes, until the host closes (or 10 s pass).
  Ending read_to_end() {
    Ending out;
    while (auto envelope = read()) {
      if (!envelope->has_sealed()) continue;
      const auto in = link_.on_payload(envelope->sealed(), TimePoint{});
      out.close_frame = out.close_frame || in.peer_said_goodbye;
      out.data_frames += in.message ? 1 : 0;
    }
    out.ended = socket_.ended();
    return out;
  }
  // After the end of the stream: true if bytes sent now are answered with a
  // reset within `within`, so the host's socket is gone rather than still
  // reading (and discarding) what comes.
  bool reset_when_written(std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    for (;;) {
      if (::send(fd_, "x", 1, MSG_NOSIGNAL) < 0) return errno == EPIPE || errno == ECONNRESET;
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd watch{fd_, 0, 0};  // POLLERR and POLLHUP come whatever is asked.
      if (::poll(&watch, 1, static_cast<int>(left.count())) > 0 && (watch.revents & (POLLERR | POLLHUP)))
        return true;
    }
  }

 private:
  static crypto::DeviceIdentity identity() {
    crypto::Seed seed;
    randombytes_buf(seed.data(), seed.size());
    return crypto::DeviceIdentity(kId, seed);
  }
  void write(const v1::Envelope& envelope) { socket_.write(envelope); }
  std::optional<v1::Envelope> read() { return socket_.read(); }

  int fd_ = -1;
  bool connected_ = false;
  pairing::SecureLink link_;
  EnvelopeSocket socket_;
};

}  // namespace attune::test
