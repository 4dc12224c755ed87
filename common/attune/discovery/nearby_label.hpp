// What a beacon may say about a session, and nothing more (proto/discovery.md,
// "What a beacon reveals"). Beacons go to everyone on the network, so they
// carry no name of a person or of the session: only a short tag, derived
// from the random per-hosting-run instance id, that the host's screen shows
// too, so the people in the room can tell their session from a neighbour's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "attune/v1/session.pb.h"

namespace attune::discovery {

inline constexpr std::size_t kNearbyTagChars = 4;

// Four characters from an alphabet without look-alikes (no 0/O, 1/I/L, U),
// e.g. "K7QM". A new hosting run draws a new instance id, so a tag never
// follows a device or a couple from one session to the next.
std::string nearby_tag(uint64_t instance_id);

// The seats a newcomer could still take (the other partner's and free coach
// seats), or nullopt when the session should not be announced at all: its
// seats are full, or it has left the lobby.
std::optional<uint32_t> seats_to_announce(const v1::SessionState& state);

// The longest prefix of `text` of at most `max_bytes` bytes that is whole,
// valid UTF-8 characters: a cut never splits a character, and anything
// after an invalid byte is left out (for showing text heard from others).
std::string utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace attune::discovery
