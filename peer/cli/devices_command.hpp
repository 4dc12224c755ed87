// `attune devices`: the devices this computer has paired with, and
// `attune devices forget ID` to remove one, so that it pairs with a code
// again (needed when a known device comes back with a new key).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace attune::cli {

// Lists the pinned devices (no forget_id) or forgets the one whose id
// starts with forget_id. Returns a process exit code (see ExitCode).
int run_devices(const std::filesystem::path& data_dir, const std::optional<std::string>& forget_id,
                std::ostream& out, std::ostream& err);

}  // namespace attune::cli
