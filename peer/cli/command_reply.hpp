// How a one-shot command (`attune journal ...`, `attune prepare ...`, `attune reminder ...`)
// answers: with --headless one JSON line per answer, else plain sentences;
// a problem is an `<error_event>` line (or a sentence on stderr) and the
// usage exit code.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "cli/reference.hpp"

namespace attune::cli {

struct CommandReply {
  bool json;
  std::ostream& out;
  std::ostream& err;
  const char* error_event;  // "journal_error", "prepare_error", "reminder_error".

  void event(const nlohmann::json& j, const std::string& text) const {
    if (json)
      out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    else
      out << text;
  }
  int problem(const std::string& message) const {
    if (json)
      out << nlohmann::json{{"event", error_event}, {"message", message}}.dump() << "\n";
    else
      err << "attune: " << message << "\n";
    return static_cast<int>(ExitCode::Usage);
  }
};

}  // namespace attune::cli
