// What a person gives to join a host, as text: an invite ("attune:...") or an
// address with its port ("192.168.1.20:47000", "[fd00::5]:47000",
// "laptop.lan:47000"). One parser for the window app, the headless peer and
// attune-discovery, so all of them accept exactly the same things.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attune/discovery/host_address.hpp"

namespace attune::discovery {

struct JoinTarget {
  std::string host;   // The first place to try: numeric address or name, without brackets.
  uint16_t port = 0;  // Never 0 when error is empty.
  std::string code;   // The pairing code an invite carries; empty for an address.
  std::string error;  // Warm, plain words when the text can't be used.
  // Every place to try, in order (an invite's addresses, then its names);
  // the first is host:port.
  std::vector<HostAddress> candidates;
};

// `default_port` is used for an address written without one; 0 asks for it.
JoinTarget parse_join_target(std::string_view text, uint16_t default_port = 0);

}  // namespace attune::discovery
