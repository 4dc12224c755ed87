#include "cli/command_parser.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>

#include "attune/intents.hpp"

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
  if (auto words = too_long_words(text, max_bytes)) return ParseError{std::move(*words)};
  return std::nullopt;
}

using Args = const std::vector<std::string_view>&;

struct Entry {
  CommandInfo info;
  // Given the words after the command name and the rest of the line as text.
  std::function<Command(Args args, std::string_view rest, const State& state, int64_t now_ms)> build;
};

// A command that sends one intent and takes nothing after it.
Entry bare(std::string_view name, std::string_view what, Intent (*make)()) {
  return {{name, name, what}, [name, make](Args args, std::string_view, const State&, int64_t) -> Command {
            if (!args.empty()) return ParseError{std::string(name) + " takes nothing after it"};
            return SendIntent{make()};
          }};
}

// A command that sends one intent with a switch, on when nothing is named.
// The coach whose check number was compared: named, or the first one shown.
Entry compare_coach(CommandInfo info, bool match) {
  return {info, [match, name = info.name](Args args, std::string_view, const State& state, int64_t) -> Command {
    if (args.size() > 1) return ParseError{std::string(name) + " takes at most one coach, e.g. " + std::string(name) + " Jo"};
    if (args.empty()) return CompareCoach{"", match};  // The first coach this device shows a number for.
    const v1::Participant* coach = find_someone(state, args[0]);
    if (!coach || coach->role() != v1::ROLE_COACH)
      return ParseError{"There's no coach by that name here yet, so there's nothing to compare."};
    return CompareCoach{coach->id(), match};
  }};
}

Entry on_off(std::string_view name, std::string_view usage, std::string_view what, Intent (*make)(bool)) {
  return {{name, usage, what}, [name, make](Args args, std::string_view, const State&, int64_t) -> Command {
            const auto on = args.empty()       ? std::optional<bool>(true)
                            : args.size() == 1 ? parse_switch(args[0])
                                               : std::nullopt;
            if (!on) return ParseError{std::string(name) + " takes on or off"};
            return SendIntent{make(*on)};
          }};
}

// A command about someone in the lobby ("admit coach", "decline Sam").
Entry about_someone(CommandInfo info, std::string_view needs, Intent (*make)(std::string)) {
  return {info, [needs, make](Args args, std::string_view, const State& state, int64_t) -> Command {
            if (args.size() != 1) return ParseError{std::string(needs)};
            const auto* p = find_someone(state, args[0]);
            if (!p) return ParseError{"nobody called '" + std::string(args[0]) + "' is in the lobby"};
            return SendIntent{make(p->id())};
          }};
}

// "kind full" or "kind quick partner-b": the other settings stay as they are.
Command kind_command(Args args, const State& state) {
  v1::Settings settings = state.has_settings() ? state.settings() : default_settings();
  if (args.size() == 1 && args[0] == "full") {
    settings.set_kind(v1::REPAIR_KIND_FULL);
    settings.set_repairer(v1::ROLE_UNSPECIFIED);
  } else if (args.size() == 2 && args[0] == "quick" && is_partner(parse_role(args[1]))) {
    settings.set_kind(v1::REPAIR_KIND_QUICK);
    settings.set_repairer(parse_role(args[1]));
  } else if (!args.empty() && args[0] == "quick") {
    return ParseError{"kind quick needs who is reaching out, e.g. kind quick partner-b"};
  } else {
    return ParseError{"kind is full or quick, e.g. kind full, or kind quick partner-a"};
  }
  return SendIntent{intents::settings(settings)};
}

// "settings threshold=4 min-pause=60": the settings not named stay as they are.
Command settings_command(Args args, const State& state) {
  if (args.empty()) return ParseError{"settings needs at least one key=value, e.g. settings threshold=4"};
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
  return SendIntent{intents::settings(settings)};
}

// Validation and empathy travel together; the one not named stays as written.
Command listening_command(const State& state, std::optional<std::string> validation,
                          std::optional<std::string> empathy) {
  const v1::Round* round = state.rounds().empty() ? nullptr : &state.rounds(state.rounds_size() - 1);
  return SendIntent{intents::write_listening(validation ? *validation
                                             : round    ? round->validation_text()
                                                        : "",
                                             empathy ? *empathy
                                             : round ? round->empathy_text()
                                                     : "")};
}

// What this program does by itself; nothing is sent.
std::vector<Entry> local_entries() {
  return {
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
      {{"draft", "draft", "show the draft you prepared alone for this moment (nothing is sent)"},
       [](Args, std::string_view, const State&, int64_t) -> Command { return LocalAction::ShowDraft; }},
      {{"use-draft", "use-draft", "send the draft you prepared alone for this moment, as it is"},
       [](Args, std::string_view, const State&, int64_t) -> Command { return LocalAction::UseDraft; }},
  };
}

