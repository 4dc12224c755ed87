// The headless front door: hosts or joins, reads one command a line on
// stdin, and prints every state change and answer as one JSON line on
// stdout. See README.md, "Headless peer".
#pragma once

#include <filesystem>
#include <string>

#include "node.hpp"

namespace attune::cli {

// Process exit codes, documented in README.md.
enum class ExitCode : int {
  Ok = 0,               // stdin ended, `quit`, or a signal asked us to stop.
  Usage = 1,            // Bad command-line arguments.
  VersionMismatch = 2,  // The host and this device speak incompatible protocols.
  Storage = 3,          // The data folder could not be opened, or its file is damaged (see --fresh-start).
  Network = 4,          // Could not listen on the requested address/port.
  Removed = 5,          // The host let this device go (declined, or it left).
  Pairing = 6,          // The secure handshake failed: wrong code, no code, or a changed key.
  JoinRefused = 7,      // The host refused the join (an empty or too-long name, a taken seat).
};

// Whether a headless host announces itself on the LAN, as the window app does.
struct HeadlessDiscovery {
  bool announce = true;         // --no-announce turns it off.
  bool only_loopback = false;   // Tests: beacons on loopback only, never a real network.
};

// The port this device hosted on last (its last_host_port file), when it
// is free to listen on at `bind_address` again; 0 (any free port) otherwise.
// For a host given no --port: the partner's remembered address stays right.
uint16_t remembered_host_port(const std::filesystem::path& data_dir, const std::string& bind_address);

// Runs until stdin ends, `quit`, SIGINT/SIGTERM, or a fatal event.
int run_headless(NodeOptions options, HeadlessDiscovery discovery = {});

// What to tell the person when the data file can't be used.
std::string damaged_message(const store::DamagedStoreError& error);

}  // namespace attune::cli
