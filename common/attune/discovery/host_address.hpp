// What a user types to join by address: "10.0.0.5", "10.0.0.5:47000",
// "[fd00::5]:47000", "fd00::5", "[fe80::1%wlan0]:47000", "laptop.lan:47000".
// Pure parsing only; resolving names is the shell's job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace attune::discovery {

struct HostAddress {
  enum class Kind { Ipv4, Ipv6, Name };
  Kind kind = Kind::Name;
  std::string host;  // Without brackets; IPv6 may carry "%scope".
  uint16_t port = 0;
  friend bool operator==(const HostAddress&, const HostAddress&) = default;

  // "host:port", with brackets around IPv6.
  std::string to_string() const;
};

struct AddressParse {
  std::optional<HostAddress> address;
  std::string error;  // Warm, plain words for the user when address is empty.
};

// Parses one address; `default_port` is used when none is given.
AddressParse parse_host_address(std::string_view text, uint16_t default_port);

// True for a syntactically valid DNS host name (labels of letters, digits
// and dashes, 1..63 each, 253 in all).
bool is_valid_host_name(std::string_view name);

}  // namespace attune::discovery