std::vector<Entry> lobby_entries() {
  return {
      {{"join", "join <name> <partner-a|partner-b|coach>",
        "ask for a seat again (sent by itself on connect)"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         if (args.size() != 2) return ParseError{"join needs a name and a seat, e.g. join Sam partner-b"};
         const auto role = parse_role(args[1]);
         if (role == v1::ROLE_UNSPECIFIED) return ParseError{"the seat is partner-a, partner-b or coach"};
         return SendIntent{intents::join(std::string(args[0]), role)};
       }},
      about_someone({"admit", "admit <id|name|partner-a|partner-b|coach>", "let a waiting device in"},
                    "admit needs who to let in, e.g. admit coach", intents::admit),
      about_someone({"decline", "decline <id|name|partner-a|partner-b|coach>", "turn a waiting device away"},
                    "decline needs who to turn away, e.g. decline coach", intents::decline),
      {{"settings", "settings [threshold=N] [min-pause=S] [long-break=S] [long-break-at=N]",
        "propose session settings (unnamed ones stay as they are)"},
       [](Args args, std::string_view, const State& state, int64_t) {
         return settings_command(args, state);
       }},
      {{"kind", "kind <full|quick> [partner-a|partner-b]",
        "propose the whole conversation (nine steps) or a quick repair, with who is reaching out"},
       [](Args args, std::string_view, const State& state, int64_t) { return kind_command(args, state); }},
      on_off("ready", "ready [on|off]", "say you agree the settings and are ready to begin", intents::ready),
      on_off("share-with-coach", "share-with-coach [on|off]",
             "show (or stop showing) your check-in numbers to the coach", intents::share_with_coach),
      compare_coach({"coach-numbers-match", "coach-numbers-match [coach id|name]",
                     "the coach's check number (coach_check) is the one on the coach's screen: share with it"},
                    true),
      compare_coach({"coach-numbers-differ", "coach-numbers-differ [coach id|name]",
                     "the coach's check number is not the one on the coach's screen: don't share with it"},
                    false),
  };
}

// The nine steps' own commands, up to the speaker's answer.
std::vector<Entry> step_entries() {
  return {
      bare("confirm", "done with this step (steps 1 and 3)", intents::confirm),
      {{"checkin", "checkin <0-10>", "check in privately; only 'at/below or above' leaves this device"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         int level = -1;
         if (args.size() != 1 || !parse_number(args[0], level) || level < 0 || level > 10) {
           return ParseError{"checkin needs a number from 0 (calm) to 10 (overwhelmed), e.g. checkin 2"};
         }
         return SendCheckIn{level};
       }},
      bare("offer-first", "offer to speak first", intents::offer_first),
      bare("request-draw", "ask for a random draw of who goes first", intents::request_draw),
      bare("ask-coach", "ask the coach to pick who goes first", intents::ask_coach),
      bare("accept-first", "accept the other partner's proposal for who goes first", intents::accept_first),
      {{"assign-first", "assign-first <partner-a|partner-b>", "coach: pick who goes first when asked"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         const auto role = args.size() == 1 ? parse_role(args[0]) : v1::ROLE_UNSPECIFIED;
         if (!is_partner(role)) return ParseError{"assign-first needs partner-a or partner-b"};
         return SendIntent{intents::assign_first(role)};
       }},
      {{"write", "write <text>", "write your share, reflection or turn (replaces what you wrote)"},
       [](Args args, std::string_view rest, const State&, int64_t) -> Command {
         if (args.empty()) return ParseError{"write needs some text after it"};
         if (auto error = too_long(rest, kMaxTextBytes)) return *error;
         return SendIntent{intents::write(std::string(rest))};
       }},
      bare("pass-floor", "you are done speaking; pass the floor", intents::pass_floor),
      bare("finish-reflection", "listener, after empathising: you have reflected what you heard",
           intents::finish_reflection),
      bare("heard", "speaker: yes, that's it", intents::heard),
      bare("not-quite", "speaker: not quite; clarify and try again", intents::not_quite),
  };
}

