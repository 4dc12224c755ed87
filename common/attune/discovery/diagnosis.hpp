// Turning discovery counters into words a non-technical user can act on.
//
// Pure: the shell fills DiagnosisInput from its sockets' counters; diagnose()
// decides what most likely went wrong and what to try, in plain sentences.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace attune::discovery {

// What one network interface did during discovery.
struct InterfaceReport {
  std::string name;
  std::vector<std::string> addresses;
  bool joined = false;     // Listening on the group on at least one family.
  std::string join_error;  // Why joining failed, if it did.
  uint64_t sent = 0;       // Datagrams handed to the network.
  uint64_t send_errors = 0;
  std::string last_send_error;
  uint64_t heard_own = 0;     // Our own datagrams echoed back (local path works).
  uint64_t heard_others = 0;  // Attune datagrams from other devices.
};

// A direct try of a known address (recent host or invite).
struct DirectCheck {
  std::string address;  // "host:port"
  bool reachable = false;
  std::string detail;  // e.g. "connection refused", "no answer within 3 s"
};

struct DiagnosisInput {
  std::vector<InterfaceReport> interfaces;
  uint64_t hosts_listed = 0;
  std::chrono::milliseconds listening_for{0};
  uint64_t other_version = 0;  // Attune packets from another protocol version.
  uint64_t malformed = 0;
  std::string socket_problem;  // Could not open or bind the discovery port.
  std::vector<DirectCheck> direct;
};

enum class Verdict {
  Found,              // At least one session is listed.
  StillLooking,       // Too early to say.
  NoNetwork,          // No usable interface.
  CannotListen,       // The discovery port could not be opened.
  CannotSend,         // Every send failed.
  OtherVersionsOnly,  // Heard Attune, but another version.
  NobodyHosting,      // Other Attune devices heard, none hosting.
  BlockedHere,        // Not even our own echo came back: local firewall.
  NothingHeard,       // Sent fine, heard no one: network keeps devices apart.
};

struct Diagnosis {
  Verdict verdict = Verdict::StillLooking;
  std::string headline;              // One sentence.
  std::vector<std::string> checked;  // What was checked, one line each.
  std::vector<std::string> advice;   // What to try, most useful first.
};

// How long to listen before "nothing found" is more than impatience.
inline constexpr std::chrono::milliseconds kPatience{2500};

Diagnosis diagnose(const DiagnosisInput& input);
std::string verdict_name(Verdict verdict);

}  // namespace attune::discovery
