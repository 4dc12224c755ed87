#include "cli/event_printer.hpp"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <iostream>
#include <utility>

#include "attune/discovery/nearby_label.hpp"
#include "attune/text.hpp"
#include "cli/headless.hpp"
#include "coach_check_words.hpp"
#include "lan_announcer.hpp"

namespace attune::cli {

void print_announced(JsonOut& out, const std::string& tag) {
  out.line({{"event", "announced"},
            {"tag", tag},
            {"message", "Devices nearby can see this session as \"" + tag + "\"."}});
}

using nlohmann::json;

void JsonOut::line(const json& object) {
  const std::string text = object.dump(-1, ' ', false, json::error_handler_t::replace);
  std::lock_guard lock(mutex_);
  std::cout << text << '\n' << std::flush;
}

json to_json(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return json::object();
  return json::parse(text, nullptr, false);
}

std::string_view link_name(LinkState link) {
  switch (link) {
    case LinkState::Hosting:
      return "hosting";
    case LinkState::Connecting:
      return "connecting";
    case LinkState::Connected:
      return "connected";
    case LinkState::Reconnecting:
      return "reconnecting";
    case LinkState::Offline:
      return "offline";
  }
  return "offline";
}

namespace {

// A code this version has no name for (a newer host) is printed as
// "REFUSAL_CODE_UNSPECIFIED", never "".
std::string refusal_code_name(v1::RefusalCode code) {
  std::string name = v1::RefusalCode_Name(code);
  return name.empty() ? v1::RefusalCode_Name(v1::REFUSAL_CODE_UNSPECIFIED) : name;
}

// "CLOSE_REASON_GOING_AWAY" -> "going_away", as the JSON output shows it.
// A number this version has no name for (a newer host) is "unspecified":
// the joiner treats it as CLOSE_REASON_UNSPECIFIED too (it reconnects).
std::string close_reason_name(v1::CloseReason reason) {
  std::string name = v1::CloseReason_Name(reason);
  if (name.empty()) name = v1::CloseReason_Name(v1::CLOSE_REASON_UNSPECIFIED);
  constexpr std::string_view prefix = "CLOSE_REASON_";
  if (name.starts_with(prefix)) name.erase(0, prefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string_view pairing_kind_name(pairing::PolicyEventKind kind) {
  switch (kind) {
    case pairing::PolicyEventKind::CodeOpened:
      return "opened";
    case pairing::PolicyEventKind::CodeRotated:
      return "rotated";
    case pairing::PolicyEventKind::CodeExpired:
      return "expired";
    case pairing::PolicyEventKind::SeatsFilled:
      return "seats_filled";
  }
  return "";
}

// The exit code a fatal event ends the process with, and its JSON reason.
std::pair<ExitCode, std::string_view> fatal_exit(net::Fatal fatal) {
  switch (fatal) {
    case net::Fatal::VersionMismatch:
      return {ExitCode::VersionMismatch, "version_mismatch"};
    case net::Fatal::Removed:
      return {ExitCode::Removed, "removed"};
    case net::Fatal::Pairing:
      return {ExitCode::Pairing, "pairing"};
    case net::Fatal::JoinRefused:
      return {ExitCode::JoinRefused, "join_refused"};
  }
  return {ExitCode::Ok, ""};
}

// What happens in the session: states, answers to intents, coach levels.
void print_session_events(net::ReplicaEvents& events, JsonOut& out, discovery::LanAnnouncer* nearby) {
  events.state = [&out, nearby](const State& view, uint64_t seq, const std::string& cause) {
    out.line({{"event", "state"}, {"seq", seq}, {"cause", cause}, {"state", to_json(view)}});
    if (!nearby) return;
    // A seat that frees in the lobby is announced again, under a new tag.
    const std::string again = nearby->update_seats(discovery::seats_to_announce(view));
    if (!again.empty()) print_announced(out, again);
  };
  events.refused = [&out](const std::string& intent_id, const v1::Refusal& refusal) {
    out.line({{"event", "refused"},
              {"intent_id", intent_id},
              {"code", refusal_code_name(refusal.code())},
              {"message", refusal.message()}});
  };
  events.acked = [&out](const std::string& intent_id, uint64_t seq) {
    out.line({{"event", "ack"}, {"intent_id", intent_id}, {"seq", seq}});
  };
  events.queued = [&out](const std::string& intent_id) {
    out.line({{"event", "queued"}, {"intent_id", intent_id}});
  };
  events.held = [&out](const std::string& intent_id, const std::string& message) {
    out.line({{"event", "held"}, {"intent_id", intent_id}, {"message", message}});
  };
  events.coach_check = [&out](const crypto::CoachCheck& check, const std::string& name) {
    const std::string safe = sanitize_display_text(name);
    out.line({{"event", "coach_check"},
              {"coach_id", check.coach_id},
              {"name", safe},
              {"check_number", check.number},
              {"status", coach_trust_name(check.trust)},
              {"before", check.before},
              {"message", coach_check_words(check, safe)}});
  };
  events.coach_level = [&out](const v1::CoachLevel& level) {
    out.line({{"event", "coach_level"},
              {"partner", v1::Role_Name(level.partner())},
              {"level", level.level()},
              {"step", v1::Step_Name(level.step())},
              {"at_ms", level.at_ms()}});
  };
}

// What happens to this device: its link, pairing codes, storage, the end.
void print_device_events(net::ReplicaEvents& events, JsonOut& out, std::atomic<int>& exit_code) {
  events.link = [&out](LinkState link, const std::string& detail) {
    out.line({{"event", "link"}, {"link", link_name(link)}, {"detail", detail}});
  };
  events.problem = [&out](const std::string& message) {
    spdlog::warn("{}", message);
    out.line({{"event", "peer_problem"}, {"message", message}});
  };
  events.pairing = [&out](const pairing::PolicyEvent& event) {
    // The code is for the person at the host's screen to read out; it is
    // printed here because the headless front door's screen is stdout.
    out.line({{"event", "pairing_code"},
              {"kind", pairing_kind_name(event.kind)},
              {"code", event.code},
              {"message", pairing::user_message(event)}});
  };
  events.storage = [&out](const std::string& message) {
    std::cerr << "attune: " << message << '\n';
    out.line({{"event", "storage_unavailable"}, {"message", message}});
  };
  events.fatal = [&out, &exit_code](net::Fatal fatal, const std::string& message) {
    const auto [code, reason] = fatal_exit(fatal);
    std::cerr << "attune: " << message << '\n';
    out.line({{"event", "fatal"}, {"reason", reason}, {"message", message}});
    exit_code.store(static_cast<int>(code));
  };
  events.closed = [&out, &exit_code](const v1::Close& goodbye, bool reconnecting) {
    out.line({{"event", "closed"},
              {"reason", close_reason_name(goodbye.reason())},
              {"reconnect", reconnecting},
              {"message", goodbye.message()}});
    // The session is over: nothing to wait for (a removal ends as "fatal").
    if (goodbye.reason() == v1::CLOSE_REASON_SESSION_ENDED) exit_code.store(static_cast<int>(ExitCode::Ok));
  };
}

}  // namespace

net::ReplicaEvents print_events(JsonOut& out, discovery::LanAnnouncer* nearby, std::atomic<int>& exit_code) {
  net::ReplicaEvents events;
  print_session_events(events, out, nearby);
  print_device_events(events, out, exit_code);
  return events;
}

}  // namespace attune::cli
