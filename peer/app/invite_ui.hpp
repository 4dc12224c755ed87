// What the invitation card remembers between frames: the invitation being
// written, and the last word about one sent or answered. Plain data.
#pragma once

#include <string>

namespace attune::app {

struct InviteUi {
  bool writing = false;  // The "invite your partner back" form is open.
  std::string day;
  std::string words;
  bool in_an_hour = false;
  bool tomorrow = true;
  bool in_two_days = false;
  bool now = false;
  std::string error;
  std::string note;  // "Your invitation is ready...", after sending or answering.
};

}  // namespace attune::app
