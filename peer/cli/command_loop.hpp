// The headless front door's keyboard: one command a line on stdin, run
// through the node, with what happened printed as JSON lines.
#pragma once

#include <atomic>

#include "cli/event_printer.hpp"
#include "cli/prepare_command.hpp"
#include "node.hpp"

namespace attune::cli {

// Reads until stdin ends, `quit`, `stop` is set (a signal), or `exit_code`
// is set (a fatal event or the session's end). `offers` (may be null)
// offers this device's prepared drafts as the session reaches them.
void run_command_loop(Node& node, JsonOut& out, const std::atomic<int>& exit_code,
                      const std::atomic<bool>& stop, DraftOffers* offers = nullptr);

}  // namespace attune::cli
