#include "attune/discovery/invite_code.hpp"

#include <arpa/inet.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "attune/discovery/host_address.hpp"
#include "attune/v1/discovery.pb.h"

namespace attune::discovery {

namespace {

constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
constexpr size_t kChecksumBytes = 4;

int base32_value(char c) {
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower >= 'a' && lower <= 'z') return lower - 'a';
  if (lower >= '2' && lower <= '7') return lower - '2' + 26;
  return -1;
}

uint32_t checksum(std::string_view bytes) {
  return static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()),
                                     static_cast<uInt>(bytes.size())));
}

// Numeric address text -> 4 or 16 raw bytes.
std::optional<std::string> address_bytes(const std::string& text, InviteError& error) {
  std::array<unsigned char, 16> buf{};
  if (inet_pton(AF_INET, text.c_str(), buf.data()) == 1)
    return std::string(reinterpret_cast<char*>(buf.data()), 4);
  if (text.find('%') == std::string::npos && inet_pton(AF_INET6, text.c_str(), buf.data()) == 1) {
    if (buf[0] == 0xfe && (buf[1] & 0xc0) == 0x80) {
      error = InviteError::LinkLocalAddress;
      return std::nullopt;
    }
    return std::string(reinterpret_cast<char*>(buf.data()), 16);
  }
  error = text.find('%') != std::string::npos ? InviteError::LinkLocalAddress : InviteError::BadAddress;
  return std::nullopt;
}

std::optional<std::string> address_text(const std::string& bytes) {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  const int family = bytes.size() == 4 ? AF_INET : bytes.size() == 16 ? AF_INET6 : 0;
  if (family == 0 || inet_ntop(family, bytes.data(), buf.data(), buf.size()) == nullptr) return std::nullopt;
  return std::string(buf.data());
}

InviteError check_limits(const InviteInfo& info) {
  if (info.addresses.empty() && info.host_names.empty()) return InviteError::NoAddress;
  if (info.addresses.size() > kMaxInviteAddresses || info.host_names.size() > kMaxInviteHostNames ||
      info.session_code.size() > kMaxSessionCodeBytes)
    return InviteError::TooMany;
  for (const auto& name : info.host_names) {
    if (!is_valid_host_name(name)) return InviteError::BadAddress;
  }
  if (info.port == 0) return InviteError::BadPort;
  // Empty (the joiner types the code) or exactly the six digits the host shows.
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!info.session_code.empty() &&
      (info.session_code.size() != 6 || !std::all_of(info.session_code.begin(), info.session_code.end(), digit)))
    return InviteError::BadCode;
  return InviteError::None;
}

}  // namespace

std::string describe(InviteError error) {
  switch (error) {
    case InviteError::None:
      return "This invite looks good.";
    case InviteError::Empty:
      return "Paste the invite the host shared with you.";
    case InviteError::TooLong:
      return "That is longer than an invite. Try copying just the part that starts with \"attune:\".";
    case InviteError::MissingPrefix:
      return "An invite starts with \"attune:\". Ask the host to copy it again and paste all of it.";
    case InviteError::BadCharacter:
    case InviteError::Truncated:
    case InviteError::BadChecksum:
      return "This invite seems changed or cut short. Ask the host to copy it again and paste all of it.";
    case InviteError::Malformed:
      return "This invite could not be read. It may come from a newer Attune; updating may help.";
    case InviteError::NoAddress:
      return "This invite does not say where the host is. Ask the host for a fresh one.";
    case InviteError::BadAddress:
      return "One of the addresses in this invite is not usable. Ask the host for a fresh one.";
    case InviteError::LinkLocalAddress:
      return "This address only works on the host's own network cable or Wi-Fi, so it cannot go in an "
             "invite.";
    case InviteError::BadPort:
      return "This invite has no usable port. Ask the host for a fresh one.";
    case InviteError::TooMany:
      return "This invite holds more than Attune can use. Ask the host for a fresh one.";
    case InviteError::BadCode:
      return "The code in this invite isn't the six digits a host shows. Ask the host for a fresh one, or type "
             "the code from their screen.";
  }
  return "This invite could not be read.";
}

