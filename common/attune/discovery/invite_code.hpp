// Invite strings: what a host copies into a chat and the joiner pastes, for
// when devices cannot see each other on the LAN (VPNs, guest Wi-Fi).
//
// Form: "attune:" + lowercase base32 (RFC 4648 alphabet, no padding) of an
// Invite protobuf followed by its CRC-32. Base32 survives chat apps that
// change letter case, and has no characters that chats turn into formatting.
// Parsing ignores case, whitespace and dashes (chat apps wrap and split long
// words) and checks the checksum before trusting anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attune::discovery {

inline constexpr std::string_view kInvitePrefix = "attune:";
inline constexpr size_t kMaxInviteChars = 400;
inline constexpr size_t kMaxInviteAddresses = 8;
inline constexpr size_t kMaxInviteHostNames = 4;
inline constexpr size_t kMaxSessionCodeBytes = 32;

struct InviteInfo {
  std::vector<std::string> addresses;   // Numeric IPv4/IPv6 text, best first.
  std::vector<std::string> host_names;  // Optional DNS names.
  uint16_t port = 0;
  std::string session_code;
  friend bool operator==(const InviteInfo&, const InviteInfo&) = default;
};

enum class InviteError {
  None,
  Empty,             // Nothing pasted.
  TooLong,           // Longer than any invite we make.
  MissingPrefix,     // Does not start with "attune:".
  BadCharacter,      // Characters base32 never uses.
  Truncated,         // Too short to hold a checksum, or cut mid-character.
  BadChecksum,       // Changed or partly copied.
  Malformed,         // Checksum fine but content unreadable.
  NoAddress,         // No way to reach the host.
  BadAddress,        // An address is not a numeric IPv4/IPv6 address.
  LinkLocalAddress,  // fe80:: addresses only work on one link; never invite with them.
  BadPort,
  TooMany,  // Over the address / name / code limits.
  BadCode,  // A session code that is not the six-digit pairing code.
};

// A short, warm sentence for the user about what went wrong.
std::string describe(InviteError error);

struct InviteEncode {
  std::string text;  // Set when error == None.
  InviteError error = InviteError::None;
};

struct InviteParse {
  std::optional<InviteInfo> invite;
  InviteError error = InviteError::None;
};

InviteEncode encode_invite(const InviteInfo& info);
InviteParse parse_invite(std::string_view text);
// True when the text looks like it was meant as an invite (for routing a
// pasted string to parse_invite or to address parsing).
bool looks_like_invite(std::string_view text);

// RFC 4648 base32, lowercase, no padding; decoding ignores case.
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

}  // namespace attune::discovery
