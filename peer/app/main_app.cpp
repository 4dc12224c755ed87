// attune-app: the window app on its own, until peer/main.cpp opens it by
// default. Same options as the window part of `attune`.
#include <CLI/CLI.hpp>

#include "app/window_app.hpp"
#include "log_sink.hpp"

int main(int argc, char** argv) {
  // Log lines can quote other devices: nothing in them may drive a terminal.
  attune::log_to_stderr_sanitized("attune-app");
  CLI::App cli{"Attune: a calm, guided repair conversation for two partners."};
  attune::app::WindowAppOptions opt;
  cli.add_flag("--demo", opt.demo, "Try it alone: opens two windows, a host and a partner, on this computer");
  cli.add_option("--name", opt.name, "Your display name");
  cli.add_option("--data-dir", opt.data_dir, "Where history and window placement are kept");
  cli.add_option("--exit-after", opt.exit_after_s,
                 "Quit after this many seconds and print CPU use (benchmarks)");
  cli.add_flag("--always-render", opt.always_render, "Draw every frame without waiting (benchmark baseline)");
  cli.add_option("--screenshot-dir", opt.screenshot_dir, "F12 saves the window as a PNG in this folder");
  CLI11_PARSE(cli, argc, argv);
  return attune::app::run_window_app(opt);
}
