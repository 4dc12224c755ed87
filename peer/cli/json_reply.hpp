// One answer of a local command (journal, reminder): a JSON line with
// --headless, else plain sentences; a problem is an `<kind>_error` event or
// a line on stderr, and a usage exit code.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "cli/headless.hpp"

namespace attune::cli {

struct JsonReply {
  bool json;
  std::ostream& out;
  std::ostream& err;
  const char* error_event;  // "journal_error", "reminder_error".
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
