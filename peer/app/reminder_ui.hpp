// What the reminder card remembers between frames. Plain data.
#pragma once

#include <string>

namespace attune::app {

struct ReminderUi {
  double next_check_s = 0;  // The store is asked every few seconds.
  std::string start_error;  // Why "Start now" couldn't start, in plain words.
};

}  // namespace attune::app
