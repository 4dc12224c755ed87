// The headless front door's screen: every replica event as one JSON line on
// stdout (the format is a contract; see README.md, "Headless peer").
#pragma once

#include <google/protobuf/message.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>

#include "node.hpp"

namespace attune::discovery {
class LanAnnouncer;
}

namespace attune::cli {

// One JSON object per line; whole lines only, whichever thread prints.
class JsonOut {
 public:
  void line(const nlohmann::json& object);

 private:
  std::mutex mutex_;
};

// A message as JSON, with the field names of the .proto file.
nlohmann::json to_json(const google::protobuf::Message& message);
// "hosting", "connecting", "connected", "reconnecting" or "offline".
std::string_view link_name(LinkState link);

// Prints each event the node reports. A fatal event, or the session's end,
// stores the process's exit code in `exit_code`. `nearby` (may be null) is
// told which seats are free after each state.
// The `announced` line: devices nearby see this session under `tag`.
void print_announced(JsonOut& out, const std::string& tag);

net::ReplicaEvents print_events(JsonOut& out, discovery::LanAnnouncer* nearby, std::atomic<int>& exit_code);

}  // namespace attune::cli
