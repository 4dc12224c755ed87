#include "attune/discovery/host_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace attune::discovery {

namespace {

constexpr size_t kMaxAddressChars = 300;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535)
    return std::nullopt;
  return static_cast<uint16_t>(value);
}

bool is_ipv4(const std::string& text) {
  std::array<unsigned char, 4> buf{};
  return inet_pton(AF_INET, text.c_str(), buf.data()) == 1;
}

// IPv6 with an optional "%scope" (interface name or number).
bool is_ipv6(const std::string& text) {
  const auto percent = text.find('%');
  const std::string bare = text.substr(0, percent);
  std::array<unsigned char, 16> buf{};
  if (inet_pton(AF_INET6, bare.c_str(), buf.data()) != 1) return false;
  if (percent == std::string::npos) return true;
  const std::string scope = text.substr(percent + 1);
  if (scope.empty() || scope.size() > 15) return false;
  for (const char c : scope) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

bool all_digits_and_dots(std::string_view s) {
  for (const char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return false;
  }
  return true;
}

AddressParse fail(std::string message) { return AddressParse{std::nullopt, std::move(message)}; }

}  // namespace

bool is_valid_host_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);  // Fully qualified form.
  if (name.empty() || name.size() > 253) return false;
  size_t label = 0;
  char prev = '.';
  for (const char c : name) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else {
      const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
      if (!ok || (label == 0 && c == '-') || ++label > 63) return false;
    }
    prev = c;
  }
  return prev != '-';
}

std::string HostAddress::to_string() const {
  const std::string p = std::to_string(port);
  switch (kind) {
    case Kind::Ipv6:
      return "[" + host + "]:" + p;
    case Kind::Ipv4:
    case Kind::Name:
      return host + ":" + p;
  }
  return host + ":" + p;
}

AddressParse parse_host_address(std::string_view text, uint16_t default_port) {
  text = trim(text);
  if (text.empty()) return fail("Type the host's address, like 192.168.1.20 or laptop.local.");
  if (text.size() > kMaxAddressChars)
    return fail("That address is too long to be real. Check what was pasted.");

  std::string host;
  std::optional<uint16_t> port = default_port;
  const std::string_view bad_port = "The part after the colon should be a port number from 1 to 65535.";

  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return fail("An IPv6 address in brackets needs its closing \"]\".");
    host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return fail("After \"]\" only \":port\" may follow.");
      port = parse_port(rest.substr(1));
      if (!port) return fail(std::string(bad_port));
    }
    if (!is_ipv6(host)) return fail("That is not an IPv6 address. Check the part inside the brackets.");
    return AddressParse{HostAddress{HostAddress::Kind::Ipv6, host, *port}, {}};
  }

  const auto colons = std::count(text.begin(), text.end(), ':');
  if (colons > 1) {
    // Bare IPv6 cannot carry a port: the last colon is part of the address.
    host = std::string(text);
    if (!is_ipv6(host))
      return fail("That is not an IPv6 address. With a port, write it like [fd00::5]:47000.");
    return AddressParse{HostAddress{HostAddress::Kind::Ipv6, host, *port}, {}};
  }
  if (colons == 1) {
    const auto colon = text.find(':');
    host = std::string(text.substr(0, colon));
    port = parse_port(text.substr(colon + 1));
    if (!port) return fail(std::string(bad_port));
  } else {
    host = std::string(text);
  }
  if (host.empty()) return fail("The address is missing before the colon.");
  if (is_ipv4(host)) return AddressParse{HostAddress{HostAddress::Kind::Ipv4, host, *port}, {}};
  if (all_digits_and_dots(host))
    return fail("That is not a valid IPv4 address: each part goes from 0 to 255.");
  if (!is_valid_host_name(host))
    return fail("That name has characters an address cannot have. Check for spaces or typos.");
  return AddressParse{HostAddress{HostAddress::Kind::Name, host, *port}, {}};
}

}  // namespace attune::discovery
