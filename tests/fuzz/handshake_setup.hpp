// The fixed cast of the handshake fuzz target, shared with the seed
// generator: both sides draw from seeded (not secret) random streams, so a
// recorded conversation replays byte for byte and the fuzzer starts from
// messages that get all the way through the handshake and into the channel.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "attune/pairing/host_pairing.hpp"
#include "attune/pairing/secure_link.hpp"

namespace attune::fuzz {

inline const TimePoint kHandshakeNow = from_ms(1'790'000'000'000);
inline constexpr pairing::ConnectionId kConnection = 1;

// splitmix64: deterministic bytes for fuzzing only, never for real keys.
inline crypto::RandomFn seeded_random(std::uint64_t seed) {
  auto state = std::make_shared<std::uint64_t>(seed);
  return [state](std::span<std::uint8_t> out) {
    for (auto& byte : out) {
      std::uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      byte = static_cast<std::uint8_t>(z ^ (z >> 31));
    }
  };
}

inline crypto::DeviceIdentity fixed_device(const std::string& id, std::uint8_t fill) {
  crypto::Seed seed;
  seed.bytes.fill(fill);
  return crypto::DeviceIdentity(id, seed);
}

inline crypto::DeviceIdentity host_device() { return fixed_device("device-host", 0x11); }
inline crypto::DeviceIdentity joiner_device() { return fixed_device("device-b", 0x22); }

// The host side: code pairing open, and the joiner's key already pinned so
// reconnects (pinned mode) are reachable too.
struct HostSide {
  pairing::HostPairing pairing{host_device(), pairing::PairingPolicyConfig{}, seeded_random(1)};
  std::string code;
  HostSide() {
    code = pairing.policy().open_code(2, kHandshakeNow);
    pairing::PinnedKeys pins;
    const auto joiner = joiner_device();
    pins.emplace(joiner.device_id(), joiner.public_key());
    pairing.set_pinned(std::move(pins));
  }
};

// The code the host above shows (computed the same way, so joiner inputs
// recorded against it stay valid).
inline std::string host_code() { return HostSide().code; }

inline pairing::JoinerHandshake joiner_handshake(bool pinned) {
  if (pinned)
    return pairing::JoinerHandshake::with_pin(joiner_device(), host_device().peer_identity(),
                                              seeded_random(2));
  return pairing::JoinerHandshake::with_code(joiner_device(), host_code(), seeded_random(2));
}

}  // namespace attune::fuzz
