// What may leave this device as an intent: checked at the door, before an
// intent is queued, stored or sealed, so nothing that can never be delivered
// ever waits in the outbox (where it would be resent at every start).
#pragma once

#include <cstddef>
#include <optional>

#include "attune/engine.hpp"

namespace attune {

// Above every intent the engine accepts (the largest, WriteListening with
// both texts at kMaxTextBytes, is about 16.4 KB), and far below a frame once
// sealed, padded and wrapped.
inline constexpr std::size_t kMaxIntentBytes = 20 * 1024;

// A refusal in plain words when `intent` is too big to send or holds text
// that is not UTF-8; nullopt when it may go.
std::optional<v1::Refusal> check_outgoing_intent(const Intent& intent);

}  // namespace attune
