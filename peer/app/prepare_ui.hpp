// What the prepare-alone screen, and a session's offer of a prepared draft,
// remember between frames. Plain data, like the rest of UiState.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/cached_read.hpp"
#include "attune/prepare/preparation.hpp"
#include "attune/prepare/walk.hpp"

namespace attune::app {

struct PrepareUi {
  // What was prepared, as last read (on a change or every few seconds, never per frame).
  CachedRead<std::vector<prepare::Preparation>> list;
  // The walk.
  bool walking = false;        // false: the list of preparations.
  int64_t editing_id = 0;      // 0: a new one, not saved yet.
  prepare::Words words;        // What is being written.
  prepare::Stage stage = prepare::Stage::What;
  std::string error;           // Why the last save didn't work.
  std::string saved_note;      // "Saved on this device", after a save.
  std::string vocabulary_search;

  // In a session: the moment last looked at, its offer, and the person's choices.
  std::string offer_moment;
  std::optional<prepare::Offer> offer;
  std::string declined_moment;   // "Not now" was chosen for this moment.
  std::string used_moment;       // "Start from my draft" was chosen for this moment.
  std::string prefilled_moment;  // Step 7 started from the quick repair's words.
};

}  // namespace attune::app
