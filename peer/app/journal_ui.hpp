// What the journal screen remembers between frames: the note being written
// and the choices around it. Plain data, like the rest of UiState.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace attune::app {

struct JournalUi {
  std::string what;                     // What happened, as typed.
  bool big = false;                     // Small (default) or big.
  int when = 0;                         // Index into the "when" choices (0: just now).
  std::vector<std::string> underneath;  // Words picked for what was underneath.
  std::string error;                    // Why the last note couldn't be kept...
  std::string refused_what;             // ...while the words are still these.
  std::string repair_error;             // Why marking one repaired didn't work.
  std::string saved_note;               // "Noted", after keeping one.
  int64_t choosing_session_for = 0;     // An entry whose repairing session is being picked.
  int64_t confirming_remove = 0;        // An entry whose "Remove" waits for a yes.
  double next_follow_up_check_s = 0;
  bool scroll_to_top = false;           // Set on the way in.    // The store is asked at most once a minute.
};

}  // namespace attune::app
