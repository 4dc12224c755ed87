// What the handshake doc tests share: throwaway devices, and a step's
// refusal written the way proto/HANDSHAKE.md writes it.
#pragma once

#include <sodium.h>

#include <string>

#include "attune/pairing/handshake.hpp"
#include "test_random.hpp"

namespace attune::contract {

// A device with a fresh random key under the id given.
inline crypto::DeviceIdentity device(const std::string& id) {
  crypto::Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return crypto::DeviceIdentity(id, seed);
}

// A host and a joiner, and the pins a host may hold for the joiner.
struct Pair {
  crypto::DeviceIdentity host = device("host-laptop");
  crypto::DeviceIdentity joiner = device("joiner-laptop");
  crypto::RandomFn random = test::test_random();
  pairing::PinnedKeys joiner_pinned() const { return {{joiner.device_id(), joiner.public_key()}}; }
  pairing::PinnedKeys other_key_pinned() const { return {{joiner.device_id(), device("x").public_key()}}; }
};

// A refusal as the document writes it: `HandshakeRefusal{WRONG_CODE}`.
inline std::string refusal_of(const pairing::HandshakeStep& step) {
  if (!step.send || !step.send->has_refusal()) return step.success ? "(accepted)" : "(no refusal)";
  const std::string name = v1::HandshakeRefusalReason_Name(step.send->refusal().reason());
  return "`HandshakeRefusal{" + name.substr(std::string("HANDSHAKE_REFUSAL_REASON_").size()) + "}`";
}

}  // namespace attune::contract
