// Whether a session id is one this device took part in, for "repaired in a
// session": the window's past sessions (history-*.db) and the session store
// (attune.db: the last session hosted or joined, and every session this
// device checked in during). Read only; nothing is created or changed.
#pragma once

#include <filesystem>
#include <string>

namespace attune::journal {

enum class SessionCheck {
  Known,
  Unknown,
  Unreadable,  // Not found, and the session store was held by a running Attune.
};

SessionCheck check_session(const std::filesystem::path& data_dir, const std::string& session_id);

}  // namespace attune::journal
