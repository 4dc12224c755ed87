// Test vectors for Attune's own handshake steps (proto/HANDSHAKE.md,
// section "Test vectors"), for fixed keys and fixed "random" bytes.
//
// Each value is computed from the formulas as the document states them, and
// checked against what the real state machines (JoinerHandshake,
// HostHandshake) and SecureChannel put on the wire; any disagreement is
// reported as a problem rather than printed as a vector.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace attune::contract {

struct HandshakeVectors {
  std::vector<std::pair<std::string, std::string>> values;  // name, lower-case hex or "quoted text"
  std::vector<std::string> problems;                        // Code and document disagree.
};

HandshakeVectors handshake_vectors();

// The markdown block the document holds: a fenced block of `name = value` lines.
std::string render(const HandshakeVectors& vectors);

// Reads `name = value` lines back out of a rendered block.
std::map<std::string, std::string> parse_vectors(const std::string& block);

}  // namespace attune::contract
