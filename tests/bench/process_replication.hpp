// The replication figure between three real `attune --headless` processes
// over loopback (host A, partner B, coach): from a command line written to
// B's stdin to the state line with the new change on every process's
// stdout. It includes what the in-process figure leaves out: a pipe and the
// command reader into B, and a JSON line and a pipe out of each process.
#pragma once

#include <string>
#include <vector>

namespace attune::bench {

// `intents` samples in microseconds (after a warm-up), or why it could not
// run, in *error.
std::vector<double> process_replication(const std::string& attune_binary, int intents, std::string* error);

}  // namespace attune::bench
