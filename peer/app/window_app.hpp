// The window app's front door: `attune` opens this by default.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/session_launcher.hpp"

namespace attune::app {

struct WindowAppOptions {
  bool demo = false;           // Two windows (host and partner) to try it alone.
  std::string data_dir;        // History and window placement; default ~/.local/share/attune.
  std::string name;            // Prefills "Your name".
  double exit_after_s = 0;     // Quit by itself after this long (benchmarks); 0 = never.
  bool always_render = false;  // Draw every frame without waiting (the benchmark's baseline).
  std::string screenshot_dir;  // If set, F12 saves the window as a PNG there (for reviews).
  // If set, each window appends a JSON line of what it drew whenever that
  // changes (see frame_report.hpp): the journey test reads it.
  std::string report_path;
  // If set, commands appended to this file become input in the window (see
  // control_input.hpp); a test seam, hidden.
  std::string control_path;
  bool no_discovery = false;  // Never browse or announce nearby (tests on loopback).
  // Tests: the postbox listens on 127.0.0.1, and partner beacons and nearby
  // sessions (unless no_discovery) go over loopback only.
  bool loopback_only = false;
  uint16_t discovery_port = 0;  // Tests: nearby sessions on their own port (0: the usual one).
  // What `attune host` / `attune join` were told, honoured in the window too.
  std::string bind_address = "0.0.0.0";
  uint16_t port = 0;
  bool full_sync = false;
  bool fresh_start = false;  // Move a saved session aside before starting.
  // Start straight away (e.g. `attune host ...` / `attune join ...`).
  std::optional<HostRequest> auto_host;
  std::optional<JoinRequest> auto_join;
  // Makes the launcher a window uses to host and join, given the window's
  // own data folder. Default: the network node (NetLauncher).
  std::function<std::unique_ptr<SessionLauncher>(const std::string& node_dir, bool loopback_only)>
      make_launcher;
};

// Runs until every window is closed. Returns a process exit code.
int run_window_app(const WindowAppOptions& options);

}  // namespace attune::app
