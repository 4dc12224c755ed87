// Attune's front door. The networked headless peer and the window app plug in
// here; until they land it answers --help and --version.
#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"Attune: a calm, structured repair conversation for two, on two devices."};
  app.set_version_flag("--version", std::string("attune ") + ATTUNE_VERSION);
  CLI11_PARSE(app, argc, argv);
  std::cout << "Attune is built. Hosting and joining sessions arrive with the network layer;\n"
               "run `attune --help` to see what this build can do.\n";
  return 0;
}
