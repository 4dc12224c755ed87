// A host speaking the handshake over stdin/stdout, for the interop test: an
// independent joiner written from proto/HANDSHAKE.md alone (in Python) must
// pair with it and exchange an encrypted frame. Framing on the pipes: each
// message is a 4-byte big-endian length, then the bytes.
//
// Usage: handshake_host_tool CODE
// After a successful handshake it opens one data frame from the joiner and
// answers with "echo: " + payload, then a close frame.
#include <sodium.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "attune/crypto/secure_channel.hpp"
#include "attune/pairing/handshake.hpp"

namespace {

using namespace attune;

bool read_exact(std::string& out, std::size_t n) {
  out.resize(n);
  return n == 0 || std::fread(out.data(), 1, n, stdin) == n;
}

bool read_message(std::string& out) {
  std::string len;
  if (!read_exact(len, 4)) return false;
  const std::size_t n = (std::size_t{static_cast<unsigned char>(len[0])} << 24) |
                        (std::size_t{static_cast<unsigned char>(len[1])} << 16) |
                        (std::size_t{static_cast<unsigned char>(len[2])} << 8) |
                        static_cast<unsigned char>(len[3]);
  if (n > (1u << 20)) return false;
  return read_exact(out, n);
}

void write_message(const std::string& bytes) {
  const auto n = static_cast<std::uint32_t>(bytes.size());
  const unsigned char len[4] = {static_cast<unsigned char>(n >> 24), static_cast<unsigned char>(n >> 16),
                                static_cast<unsigned char>(n >> 8), static_cast<unsigned char>(n)};
  std::fwrite(len, 1, 4, stdout);
  std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || !crypto::init_crypto()) {
    std::cerr << "usage: handshake_host_tool CODE\n";
    return 2;
  }
  crypto::Seed seed;
  randombytes_buf(seed.data(), seed.size());
  const crypto::DeviceIdentity self("interop-host", seed);
  crypto::RandomFn random = [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); };
  pairing::HostHandshake server(self, pairing::HostHandshakeConfig{std::string(argv[1]), {}}, random);

  std::optional<crypto::ChannelKeys> keys;
  for (int round = 0; round < 2 && !keys; ++round) {
    std::string bytes;
    v1::HandshakeMessage msg;
    if (!read_message(bytes) || !msg.ParseFromString(bytes)) {
      std::cerr << "host: bad handshake message\n";
      return 1;
    }
    const pairing::HandshakeStep step = server.receive(msg);
    if (step.send) write_message(step.send->SerializeAsString());
    if (step.error) {
      std::cerr << "host: " << pairing::user_message(*step.error, pairing::HandshakeSide::Host) << "\n";
      return 3;
    }
    if (step.success) {
      keys = step.success->keys;
      std::cerr << "host: paired with " << step.success->peer.device_id << "\n";
    }
  }
  if (!keys) return 1;

  crypto::SecureChannel channel(*keys);
  std::string frame;
  if (!read_message(frame)) return 1;
  const crypto::OpenedFrame opened = channel.open(crypto::as_bytes(frame));
  if (!opened.ok()) {
    std::cerr << "host: " << crypto::describe(*opened.error) << "\n";
    return 4;
  }
  std::string reply = "echo: " + std::string(opened.payload.begin(), opened.payload.end());
  const crypto::Bytes sealed = channel.seal(crypto::as_bytes(reply));
  write_message(std::string(sealed.begin(), sealed.end()));
  const crypto::Bytes close = channel.seal_close();
  write_message(std::string(close.begin(), close.end()));
  return 0;
}