std::string base32_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  // Lengths 1, 3 and 6 (mod 8) never come out of the encoder.
  const size_t rem = text.size() % 8;
  if (rem == 1 || rem == 3 || rem == 6) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = base32_value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  // Leftover bits must be zero, so each byte string has one spelling.
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

bool looks_like_invite(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  if (text.size() < kInvitePrefix.size()) return false;
  for (size_t i = 0; i < kInvitePrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != kInvitePrefix[i]) return false;
  }
  return true;
}

InviteEncode encode_invite(const InviteInfo& info) {
  InviteEncode out;
  out.error = check_limits(info);
  if (out.error != InviteError::None) return out;
  v1::Invite invite;
  for (const auto& address : info.addresses) {
    auto bytes = address_bytes(address, out.error);
    if (!bytes) return out;
    invite.add_addresses(*bytes);
  }
  for (const auto& name : info.host_names) invite.add_host_names(name);
  invite.set_port(info.port);
  invite.set_session_code(info.session_code);
  std::string payload = invite.SerializeAsString();
  const uint32_t sum = checksum(payload);
  for (int shift = 24; shift >= 0; shift -= 8) payload.push_back(static_cast<char>((sum >> shift) & 0xff));
  out.text = std::string(kInvitePrefix) + base32_encode(payload);
  if (out.text.size() > kMaxInviteChars) {
    out.text.clear();
    out.error = InviteError::TooMany;
  }
  return out;
}

InviteParse parse_invite(std::string_view text) {
  InviteParse out;
  auto fail = [&out](InviteError e) {
    out.error = e;
    return out;
  };
  // Bound the work before looking at the content.
  if (text.size() > 4 * kMaxInviteChars) return fail(InviteError::TooLong);
  std::string compact;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '-') continue;
    compact.push_back(c);
  }
  if (compact.empty()) return fail(InviteError::Empty);
  if (compact.size() > kMaxInviteChars) return fail(InviteError::TooLong);
  if (!looks_like_invite(compact)) return fail(InviteError::MissingPrefix);
  const std::string_view body = std::string_view(compact).substr(kInvitePrefix.size());
  for (const char c : body) {
    if (base32_value(c) < 0) return fail(InviteError::BadCharacter);
  }
  const auto raw = base32_decode(body);
  if (!raw || raw->size() <= kChecksumBytes) return fail(InviteError::Truncated);
  const std::string_view payload = std::string_view(*raw).substr(0, raw->size() - kChecksumBytes);
  uint32_t sum = 0;
  for (size_t i = payload.size(); i < raw->size(); ++i)
    sum = (sum << 8) | static_cast<unsigned char>((*raw)[i]);
  if (sum != checksum(payload)) return fail(InviteError::BadChecksum);

  v1::Invite invite;
  if (!invite.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    return fail(InviteError::Malformed);
  InviteInfo info;
  for (const auto& bytes : invite.addresses()) {
    // The same rule as when making one: a link-local address means nothing off the host's link.
    if (bytes.size() == 16 && static_cast<unsigned char>(bytes[0]) == 0xfe &&
        (static_cast<unsigned char>(bytes[1]) & 0xc0) == 0x80)
      return fail(InviteError::LinkLocalAddress);
    auto address = address_text(bytes);
    if (!address) return fail(InviteError::BadAddress);
    info.addresses.push_back(*address);
  }
  for (const auto& name : invite.host_names()) info.host_names.push_back(name);
  if (invite.port() > 65535) return fail(InviteError::BadPort);
  info.port = static_cast<uint16_t>(invite.port());
  info.session_code = invite.session_code();
  if (const auto e = check_limits(info); e != InviteError::None) return fail(e);
  out.invite = std::move(info);
  return out;
}

}  // namespace attune::discovery
