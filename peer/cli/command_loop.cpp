#include "cli/command_loop.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "attune/text.hpp"
#include "cli/command_parser.hpp"
#include "cli/line_reader.hpp"
#include "random_id.hpp"
#include "wall_clock.hpp"

namespace attune::cli {

namespace {

using nlohmann::json;

// Runs one line at a time; false from run() means "stop reading".
class CommandRunner {
 public:
  CommandRunner(Node& node, JsonOut& out, DraftOffers* offers) : node_(node), out_(out), offers_(offers) {}

  bool run(std::string_view line) {
    const auto snapshot = node_.snapshot();
    const Command command = parse_command(line, snapshot->state, wall_ms());
    return std::visit([&](const auto& c) { return handle(c, line, *snapshot); }, command);
  }

 private:
  bool handle(const Blank&, std::string_view, const NodeView&) { return true; }

  bool handle(const ParseError& error, std::string_view line, const NodeView&) {
    out_.line({{"event", "error"}, {"input", std::string(line)}, {"message", error.message}});
    return true;
  }

  bool handle(const SendIntent& send, std::string_view line, const NodeView&) {
    const std::string id = random_id();
    out_.line({{"event", "submitted"}, {"intent_id", id}, {"input", std::string(line)}});
    node_.submit_as(id, send.intent);
    return true;
  }

  bool handle(const SendCheckIn& check_in, std::string_view line, const NodeView& snapshot) {
    const std::string id = random_id();
    // Only this device ever prints the number.
    out_.line({{"event", "submitted"}, {"intent_id", id}, {"input", std::string(line)}});
    out_.line(
        {{"event", "check_in"}, {"level", check_in.level}, {"step", v1::Step_Name(snapshot.state.step())}});
    node_.check_in_as(id, check_in.level);
    return true;
  }

  // Compares against the number this device printed for that coach (its
  // latest coach_check line); the node answers with a new coach_check line.
  bool handle(const CompareCoach& compare, std::string_view line, const NodeView& snapshot) {
    for (const auto& check : snapshot.coach_checks) {
      if (!compare.coach_id.empty() && check.coach_id != compare.coach_id) continue;
      node_.compare_coach(check.coach_id, check.number, compare.match);
      return true;
    }
    out_.line({{"event", "error"},
               {"input", std::string(line)},
               {"message", "There's no check number to compare for that coach on this device."}});
    return true;
  }

  bool handle(LocalAction action, std::string_view line, const NodeView& snapshot) {
    switch (action) {
      case LocalAction::Help: {
        json list = json::array();
        for (const auto& info : command_list()) {
          list.push_back({{"usage", std::string(info.usage)}, {"what", std::string(info.what)}});
        }
        out_.line({{"event", "help"}, {"commands", list}});
        return true;
      }
      case LocalAction::ShowState:
        out_.line({{"event", "state"},
                   {"seq", snapshot.applied_seq},
                   {"cause", ""},
                   {"state", to_json(snapshot.state)},
                   {"link", link_name(snapshot.link)}});
        return true;
      case LocalAction::Quit:
        return false;
      case LocalAction::NewCode:
        // Success shows as the usual pairing_code event; a refusal as an error line.
        node_.new_code([&out = out_, input = std::string(line)](const std::optional<std::string>& refusal) {
          if (refusal) out.line({{"event", "error"}, {"input", input}, {"message", *refusal}});
        });
        return true;
      case LocalAction::ShowDraft:
      case LocalAction::UseDraft:
        return handle_draft(action == LocalAction::UseDraft, line, snapshot);
    }
    return true;
  }

  // A prepared draft is sent only on use-draft, as one more intent.
  bool handle_draft(bool use, std::string_view line, const NodeView& snapshot) {
    if (!offers_) {
      out_.line({{"event", "error"}, {"input", std::string(line)}, {"message", "Nothing prepared on this device."}});
      return true;
    }
    if (!use) {
      offers_->forget_moment();
      const auto offered = offers_->notice(snapshot);
      out_.line(offered ? *offered
                        : json{{"event", "error"},
                               {"input", std::string(line)},
                               {"message", "There's no prepared draft for this moment."}});
      return true;
    }
    auto found = offers_->use(snapshot);
    if (const auto* why = std::get_if<std::string>(&found)) {
      out_.line({{"event", "error"}, {"input", std::string(line)}, {"message", *why}});
      return true;
    }
    return handle(SendIntent{std::get<Intent>(std::move(found))}, line, snapshot);
  }

  Node& node_;
  JsonOut& out_;
  DraftOffers* offers_;
};

}  // namespace

void run_command_loop(Node& node, JsonOut& out, const std::atomic<int>& exit_code,
                      const std::atomic<bool>& stop, DraftOffers* offers) {
  CommandRunner runner(node, out, offers);
  const auto on_line = [&](std::string_view line) {
    if (!is_valid_utf8(line)) {
      out.line({{"event", "error"},
                {"input", sanitize_display_text(line)},
                {"message",
                 "That line has bytes that aren't UTF-8 text, so nothing was sent. Please set "
                 "your terminal to UTF-8 and try again."}});
      return true;
    }
    return runner.run(line);
  };
  const auto on_too_long = [&] {
    out.line(
        {{"event", "error"},
         {"input", ""},
         {"message", "That line is longer than 64 KiB, so all of it was dropped and none of it was run."}});
  };
  // Poll stdin so a fatal event or a signal ends us even while no line comes.
  LineReader reader;
  bool running = true;
  while (running) {
    if (exit_code.load() >= 0 || stop.load()) break;
    if (offers)
      if (auto offered = offers->notice(*node.snapshot())) out.line(*offered);
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
}

}  // namespace attune::cli
