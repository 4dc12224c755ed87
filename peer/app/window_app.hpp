// The window app's front door: `attune` opens this by default.
#pragma once

#include <functional>
#include <memory>
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
  // Makes the launcher a window uses to host and join. Default: sessions in
  // this process only (LocalLauncher).
  std::function<std::unique_ptr<SessionLauncher>(const std::string& device_id)> make_launcher;
};

// Runs until every window is closed. Returns a process exit code.
int run_window_app(const WindowAppOptions& options);

}  // namespace attune::app
