// Figures for the handshake and the channel, each next to a baseline
// measured in the same run:
//  - a full code-mode pairing (both sides) vs one bare X25519 key agreement;
//  - a pinned reconnect (both sides) vs the same baseline;
//  - sealing + opening 1 KiB frames vs copying the same bytes.
// Usage: crypto_bench [iterations]
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "attune/crypto/secure_channel.hpp"
#include "attune/pairing/handshake.hpp"

namespace {

using namespace attune;
using Clock = std::chrono::steady_clock;

crypto::RandomFn rng() {
  return [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); };
}

crypto::DeviceIdentity device(const char* id) {
  crypto::Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return crypto::DeviceIdentity(id, seed);
}

template <typename F>
double micros_per(int n, F&& f) {
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) f();
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / n;
}

bool pair_once(pairing::JoinerHandshake client, pairing::HostHandshake server) {
  auto s1 = server.receive(client.hello());
  auto c2 = client.receive(*s1.send);
  auto s2 = server.receive(*c2.send);
  auto c3 = client.receive(*s2.send);
  return c3.success.has_value();
}

volatile unsigned char sink;

}  // namespace

int main(int argc, char** argv) {
  if (!crypto::init_crypto()) return 1;
  const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
  const auto host = device("host"), joiner = device("joiner");

  unsigned char sk[32], pk[32], shared[32];
  randombytes_buf(sk, sizeof sk);
  crypto_scalarmult_base(pk, sk);
  const double x25519 = micros_per(n, [&] {
    if (crypto_scalarmult(shared, sk, pk) != 0) std::abort();
    sink = shared[0];
  });

  int failures = 0;
  const double code = micros_per(n, [&] {
    failures += !pair_once(pairing::JoinerHandshake::with_code(joiner, "482913", rng()),
                           pairing::HostHandshake(host, pairing::HostHandshakeConfig{"482913", {}}, rng()));
  });
  const double pinned = micros_per(n, [&] {
    failures +=
        !pair_once(pairing::JoinerHandshake::with_pin(joiner, host.peer_identity(), rng()),
                   pairing::HostHandshake(
                       host, pairing::HostHandshakeConfig{std::nullopt, {{"joiner", joiner.public_key()}}}, rng()));
  });

  crypto::Key k1, k2;
  k1.bytes.fill(1);
  k2.bytes.fill(2);
  crypto::SecureChannel a(crypto::ChannelKeys{k1, k2}), b(crypto::ChannelKeys{k2, k1});
  const crypto::Bytes payload(1024, 0x5a);
  crypto::Bytes copy(1024);
  const int frames = n * 50;
  const double seal_open = micros_per(frames, [&] {
    const auto opened = b.open(a.seal(payload));
    if (!opened.ok()) std::abort();
    sink = opened.payload[0];
  });
  const double memcpy_us = micros_per(frames, [&] {
    std::copy(payload.begin(), payload.end(), copy.begin());
    sink = copy[static_cast<std::size_t>(sink) % copy.size()];
  });

  std::printf("iterations: %d handshakes, %d frames; failures: %d\n", n, frames, failures);
  std::printf("baseline  X25519 key agreement        %9.1f us\n", x25519);
  std::printf("pairing   code mode, both sides       %9.1f us  (%.1fx baseline)\n", code, code / x25519);
  std::printf("reconnect pinned mode, both sides     %9.1f us  (%.1fx baseline)\n", pinned, pinned / x25519);
  std::printf("baseline  copy 1 KiB                  %9.3f us\n", memcpy_us);
  std::printf("channel   seal+open 1 KiB frame       %9.3f us  (%.0fx baseline, %.0f MB/s)\n", seal_open,
              seal_open / memcpy_us, 1024.0 / seal_open);
  return failures == 0 ? 0 : 1;
}
