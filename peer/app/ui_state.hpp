// What one window remembers between frames that is not session state:
// drafts, choices on the start screen, the pacer style, where the user is.
// Plain data; the views read and write it, nothing else.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "app/invite_ui.hpp"
#include "app/journal_ui.hpp"
#include "app/prepare_ui.hpp"
#include "app/reminder_ui.hpp"
#include "attune/engine.hpp"

namespace attune::app {

enum class PacerStyle {
  Slow,  // About six breaths a minute: in 4 s, out 6 s.
  Box,   // In 4, hold 4, out 4, hold 4.
};

enum class StartPanel {
  Home,     // Name, host, nearby, join.
  History,  // Past sessions on this device.
  Journal,  // The private rupture journal.
  Prepare,  // Preparing alone, and what was prepared.
};

struct UiState {
  // Start screen.
  StartPanel start_panel = StartPanel::Home;
  std::string display_name;
  std::string session_name;
  std::string join_target;  // Invite text or host:port.
  std::string join_code;    // The short code shown on the host.
  bool join_as_coach = false;
  std::string start_error;       // Shown under the join form.
  std::string damaged_file;      // The saved session can't be read: offer a fresh start.
  std::string fresh_start_note;  // Where the old file went, after a fresh start.

  JournalUi journal;  // The journal screen (app/journal_ui.hpp).
  PrepareUi prepare;  // Preparing alone, and a session's offer of a draft (app/prepare_ui.hpp).
  ReminderUi reminder;  // The reminder card (app/reminder_ui.hpp).
  InviteUi invite;    // The invitation card (app/invite_ui.hpp).

  // Lobby: settings being edited before they are proposed.
  v1::Settings settings_draft;
  bool settings_dirty = false;
  // The agreed settings last frame, and my own last suggestion, to tell who
  // changed what when the other's change clears my "ready".
  std::string seen_settings;
  std::string my_settings_proposal;
  std::string settings_note;  // "Sam changed ...", until I'm ready again.

  // Check-in: my private rating before I send it. -1 = not chosen yet.
  int check_in_level = -1;
  // The gate and pause state the choice was made in; when it changes the
  // choice is forgotten, so no screen keeps a number from another moment.
  std::string check_in_moment;

  // Writing drafts, per step and round so nothing typed is lost on the way.
  std::map<std::string, std::string> drafts;
  std::size_t draft_caret = std::string::npos;  // Where a chosen word goes in (npos: at the end).
  std::string vocabulary_search;
  bool vocabulary_open = false;
  std::string gesture_draft;
  std::string private_note;  // Benefit of the doubt: stays on this device.

  // Pause.
  PacerStyle pacer = PacerStyle::Slow;
  int long_break_minutes = 0;  // 0: not moved yet, so the agreed length.
  float pause_rest_height = 0;  // The pause screen less its circle, last frame (to fit the circle).
  bool confirm_exit = false;

  // Coach.
  std::string coach_notes;
  int assign_choice = 0;

  // Refusals: the serial already shown, and the text to show.
  uint64_t refusal_seen = 0;
  std::string notice;
  double notice_until = 0;

  // Where the session was last frame, to notice the gate opening.
  v1::Phase seen_phase = v1::PHASE_UNSPECIFIED;
  v1::Step seen_step = v1::STEP_UNSPECIFIED;
  bool notice_is_good_news = false;
  // The moment a notice speaks of; once the session moves on, it ends.
  std::string notice_moment;

  // Summary saved to history already (session id).
  std::string saved_session;

  // Text size multiplier chosen by the user (on top of the screen's scale).
  float text_scale = 1.0f;
};

}  // namespace attune::app
