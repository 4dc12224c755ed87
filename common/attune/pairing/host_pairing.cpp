#include "attune/pairing/host_pairing.hpp"

#include <algorithm>
#include <utility>

namespace attune::pairing {

HostPairing::HostPairing(crypto::DeviceIdentity self, PairingPolicyConfig config, crypto::RandomFn random)
    : self_(std::move(self)), random_(random), policy_(config, std::move(random)) {}

std::optional<v1::HandshakeMessage> HostPairing::on_connect(ConnectionId id, std::string_view source,
                                                            TimePoint now) {
  // Never refused for want of a slot: strangers holding handshakes open must
  // not keep a paired device (or someone with the code) out. Whether the
  // address may try a code is decided at its ClientHello, once the mode is
  // known: a device proving a pinned key guesses nothing, so it is never
  // slowed down, even behind an address shared with a guesser.
  make_room(source);
  pending_.insert_or_assign(id, Pending{std::nullopt, 0, now + kHandshakeTimeout, std::string(source), false});
  return std::nullopt;
}

std::optional<HandshakeStep> HostPairing::begin(Pending& p, const v1::HandshakeMessage& message, TimePoint now) {
  std::optional<std::string> code;
  if (message.has_client_hello() && message.client_hello().mode() == v1::PAIRING_MODE_CODE) {
    const Admission admission = policy_.admit(p.source, now);
    if (!admission.allowed()) {
      HandshakeStep step;
      step.error = *admission.refusal;
      step.send = make_refusal(refusal_reason(*admission.refusal), admission.retry_after_seconds);
      return step;
    }
    code = admission.code;
    p.generation = admission.generation;
    p.charged = true;
  }
  p.handshake.emplace(self_, HostHandshakeConfig{code, pinned_}, random_);
  return std::nullopt;
}

HandshakeStep HostPairing::on_message(ConnectionId id, const v1::HandshakeMessage& message, TimePoint now) {
  auto it = pending_.find(id);
  if (it == pending_.end()) {
    HandshakeStep step;
    step.error = HandshakeError::ProtocolError;
    step.send = make_refusal(v1::HANDSHAKE_REFUSAL_REASON_PROTOCOL_ERROR);
    return step;
  }
  Pending& p = it->second;
  if (!p.handshake) {
    if (auto refused = begin(p, message, now)) {
      pending_.erase(it);
      return *refused;
    }
  }
  const bool judging_code = message.has_client_finish() && p.handshake->mode() == v1::PAIRING_MODE_CODE;
  if (judging_code && !p.handshake->finished() && !policy_.code_is_current(p.generation, now)) {
    // The code this attempt started with was rotated or closed meanwhile:
    // refuse without judging, so the answer says nothing about the guess.
    pending_.erase(it);
    HandshakeStep step;
    step.error = HandshakeError::CodeExpired;
    step.send = make_refusal(v1::HANDSHAKE_REFUSAL_REASON_CODE_EXPIRED);
    return step;
  }

  HandshakeStep step = p.handshake->receive(message);
  if (step.code_guess_checked) policy_.record_guess(p.generation, step.success.has_value(), now);
  if (step.success && step.success->mode == v1::PAIRING_MODE_CODE) {
    pinned_.insert_or_assign(step.success->peer.device_id, step.success->peer.public_key);
  }
  // A device that proved itself (right code or pinned key) was not guessing:
  // its attempt doesn't count, so devices sharing an address (NAT, VPN) and a
  // link that keeps dropping can always reconnect at once.
  if (step.success && p.charged) policy_.give_back_attempt(p.source);
  if (p.handshake->finished()) pending_.erase(it);
  return step;
}

void HostPairing::on_disconnect(ConnectionId id) { pending_.erase(id); }

void HostPairing::evict_oldest_of(std::string_view source) {
  auto oldest = pending_.end();
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->second.source != source) continue;
    if (oldest == pending_.end() || it->second.deadline < oldest->second.deadline) oldest = it;
  }
  if (oldest == pending_.end()) return;
  evicted_.push_back(oldest->first);
  pending_.erase(oldest);
}

void HostPairing::make_room(std::string_view source) {
  std::map<std::string_view, std::size_t> held;
  for (const auto& [id, p] : pending_) ++held[p.source];
  if (held[source] >= kMaxPendingPerSource) {
    evict_oldest_of(source);
    return;
  }
  if (pending_.size() < kMaxPendingHandshakes) return;
  // Every slot is taken: the address holding the most gives up its oldest
  // (among equals, the one whose oldest is oldest). A real handshake takes
  // milliseconds, so the newest is never the one that gives way.
  std::string_view busiest;
  std::size_t most = 0;
  TimePoint busiest_oldest{};
  for (const auto& [id, p] : pending_) {
    const std::size_t n = held[p.source];
    if (n > most || (n == most && p.deadline < busiest_oldest)) {
      busiest = p.source;
      most = n;
      busiest_oldest = p.deadline;
    }
  }
  // `busiest` points into pending_, which evict_oldest_of edits: copy it first.
  evict_oldest_of(std::string(busiest));
}

std::vector<ConnectionId> HostPairing::take_timed_out(TimePoint now) {
  std::vector<ConnectionId> out = std::exchange(evicted_, {});
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline <= now) {
      out.push_back(it->first);
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::optional<TimePoint> HostPairing::next_deadline() const {
  std::optional<TimePoint> next = policy_.next_deadline();
  for (const auto& [id, p] : pending_) {
    if (!next || p.deadline < *next) next = p.deadline;
  }
  return next;
}

}  // namespace attune::pairing
