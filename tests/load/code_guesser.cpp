// A hostile second process for the load tests: it makes real pairing
// attempts (the project's own JoinerHandshake, so every attempt the host lets
// in runs CPace to the end) with codes that are wrong, one connection per
// attempt, from loopback source addresses it binds to (127.0.0.0/8 only).
// One JSON line per attempt on stdout, then a summary line.
//
// Usage: code_guesser <port> <attempts> <first-source> <sources> [code]
//   attempt i binds to first-source + (i % sources), e.g. 127.0.1.0 + 300.
//   With a code, each attempt types that code instead (a device that pairs
//   and then leaves without joining the session).
//
// The guesses are seven digits: the joiner uses a code that is not six
// digits as typed, so it can never match the host's six-digit code and the
// test stays deterministic, while the host still judges it as a code guess.
// (A real six-digit guess has odds of 1 in 1,000,000.)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "attune/frame_decoder.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/wire_codec.hpp"

namespace {

using attune::pairing::HandshakeError;

std::string outcome_name(HandshakeError error) {
  switch (error) {
    case HandshakeError::WrongCode:
      return "wrong_code";
    case HandshakeError::CodeExpired:
      return "code_expired";
    case HandshakeError::RateLimited:
      return "rate_limited";
    case HandshakeError::KeyChanged:
      return "key_changed";
    case HandshakeError::KeyRefused:
      return "key_refused";
    case HandshakeError::UnknownDevice:
      return "unknown_device";
    case HandshakeError::VersionMismatch:
      return "version_mismatch";
    case HandshakeError::ProtocolError:
      return "protocol_error";
  }
  return "?";
}

bool send_handshake(int fd, const attune::v1::HandshakeMessage& message) {
  attune::v1::Envelope envelope;
  *envelope.mutable_handshake() = message;
  const auto frame = attune::encode_envelope(envelope);
  return frame &&
         ::send(fd, frame->data(), frame->size(), MSG_NOSIGNAL) == static_cast<ssize_t>(frame->size());
}

// One pairing attempt; returns what came of it ("paired" must never happen).
std::string attempt(uint16_t port, in_addr source, int index, const std::string& code,
                    uint32_t& retry_after) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "socket_failed";
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = source;
  sockaddr_in host{};
  host.sin_family = AF_INET;
  host.sin_port = htons(port);
  host.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string result = "closed";  // The host closed the link before any answer.
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    result = "bind_failed";
  } else if (::connect(fd, reinterpret_cast<sockaddr*>(&host), sizeof host) != 0) {
    result = "connect_failed";
  } else {
    attune::crypto::Seed seed;
    randombytes_buf(seed.data(), seed.size());
    auto random = [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); };
    auto handshake = attune::pairing::JoinerHandshake::with_code(
        attune::crypto::DeviceIdentity("guesser-" + std::to_string(index), seed),
        code.empty() ? std::to_string(1000000 + index % 9000000) : code, random);
    bool done = !send_handshake(fd, handshake.hello());
    attune::FrameDecoder decoder;
    char buffer[4096];
    for (int reads = 0; reads < 64 && !done; ++reads) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      decoder.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      std::string payload;
      while (!done && decoder.next(payload) == attune::FrameDecoder::Status::Good) {
        attune::v1::Envelope envelope;
        if (attune::decode_envelope(payload, envelope) || !envelope.has_handshake()) continue;
        const auto step = handshake.receive(envelope.handshake());
        if (step.send) done = !send_handshake(fd, *step.send);
        if (step.error) {
          result = outcome_name(*step.error);
          retry_after = step.retry_after_seconds;
          done = true;
        } else if (step.success) {
          result = "paired";
          done = true;
        }
      }
    }
  }
  ::close(fd);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  if ((argc != 5 && argc != 6) || !attune::crypto::init_crypto()) {
    std::fprintf(stderr, "usage: code_guesser <port> <attempts> <first-source> <sources> [code]\n");
    return 2;
  }
  const auto port = static_cast<uint16_t>(std::atoi(argv[1]));
  const int attempts = std::atoi(argv[2]);
  in_addr first{};
  const int sources = std::atoi(argv[4]);
  const std::string code = argc == 6 ? argv[5] : "";
  if (::inet_pton(AF_INET, argv[3], &first) != 1 || (ntohl(first.s_addr) >> 24) != 127 || sources < 1 ||
      attempts < 0) {
    std::fprintf(stderr, "code_guesser: the source must be a 127.x.y.z address and counts positive\n");
    return 2;
  }
  nlohmann::json totals = nlohmann::json::object();
  for (int i = 0; i < attempts; ++i) {
    in_addr source{};
    source.s_addr = htonl(ntohl(first.s_addr) + static_cast<uint32_t>(i % sources));
    if ((ntohl(source.s_addr) >> 24) != 127) return 2;  // Never leave loopback.
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &source, text, sizeof text);
    uint32_t retry_after = 0;
    const std::string result = attempt(port, source, i, code, retry_after);
    totals[result] = totals.value(result, 0) + 1;
    std::printf("%s\n", nlohmann::json{{"event", "attempt"},
                                       {"i", i},
                                       {"source", text},
                                       {"result", result},
                                       {"retry_after", retry_after}}
                            .dump()
                            .c_str());
  }
  std::printf("%s\n", nlohmann::json{{"event", "done"}, {"totals", totals}}.dump().c_str());
  return 0;
}
