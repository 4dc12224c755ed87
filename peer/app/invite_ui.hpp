// What the invitation card remembers between frames: the invitation being
// written, another time being picked, and the last word about one sent or
// answered. Plain data.
#pragma once

#include <string>
#include <vector>

#include "app/cached_read.hpp"
#include "attune/invite/invitation.hpp"

namespace attune::app {

// "Another time" for a received invitation: a day from today and a time of
// day, in this device's local time (stored and sent in UTC).
struct OtherTimeUi {
  std::string invitation_id;  // Being answered with another time ("" : the picker is closed).
  int day = 1;                // Days from today: 0 today, 1 tomorrow, ...
  int hour = 19;
  int minute = 0;
};

struct InviteUi {
  CachedRead<std::vector<invite::Invitation>> list;  // Read on a change or every few seconds, never per frame.
  bool writing = false;  // The "invite your partner back" form is open.
  std::string day;
  std::string words;
  bool in_an_hour = false;
  bool tomorrow = true;
  bool in_two_days = false;
  bool now = false;
  OtherTimeUi other;
  std::string error;
  std::string note;  // "Your invitation is ready...", after sending or answering.
};

}  // namespace attune::app
