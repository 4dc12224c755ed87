// Turns one line of headless input ("checkin 2", "pass-floor", "write I
// felt alone") into what the node should do. It reads the replicated state
// only to resolve names (e.g. "admit coach") and to start from the current
// settings; it never changes anything itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "attune/engine.hpp"

namespace attune::cli {

struct SendIntent {
  Intent intent;
};
struct SendCheckIn {
  int level = 0;
};
enum class LocalAction { Help, ShowState, Quit, NewCode, ShowDraft, UseDraft };
struct ParseError {
  std::string message;
};
struct Blank {};
// The person compared a coach's check number with the coach's screen.
struct CompareCoach {
  std::string coach_id;
  bool match = false;
};

using Command = std::variant<Blank, SendIntent, SendCheckIn, LocalAction, ParseError, CompareCoach>;

struct CommandInfo {
  std::string_view name;
  std::string_view usage;
  std::string_view what;
};

// Every command, in the order the help shows them.
const std::vector<CommandInfo>& command_list();

// now_ms is used only for "propose-long-break <minutes>".
Command parse_command(std::string_view line, const State& state, int64_t now_ms);

// The words refusing a text over `max_bytes` before it is sent (an `error`
// line); nullopt when it fits. Also used for use-draft.
std::optional<std::string> too_long_words(std::string_view text, std::size_t max_bytes);

// "partner-a", "a", "partner-b", "b", "coach" -> role; UNSPECIFIED otherwise.
v1::Role parse_role(std::string_view text);

}  // namespace attune::cli
