// What a person gives to join a host, as text: an invite ("attune:...") or an
// address with its port ("192.168.1.20:47000", "[fd00::5]:47000",
// "laptop.lan:47000"). One parser for the window app and the headless peer,
// so both accept exactly the same things.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace attune::discovery {

struct JoinTarget {
  std::string host;   // Numeric address or name, without brackets.
  uint16_t port = 0;  // Never 0 when error is empty.
  std::string code;   // The pairing code an invite carries; empty for an address.
  std::string error;  // Warm, plain words when the text can't be used.
};

JoinTarget parse_join_target(std::string_view text);

}  // namespace attune::discovery
