// Internal to the view model: what its files share. Views include
// view_model.hpp only.
//
//   view_model.cpp        shared words, the screen, the link, the floor, the summary
//   view_model_step.cpp   a step's screen and its check-in gate
//   view_model_quick.cpp  the quick repair's steps
//   view_model_listening.cpp  step 6 with deeper listening
//   view_model_pause.cpp  pauses and the longer break
//   view_model_lobby.cpp  the lobby and who is here
//   view_model_coach.cpp  the coach's screen
#pragma once

#include <string>
#include <vector>

#include "app/view_model.hpp"

namespace attune::app {

// The session runs through the steps (at a step or its check-in gate).
bool in_steps(v1::Phase phase);
// A step's name as people see it: "Share", "Own your part".
std::string title_of(v1::Step step);
// Who starts, and how that was decided, in words for this device (first round only).
std::string who_starts_line(const State& s, v1::Role me);
// Everyone here, as rows; in the lobby a partner's row says whether they're ready.
std::vector<ParticipantRow> people_rows(const NodeView& snap, bool lobby);
// How far this device trusts the coach's key: as its person compared the
// check number, or Proven when this device hosts (it paired with the coach).
crypto::CoachTrust trust_in_coach(const NodeView& snap, const v1::Participant& coach);
// The coach my check-in numbers go to now (I share, my partner shares, and
// the coach's key is trusted), or nullptr.
const v1::Participant* coach_who_sees_my_numbers(const NodeView& snap);

}  // namespace attune::app
