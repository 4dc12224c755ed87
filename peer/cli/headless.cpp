#include "cli/headless.hpp"

#include <google/protobuf/util/json_util.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "attune/discovery/nearby_label.hpp"
#include "attune/text.hpp"
#include "cli/command_parser.hpp"
#include "lan_announcer.hpp"
#include "identity/private_file.hpp"

#include "cli/line_reader.hpp"
#include "random_id.hpp"
#include "store/folder_lock.hpp"
#include "wall_clock.hpp"

namespace attune::cli {

namespace {

using nlohmann::json;

std::atomic<bool> g_stop_requested{false};

extern "C" void on_stop_signal(int) { g_stop_requested.store(true); }

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

// One JSON object per line; whole lines only, whichever thread prints.
class JsonOut {
 public:
  void line(const json& object) {
    const std::string text = object.dump(-1, ' ', false, json::error_handler_t::replace);
    std::lock_guard lock(mutex_);
    std::cout << text << '\n' << std::flush;
  }

 private:
  std::mutex mutex_;
};

}  // namespace

std::string damaged_message(const store::DamagedStoreError& error) {
  return "Attune can't use the session saved in " + error.file().string() + ": " + error.what() +
         ". Nothing in it was changed. To start fresh, run Attune again with --fresh-start: that file is "
         "moved aside (kept, not deleted) and a new session begins.";
}

namespace {

// Another Attune has this folder: one sentence, exit 3 (as documented).
int folder_in_use(JsonOut& out, const store::FolderInUseError& error) {
  std::cerr << "attune: " << error.what() << '\n';
  out.line({{"event", "fatal"},
            {"reason", "data_dir_in_use"},
            {"data_dir", error.folder().string()},
            {"message", error.what()}});
  return static_cast<int>(ExitCode::Storage);
}

// "CLOSE_REASON_GOING_AWAY" -> "going_away", as the JSON output shows it.
std::string close_reason_name(v1::CloseReason reason) {
  std::string name = v1::CloseReason_Name(reason);
  constexpr std::string_view prefix = "CLOSE_REASON_";
  if (name.starts_with(prefix)) name.erase(0, prefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// Shows the session to devices nearby while a seat is free, and says so
// with the tag the others see (as the window app's lobby does).
void announce_nearby(JsonOut& out, discovery::LanAnnouncer* nearby, uint16_t port, const State& state) {
  if (!nearby) return;
  const auto seats = discovery::seats_to_announce(state);
  if (!seats) return;
  const std::string tag = nearby->announce(port, *seats);
  out.line({{"event", "announced"},
            {"tag", tag},
            {"message", "Devices nearby can see this session as \"" + tag + "\"."}});
}

}  // namespace

int run_headless(NodeOptions options, HeadlessDiscovery discovery) {
  JsonOut out;
  // The window app's announcer: beacons carry the port and free seats only.
  std::unique_ptr<discovery::LanAnnouncer> nearby;
  if (discovery.announce && options.mode == NodeOptions::Mode::Host) {
    discovery::ChannelOptions channel;
    channel.only_loopback = discovery.only_loopback;
    nearby = std::make_unique<discovery::LanAnnouncer>(channel);
  }
  std::atomic<int> fatal_code{-1};
  // Owner only, files and folders, including what an older version left open.
  if (const auto problem = identity::make_private_tree(options.data_dir))
    spdlog::info("data folder permissions: {}", *problem);

  net::ReplicaEvents events;
  events.state = [&](const State& view, uint64_t seq, const std::string& cause) {
    out.line({{"event", "state"}, {"seq", seq}, {"cause", cause}, {"state", to_json(view)}});
    if (nearby) nearby->update_seats(discovery::seats_to_announce(view));
  };
  events.refused = [&](const std::string& intent_id, const v1::Refusal& refusal) {
    out.line({{"event", "refused"},
              {"intent_id", intent_id},
              {"code", v1::RefusalCode_Name(refusal.code())},
              {"message", refusal.message()}});
  };
  events.acked = [&](const std::string& intent_id, uint64_t seq) {
    out.line({{"event", "ack"}, {"intent_id", intent_id}, {"seq", seq}});
  };
  events.queued = [&](const std::string& intent_id) {
    out.line({{"event", "queued"}, {"intent_id", intent_id}});
  };
  events.held = [&](const std::string& intent_id, const std::string& message) {
    out.line({{"event", "held"}, {"intent_id", intent_id}, {"message", message}});
  };
  events.link = [&](LinkState link, const std::string& detail) {
    out.line({{"event", "link"}, {"link", link_name(link)}, {"detail", detail}});
  };
  events.coach_level = [&](const v1::CoachLevel& level) {
    out.line({{"event", "coach_level"},
              {"partner", v1::Role_Name(level.partner())},
              {"level", level.level()},
              {"step", v1::Step_Name(level.step())},
              {"at_ms", level.at_ms()}});
  };
  events.problem = [&](const std::string& message) {
    spdlog::warn("{}", message);
    out.line({{"event", "peer_problem"}, {"message", message}});
  };
  events.pairing = [&](const pairing::PolicyEvent& event) {
    std::string kind;
    switch (event.kind) {
      case pairing::PolicyEventKind::CodeOpened:
        kind = "opened";
        break;
      case pairing::PolicyEventKind::CodeRotated:
        kind = "rotated";
        break;
      case pairing::PolicyEventKind::CodeExpired:
        kind = "expired";
        break;
      case pairing::PolicyEventKind::SeatsFilled:
        kind = "seats_filled";
        break;
    }
    // The code is for the person at the host's screen to read out; it is
    // printed here because the headless front door's screen is stdout.
    out.line({{"event", "pairing_code"},
              {"kind", kind},
              {"code", event.code},
              {"message", pairing::user_message(event)}});
  };
  events.storage = [&](const std::string& message) {
    std::cerr << "attune: " << message << '\n';
    out.line({{"event", "storage_unavailable"}, {"message", message}});
  };
  events.fatal = [&](net::Fatal fatal, const std::string& message) {
    ExitCode code = ExitCode::Ok;
    std::string reason;
    switch (fatal) {
      case net::Fatal::VersionMismatch:
        code = ExitCode::VersionMismatch;
        reason = "version_mismatch";
        break;
      case net::Fatal::Removed:
        code = ExitCode::Removed;
        reason = "removed";
        break;
      case net::Fatal::Pairing:
        code = ExitCode::Pairing;
        reason = "pairing";
        break;
      case net::Fatal::JoinRefused:
        code = ExitCode::JoinRefused;
        reason = "join_refused";
        break;
    }
    std::cerr << "attune: " << message << '\n';
    out.line({{"event", "fatal"}, {"reason", reason}, {"message", message}});
    fatal_code.store(static_cast<int>(code));
  };

  events.closed = [&](const v1::Close& goodbye, bool reconnecting) {
    out.line({{"event", "closed"},
              {"reason", close_reason_name(goodbye.reason())},
              {"reconnect", reconnecting},
              {"message", goodbye.message()}});
    // The session is over: nothing to wait for (a removal ends as "fatal").
    if (goodbye.reason() == v1::CLOSE_REASON_SESSION_ENDED) fatal_code.store(static_cast<int>(ExitCode::Ok));
  };

  if (options.fresh_start) {
    try {
      if (const auto aside = store::move_aside(options.data_dir)) {
        out.line({{"event", "fresh_start"},
                  {"set_aside", aside->string()},
                  {"message", "The earlier data file was moved aside to " + aside->string() +
                                  "; Attune starts fresh."}});
      }
    } catch (const store::FolderInUseError& error) {
      return folder_in_use(out, error);
    } catch (const store::StoreError& error) {
      const std::string message = std::string("Attune could not move its data file aside: ") + error.what();
      std::cerr << "attune: " << message << '\n';
      out.line({{"event", "fatal"}, {"reason", "storage"}, {"message", message}});
      return static_cast<int>(ExitCode::Storage);
    }
  }
  std::unique_ptr<Node> node;
  try {
    node = std::make_unique<Node>(options, events);
  } catch (const store::FolderInUseError& error) {
    return folder_in_use(out, error);
  } catch (const store::DamagedStoreError& error) {
    const std::string message = damaged_message(error);
    std::cerr << "attune: " << message << '\n';
    out.line({{"event", "fatal"},
              {"reason", "damaged_data"},
              {"file", error.file().string()},
              {"message", message}});
    return static_cast<int>(ExitCode::Storage);
  } catch (const std::exception& error) {
    const std::string message = std::string("Attune could not open its data folder: ") + error.what();
    std::cerr << "attune: " << message << '\n';
    out.line({{"event", "fatal"}, {"reason", "storage"}, {"message", message}});
    return static_cast<int>(ExitCode::Storage);
  }
  const bool hosting = options.mode == NodeOptions::Mode::Host;
  out.line({{"event", "started"},
            {"mode", hosting ? "host" : "join"},
            {"device_id", node->device_id()},
            {"data_dir", options.data_dir.string()},
            {"version", ATTUNE_VERSION}});
  try {
    node->start();
  } catch (const std::system_error& error) {
    const std::string message = "Attune could not listen on " + options.bind_address + ":" +
                                std::to_string(options.port) + ": " + error.code().message();
    std::cerr << "attune: " << message << '\n';
    out.line({{"event", "fatal"}, {"reason", "network"}, {"message", message}});
    return static_cast<int>(ExitCode::Network);
  } catch (const std::exception& error) {
    const std::string message = std::string("Attune could not resume the session: ") + error.what();
    std::cerr << "attune: " << message << '\n';
    out.line({{"event", "fatal"}, {"reason", "storage"}, {"message", message}});
    return static_cast<int>(ExitCode::Storage);
  }
  if (hosting) {
    out.line({{"event", "listening"}, {"address", options.bind_address}, {"port", node->port()}});
    announce_nearby(out, nearby.get(), node->port(), node->snapshot()->state);
  }

  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  auto handle_line = [&](std::string_view line) -> bool {
    const auto snapshot = node->snapshot();
    const Command command = parse_command(line, snapshot->state, wall_ms());
    return std::visit(
        [&](const auto& c) -> bool {
          using T = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<T, Blank>) {
            return true;
          } else if constexpr (std::is_same_v<T, ParseError>) {
            out.line({{"event", "error"}, {"input", std::string(line)}, {"message", c.message}});
            return true;
          } else if constexpr (std::is_same_v<T, SendIntent>) {
            const std::string id = random_id();
            out.line({{"event", "submitted"}, {"intent_id", id}, {"input", std::string(line)}});
            node->submit_as(id, c.intent);
            return true;
          } else if constexpr (std::is_same_v<T, SendCheckIn>) {
            const std::string id = random_id();
            // Only this device ever prints the number.
            out.line({{"event", "submitted"}, {"intent_id", id}, {"input", std::string(line)}});
            out.line(
                {{"event", "check_in"}, {"level", c.level}, {"step", v1::Step_Name(snapshot->state.step())}});
            node->check_in_as(id, c.level);
            return true;
          } else {
            switch (c) {
              case LocalAction::Help: {
                json list = json::array();
                for (const auto& info : command_list()) {
                  list.push_back({{"usage", std::string(info.usage)}, {"what", std::string(info.what)}});
                }
                out.line({{"event", "help"}, {"commands", list}});
                return true;
              }
              case LocalAction::ShowState:
                out.line({{"event", "state"},
                          {"seq", snapshot->applied_seq},
                          {"cause", ""},
                          {"state", to_json(snapshot->state)},
                          {"link", link_name(snapshot->link)}});
                return true;
              case LocalAction::Quit:
                return false;
              case LocalAction::NewCode:
                // Success shows as the usual pairing_code event; a refusal as an error line.
                node->new_code([&out, input = std::string(line)](const std::optional<std::string>& refusal) {
                  if (refusal) out.line({{"event", "error"}, {"input", input}, {"message", *refusal}});
                });
                return true;
            }
            return true;
          }
        },
        command);
  };

  // Poll stdin so a fatal event or a signal ends us even while no line comes.
  LineReader reader;
  bool running = true;
  const auto on_line = [&](std::string_view line) {
    if (!is_valid_utf8(line)) {
      out.line({{"event", "error"},
                {"input", sanitize_display_text(line)},
                {"message",
                 "That line has bytes that aren't UTF-8 text, so nothing was sent. Please set "
                 "your terminal to UTF-8 and try again."}});
      return true;
    }
    return handle_line(line);
  };
  const auto on_too_long = [&] {
    out.line(
        {{"event", "error"},
         {"input", ""},
         {"message", "That line is longer than 64 KiB, so all of it was dropped and none of it was run."}});
  };
  while (running) {
    if (fatal_code.load() >= 0 || g_stop_requested.load()) break;
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&fd, 1, 100);
    if (ready <= 0) continue;
    char buffer[4096];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      reader.finish(on_line, on_too_long);
      break;
    }
    running = reader.feed(std::string_view(buffer, static_cast<std::size_t>(n)), on_line, on_too_long);
  }
  node->stop();
  const int code = fatal_code.load();
  return code >= 0 ? code : static_cast<int>(ExitCode::Ok);
}

}  // namespace attune::cli