// A quick repair's words for the same moves, deeper listening, and step 9.
std::vector<Entry> quick_and_listening_entries() {
  return {
      bare("acknowledge", "quick repair, reaching out: you've said what you see; your partner answers",
           intents::pass_floor),
      bare("seen", "quick repair: \"I feel seen\" (not-quite asks your partner to try again)",
           intents::heard),
      bare("own", "quick repair: you've named your part (write it first if you like)", intents::pass_floor),
      bare("skip-part", "quick repair: you'd rather not name your own part this time", intents::skip_part),
      bare("whole-conversation",
           "quick repair: this needs the whole conversation; carry on with the nine steps",
           intents::whole_conversation),
      bare("ask-more", "listener, after mirroring: \"Is there more?\"", intents::ask_more),
      bare("more", "speaker, when asked: yes, there's more (write it, then pass-floor)",
           [] { return intents::answer_more(true); }),
      bare("nothing-more", "speaker, when asked: that's all; your partner validates next",
           [] { return intents::answer_more(false); }),
      {{"validate", "validate <text>", "listener: \"It makes sense to me that you... because...\""},
       [](Args args, std::string_view rest, const State& state, int64_t) -> Command {
         if (args.empty()) return ParseError{"validate needs some text after it"};
         if (auto error = too_long(rest, kMaxTextBytes)) return *error;
         return listening_command(state, std::string(rest), std::nullopt);
       }},
      bare("validated", "listener: you've said why it makes sense; empathise next", intents::finish_validation),
      {{"empathise", "empathise <text>", "listener: \"I imagine you might feel...\""},
       [](Args args, std::string_view rest, const State& state, int64_t) -> Command {
         if (args.empty()) return ParseError{"empathise needs some text after it"};
         if (auto error = too_long(rest, kMaxTextBytes)) return *error;
         return listening_command(state, std::nullopt, std::string(rest));
       }},
      {{"propose-gesture", "propose-gesture <text>", "suggest a gesture back toward each other"},
       [](Args args, std::string_view rest, const State&, int64_t) -> Command {
         if (args.empty()) return ParseError{"propose-gesture needs the gesture, e.g. propose-gesture a hug"};
         if (auto error = too_long(rest, kMaxGestureBytes)) return *error;
         return SendIntent{intents::propose_gesture(std::string(rest))};
       }},
      {{"accept-gesture", "accept-gesture <id>", "accept a proposed gesture by its number"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         uint32_t id = 0;
         if (args.size() != 1 || !parse_number(args[0], id))
           return ParseError{"accept-gesture needs the gesture's number"};
         return SendIntent{intents::accept_gesture(id)};
       }},
  };
}

std::vector<Entry> pause_and_end_entries() {
  return {
      bare("pause", "call a pause; no reason needed", intents::pause),
      {{"extend-pause", "extend-pause <seconds>", "make the running pause longer"},
       [](Args args, std::string_view, const State&, int64_t) -> Command {
         uint32_t seconds = 0;
         if (args.size() != 1 || !parse_number(args[0], seconds) || seconds == 0) {
           return ParseError{"extend-pause needs a number of seconds, e.g. extend-pause 60"};
         }
         return SendIntent{intents::extend(seconds)};
       }},
      {{"propose-long-break", "propose-long-break <minutes>", "suggest a long break and a time to come back"},
       [](Args args, std::string_view, const State&, int64_t now_ms) -> Command {
         uint32_t minutes = 0;
         if (args.size() != 1 || !parse_number(args[0], minutes) || minutes == 0 || minutes > 24 * 60) {
           return ParseError{
               "propose-long-break needs minutes from now (1 to 1440), e.g. propose-long-break 30"};
         }
         return SendIntent{intents::propose_long_break(now_ms + int64_t{minutes} * 60 * 1000)};
       }},
      bare("accept-long-break", "agree to the proposed long break", intents::accept_long_break),
      bare("return", "come back from a long break", intents::return_from_break),
      bare("exit", "stop the session for everyone (partner: discreet exit; coach: end)", intents::exit),
      bare("leave", "lobby only: give up your seat", intents::leave),
  };
}

// The host's own intents: sent from here they are refused (for testing refusals).
std::vector<Entry> shell_entries() {
  return {
      {{"set-presence", "set-presence <id|name|seat> <on|off>",
        "host shell only; sent from here it is refused (for testing refusals)"},
       [](Args args, std::string_view, const State& state, int64_t) -> Command {
         if (args.size() != 2) return ParseError{"set-presence needs who and on or off"};
         const auto* p = find_someone(state, args[0]);
         const auto on = parse_switch(args[1]);
         if (!on) return ParseError{"set-presence takes on or off"};
         return SendIntent{intents::presence(p ? p->id() : std::string(args[0]), *on)};
       }},
      {{"timer-fired", "timer-fired [due-ms]",
        "host shell only; sent from here it is refused (for testing refusals)"},
       [](Args args, std::string_view, const State&, int64_t now_ms) -> Command {
         int64_t due = now_ms;
         if (args.size() > 1 || (args.size() == 1 && !parse_number(args[0], due))) {
           return ParseError{"timer-fired takes an optional time in ms"};
         }
         return SendIntent{intents::timer(due)};
       }},
  };
}

// Every command, in the order the help lists them.
const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = [] {
    std::vector<Entry> all;
    for (auto group : {local_entries, lobby_entries, step_entries, quick_and_listening_entries,
                       pause_and_end_entries, shell_entries}) {
      for (auto& e : group()) all.push_back(std::move(e));
    }
    return all;
  }();
  return table;
}

}  // namespace

std::optional<std::string> too_long_words(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::nullopt;
  return "That's " + std::to_string(text.size()) + " bytes, and Attune can send up to " +
         std::to_string(max_bytes) + ". Nothing was sent; could you shorten it?";
}

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
