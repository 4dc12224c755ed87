// What the start screen asks for: host a session, or join one. Plain data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attune/engine.hpp"

namespace attune::app {

struct HostRequest {
  std::string display_name;
  std::string session_name;
  v1::Role role = v1::ROLE_PARTNER_A;
  v1::Settings settings;
};

struct JoinRequest {
  std::string display_name;
  std::string target;  // Invite text, host:port, or a nearby session's id.
  std::string code;
  v1::Role role = v1::ROLE_PARTNER_B;
  bool picked_nearby = false;  // Chosen from "Sessions nearby", not typed.
};

// A session heard nearby. Announcements name nobody (no person, no session
// name): a joiner sees names only after pairing.
struct NearbySession {
  std::string id;   // Pass as JoinRequest::target.
  std::string tag;  // Short tag the host's screen shows too, e.g. "K7QM".
  uint32_t open_seats = 0;
  std::string where;  // "on this computer", "192.168.1.20".
};

// The hosted session "Start now" began for the paired partner (both empty
// for any other session).
struct PartnerSession {
  std::string device_id;  // Let in by the host with no "Let in" when it comes.
  std::string name;       // As paired, for "Waiting for <name>".
};

}  // namespace attune::app
