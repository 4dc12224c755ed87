#include "cli/reference.hpp"

namespace attune::cli {

const std::vector<EventInfo>& event_list() {
  static const std::vector<EventInfo> list = {
      {"started", "mode, device_id, data_dir, version, check_number", "at start"},
      {"listening", "address, port", "host, once listening"},
      {"announced", "tag, message",
       "host: devices nearby can now see the session, as tag (not with --no-announce or a loopback --bind)"},
      {"state", "seq, cause (intent id, may be empty), state (protobuf JSON of SessionState)",
       "every change this device sees, and its stored snapshot at start"},
      {"submitted", "intent_id, input", "a command line became an intent"},
      {"queued", "intent_id", "joining device: the intent is on disk and will survive a crash"},
      {"held", "intent_id, message",
       "joining device: something done while the link was down reached the host during a pause or check-in; "
       "kept, and sent again once the session is active"},
      {"ack", "intent_id, seq", "the host applied the intent as change seq"},
      {"refused", "intent_id, code, message", "the host refused it; message is for people"},
      {"check_in", "level, step", "your own rating (printed only on your device)"},
      {"coach_level", "partner, level, step, at_ms", "coach devices: a partner who opted in checked in"},
      {"coach_check", "coach_id, name, check_number, status (unchecked, matched, declined, changed, proven, refused), before, message",
       "joining partner: a coach's check number as the host named it, and whether your ratings may go to it"},
      {"link", "link (connecting, connected, reconnecting, offline), detail",
       "joining device's link changed"},
      {"peer_problem", "message",
       "another device sent something broken or incompatible; only its link was closed"},
      {"pairing_code", "kind (opened, rotated, expired, seats_filled), code (empty once closed), message",
       "host: its code opened (at start or after new-code), was replaced after 5 wrong codes, ran out, or "
       "closed because every seat is taken"},
      {"error", "input, message",
       "a command line was not understood, or new-code could not make a code (the peer keeps running)"},
      {"help", "commands", "answer to help"},
      {"storage_unavailable", "message",
       "once: this device's disk refused a write; the session goes on in memory"},
      {"fresh_start", "set_aside, message", "--fresh-start moved the old data file to set_aside"},
      {"closed", "reason (going_away, silence, error, removed, session_ended, replaced, unspecified), reconnect, message",
       "joining device: the host closed the link on purpose and said why; with reconnect true this device comes "
       "back by itself, otherwise it stops"},
      {"fatal", "reason, message (file when reason is damaged_data)",
       "just before exiting with a non-zero code"},
  };
  return list;
}

std::string_view exit_code_meaning(ExitCode code) {
  switch (code) {
    case ExitCode::Ok:
      return "done: stdin ended, quit, SIGINT/SIGTERM, --help or --version, or the host closed a session that has ended";
    case ExitCode::Usage:
      return "bad command-line arguments (or --headless missing)";
    case ExitCode::VersionMismatch:
      return "the host and this device speak incompatible protocol versions";
    case ExitCode::Storage:
      return "the data folder can't be opened, another Attune is using it (--data-dir picks another), "
             "or its saved session is damaged (--fresh-start moves it aside)";
    case ExitCode::Network:
      return "the host could not listen on the requested address and port";
    case ExitCode::Removed:
      return "the host let this device go (declined in the lobby, or it left)";
    case ExitCode::Pairing:
      return "pairing failed: the code didn't match, was missing, or the host's key changed";
    case ExitCode::JoinRefused:
      return "the host refused the join (for example an empty or too-long name, or a taken seat)";
  }
  return {};
}

std::vector<ExitCode> exit_codes() {
  // The switch above names every enumerator (the compiler checks), so
  // walking the small numbers finds them all.
  std::vector<ExitCode> out;
  for (int n = 0; n < 128; ++n) {
    if (!exit_code_meaning(static_cast<ExitCode>(n)).empty()) out.push_back(static_cast<ExitCode>(n));
  }
  return out;
}

std::string exit_code_summary() {
  std::string out = "Exit codes:";
  for (const ExitCode code : exit_codes()) {
    out += (code == ExitCode::Ok ? " " : "; ") + std::to_string(static_cast<int>(code)) + " " +
           std::string(exit_code_meaning(code));
  }
  return out + ".";
}

}  // namespace attune::cli
