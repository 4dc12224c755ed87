#include "cli/command_parser.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>

namespace attune::cli {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  s = trim(s);
  while (!s.empty()) {
    const auto end = s.find_first_of(" \t");
    out.push_back(s.substr(0, end));
    if (end == std::string_view::npos) break;
    s = trim(s.substr(end));
  }
  return out;
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

std::optional<bool> parse_switch(std::string_view text) {
  if (text == "on" || text == "yes" || text == "true" || text == "1") return true;
  if (text == "off" || text == "no" || text == "false" || text == "0") return false;
  return std::nullopt;
}

// A participant by id, by display name, or by seat ("partner-b", "coach":
// a pending one first, since that is who admit/decline are usually about).
const v1::Participant* find_someone(const State& state, std::string_view ref) {
  if (const auto* p = find_participant(state, ref)) return p;
  const v1::Role role = parse_role(ref);
  if (role != v1::ROLE_UNSPECIFIED) {
    const v1::Participant* any = nullptr;
    for (const auto& p : state.participants()) {
      if (p.role() != role) continue;
      if (!p.admitted()) return &p;
      if (!any) any = &p;
    }
    return any;
  }
  for (const auto& p : state.participants()) {
    if (p.display_name() == ref) return &p;
  }
  return nullptr;
}

// Refused here, before anything is queued or sealed, with the limit stated.
std::optional<ParseError> too_long(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::nullopt;
  return ParseError{"That's " + std::to_string(text.size()) + " bytes, and Attune can send up to " +
                    std::to_string(max_bytes) + ". Nothing was sent; could you shorten it?"};
}

struct Entry {
  CommandInfo info;
  // Given the words after the command name and the rest of the line as text.
  std::function<Command(const std::vector<std::string_view>& args, std::string_view rest, const State& state,
                        int64_t now_ms)>
      build;
};

template <typename Setter>
Command simple(Setter set) {
  SendIntent out;
  set(out.intent);
  return out;
}

Command no_args(const std::vector<std::string_view>& args, std::string_view name,
                std::function<void(Intent&)> set) {
  if (!args.empty()) return ParseError{std::string(name) + " takes nothing after it"};
  return simple(set);
}

const std::vector<Entry>& entries() {
  using Args = const std::vector<std::string_view>&;
  static const std::vector<Entry> table = {
      {{"help", "help", "list these commands"},
       [](Args, std::string_view, const State&, int64_t) -> Command { return LocalAction::Help; }},
      {{"state", "state", "print the session as this device sees it"},
       [](Args, std::string_view, const State&, int64_t) -> Command { return LocalAction::ShowState; }},
      {{"quit", "quit", "leave this program (the session stays where it is)"},
       [](Args, std::string_view, const State&, int64_t) -> Command { return LocalAction::Quit; }},
      {{"new-code", "new-code", "host: open a fresh pairing code (the old one stops working)"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         if (!args.empty()) return ParseError{"new-code takes nothing after it"};
         return LocalAction::NewCode;
       }},
      {{"join", "join <name> <partner-a|partner-b|coach>",
        "ask for a seat again (sent by itself on connect)"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         if (args.size() != 2) return ParseError{"join needs a name and a seat, e.g. join Sam partner-b"};
         const auto role = parse_role(args[1]);
         if (role == v1::ROLE_UNSPECIFIED) return ParseError{"the seat is partner-a, partner-b or coach"};
         return simple([&](Intent& i) {
           i.mutable_join()->set_display_name(std::string(args[0]));
           i.mutable_join()->set_role(role);
         });
       }},
      {{"admit", "admit <id|name|partner-a|partner-b|coach>", "let a waiting device in"},
       [](Args args, std::string_view, const State& state, int64_t) -> Command {
         if (args.size() != 1) return ParseError{"admit needs who to let in, e.g. admit coach"};
         const auto* p = find_someone(state, args[0]);
         if (!p) return ParseError{"nobody called '" + std::string(args[0]) + "' is in the lobby"};
         return simple([&](Intent& i) { i.mutable_admit()->set_participant_id(p->id()); });
       }},
      {{"decline", "decline <id|name|partner-a|partner-b|coach>", "turn a waiting device away"},
       [](Args args, std::string_view, const State& state, int64_t) -> Command {
         if (args.size() != 1) return ParseError{"decline needs who to turn away, e.g. decline coach"};
         const auto* p = find_someone(state, args[0]);
         if (!p) return ParseError{"nobody called '" + std::string(args[0]) + "' is in the lobby"};
         return simple([&](Intent& i) { i.mutable_decline()->set_participant_id(p->id()); });
       }},
      {{"settings", "settings [threshold=N] [min-pause=S] [long-break=S] [long-break-at=N]",
        "propose session settings (unnamed ones stay as they are)"},
       [](Args args, std::string_view, const State& state, int64_t) -> Command {
         if (args.empty())
           return ParseError{"settings needs at least one key=value, e.g. settings threshold=4"};
         v1::Settings settings = state.has_settings() ? state.settings() : default_settings();
         for (const auto arg : args) {
           const auto eq = arg.find('=');
           uint32_t value = 0;
           if (eq == std::string_view::npos || !parse_number(arg.substr(eq + 1), value)) {
             return ParseError{"'" + std::string(arg) + "' should look like key=number"};
           }
           const auto key = arg.substr(0, eq);
           if (key == "threshold") {
             settings.set_threshold(value);
           } else if (key == "min-pause") {
             settings.set_min_pause_seconds(value);
           } else if (key == "long-break") {
             settings.set_long_break_seconds(value);
           } else if (key == "long-break-at") {
             settings.set_long_break_at_level(value);
           } else {
             return ParseError{"unknown setting '" + std::string(key) +
                               "'; use threshold, min-pause, long-break or long-break-at"};
           }
         }
         return simple([&](Intent& i) { *i.mutable_propose_settings()->mutable_settings() = settings; });
       }},
      {{"ready", "ready [on|off]", "say you agree the settings and are ready to begin"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         if (args.size() > 1) return ParseError{"ready takes on or off"};
         const auto on = args.empty() ? std::optional<bool>(true) : parse_switch(args[0]);
         if (!on) return ParseError{"ready takes on or off"};
         return simple([&](Intent& i) { i.mutable_set_ready()->set_ready(*on); });
       }},
      {{"share-with-coach", "share-with-coach [on|off]",
        "show (or stop showing) your check-in numbers to the coach"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         if (args.size() > 1) return ParseError{"share-with-coach takes on or off"};
         const auto on = args.empty() ? std::optional<bool>(true) : parse_switch(args[0]);
         if (!on) return ParseError{"share-with-coach takes on or off"};
         return simple([&](Intent& i) { i.mutable_share_with_coach()->set_share(*on); });
       }},
      {{"confirm", "confirm", "done with this step (steps 1 and 3)"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "confirm", [](Intent& i) { i.mutable_confirm(); });
       }},
      {{"checkin", "checkin <0-10>", "check in privately; only 'at/below or above' leaves this device"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         int level = -1;
         if (args.size() != 1 || !parse_number(args[0], level) || level < 0 || level > 10) {
           return ParseError{"checkin needs a number from 0 (calm) to 10 (overwhelmed), e.g. checkin 2"};
         }
         return SendCheckIn{level};
       }},
      {{"offer-first", "offer-first", "offer to speak first"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "offer-first", [](Intent& i) { i.mutable_offer_first(); });
       }},
      {{"request-draw", "request-draw", "ask for a random draw of who goes first"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "request-draw", [](Intent& i) { i.mutable_request_draw(); });
       }},
      {{"ask-coach", "ask-coach", "ask the coach to pick who goes first"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "ask-coach", [](Intent& i) { i.mutable_ask_coach(); });
       }},
      {{"accept-first", "accept-first", "accept the other partner's proposal for who goes first"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "accept-first", [](Intent& i) { i.mutable_accept_first(); });
       }},
      {{"assign-first", "assign-first <partner-a|partner-b>", "coach: pick who goes first when asked"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         const auto role = args.size() == 1 ? parse_role(args[0]) : v1::ROLE_UNSPECIFIED;
         if (!is_partner(role)) return ParseError{"assign-first needs partner-a or partner-b"};
         return simple([&](Intent& i) { i.mutable_assign_first()->set_partner(role); });
       }},
      {{"write", "write <text>", "write your share, reflection or turn (replaces what you wrote)"},
       [](Args args, std::string_view rest, const State&, int64_t) -> Command {
         if (args.empty()) return ParseError{"write needs some text after it"};
         if (auto error = too_long(rest, kMaxTextBytes)) return *error;
         return simple([&](Intent& i) { i.mutable_write_text()->set_text(std::string(rest)); });
       }},
      {{"pass-floor", "pass-floor", "you are done speaking; pass the floor"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "pass-floor", [](Intent& i) { i.mutable_pass_floor(); });
       }},
      {{"finish-reflection", "finish-reflection", "listener: you have reflected what you heard"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "finish-reflection", [](Intent& i) { i.mutable_finish_reflection(); });
       }},
      {{"heard", "heard", "speaker: yes, that's it"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "heard", [](Intent& i) { i.mutable_answer_heard(); });
       }},
      {{"not-quite", "not-quite", "speaker: not quite; clarify and try again"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "not-quite", [](Intent& i) { i.mutable_answer_not_quite(); });
       }},
      {{"propose-gesture", "propose-gesture <text>", "suggest a gesture back toward each other"},
       [](Args args, std::string_view rest, const State&, int64_t) -> Command {
         if (args.empty()) return ParseError{"propose-gesture needs the gesture, e.g. propose-gesture a hug"};
         if (auto error = too_long(rest, kMaxGestureBytes)) return *error;
         return simple([&](Intent& i) { i.mutable_propose_gesture()->set_text(std::string(rest)); });
       }},
      {{"accept-gesture", "accept-gesture <id>", "accept a proposed gesture by its number"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         uint32_t id = 0;
         if (args.size() != 1 || !parse_number(args[0], id))
           return ParseError{"accept-gesture needs the gesture's number"};
         return simple([&](Intent& i) { i.mutable_accept_gesture()->set_gesture_id(id); });
       }},
      {{"pause", "pause", "call a pause; no reason needed"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "pause", [](Intent& i) { i.mutable_call_pause(); });
       }},
      {{"extend-pause", "extend-pause <seconds>", "make the running pause longer"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         uint32_t seconds = 0;
         if (args.size() != 1 || !parse_number(args[0], seconds) || seconds == 0) {
           return ParseError{"extend-pause needs a number of seconds, e.g. extend-pause 60"};
         }
         return simple([&](Intent& i) { i.mutable_extend_pause()->set_seconds(seconds); });
       }},
      {{"propose-long-break", "propose-long-break <minutes>", "suggest a long break and a time to come back"},
       [](Args args, std::string_view, const State&, int64_t now_ms) -> Command {
         uint32_t minutes = 0;
         if (args.size() != 1 || !parse_number(args[0], minutes) || minutes == 0 || minutes > 24 * 60) {
           return ParseError{
               "propose-long-break needs minutes from now (1 to 1440), e.g. propose-long-break 30"};
         }
         return simple([&](Intent& i) {
           i.mutable_propose_long_break()->set_return_ms(now_ms + int64_t{minutes} * 60 * 1000);
         });
       }},
      {{"accept-long-break", "accept-long-break", "agree to the proposed long break"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "accept-long-break", [](Intent& i) { i.mutable_accept_long_break(); });
       }},
      {{"return", "return", "come back from a long break"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "return", [](Intent& i) { i.mutable_return_from_break(); });
       }},
      {{"exit", "exit", "stop the session for everyone (partner: discreet exit; coach: end)"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "exit", [](Intent& i) { i.mutable_exit(); });
       }},
      {{"leave", "leave", "lobby only: give up your seat"},
       [](Args args, std::string_view, const State&, int64_t) {
         return no_args(args, "leave", [](Intent& i) { i.mutable_leave(); });
       }},
      {{"set-presence", "set-presence <id|name|seat> <on|off>",
        "host shell only; sent from here it is refused (for testing refusals)"},
       [](Args args, std::string_view, const State& state, int64_t) -> Command {
         if (args.size() != 2) return ParseError{"set-presence needs who and on or off"};
         const auto* p = find_someone(state, args[0]);
         const auto on = parse_switch(args[1]);
         if (!on) return ParseError{"set-presence takes on or off"};
         const std::string id = p ? p->id() : std::string(args[0]);
         return simple([&](Intent& i) {
           i.mutable_set_presence()->set_participant_id(id);
           i.mutable_set_presence()->set_connected(*on);
         });
       }},
      {{"timer-fired", "timer-fired [due-ms]",
        "host shell only; sent from here it is refused (for testing refusals)"},
       [](Args args, std::string_view, const State&, int64_t now_ms) -> Command {
         int64_t due = now_ms;
         if (args.size() > 1 || (args.size() == 1 && !parse_number(args[0], due))) {
           return ParseError{"timer-fired takes an optional time in ms"};
         }
         return simple([&](Intent& i) { i.mutable_timer_fired()->set_due_ms(due); });
       }},
  };
  return table;
}

}  // namespace

v1::Role parse_role(std::string_view text) {
  if (text == "partner-a" || text == "a" || text == "A") return v1::ROLE_PARTNER_A;
  if (text == "partner-b" || text == "b" || text == "B") return v1::ROLE_PARTNER_B;
  if (text == "coach") return v1::ROLE_COACH;
  return v1::ROLE_UNSPECIFIED;
}

const std::vector<CommandInfo>& command_list() {
  static const std::vector<CommandInfo> list = [] {
    std::vector<CommandInfo> out;
    for (const auto& e : entries()) out.push_back(e.info);
    return out;
  }();
  return list;
}

Command parse_command(std::string_view line, const State& state, int64_t now_ms) {
  line = trim(line);
  if (line.empty() || line.front() == '#') return Blank{};
  const auto end = line.find_first_of(" \t");
  const auto name = line.substr(0, end);
  const auto rest = end == std::string_view::npos ? std::string_view{} : trim(line.substr(end));
  const auto args = words(rest);
  for (const auto& e : entries()) {
    if (e.info.name == name) return e.build(args, rest, state, now_ms);
  }
  return ParseError{"unknown command '" + std::string(name) + "'; type help for the list"};
}

}  // namespace attune::cli
