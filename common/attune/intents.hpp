// One way to build an intent: a named function per kind, used by the
// window's views, the headless command parser and the tests alike, so an
// intent looks the same wherever it is made. Pure: nothing here reads the
// state, the clock or anything else; callers pass what they know.
#pragma once

#include <cstdint>
#include <string>

#include "attune/v1/session.pb.h"

namespace attune::intents {

// --- Lobby --------------------------------------------------------------------
v1::Intent join(std::string display_name, v1::Role role);
v1::Intent admit(std::string participant_id);
v1::Intent decline(std::string participant_id);
v1::Intent ready(bool ready = true);
v1::Intent settings(const v1::Settings& settings);
v1::Intent share_with_coach(bool share);
v1::Intent leave();

// --- Steps --------------------------------------------------------------------
v1::Intent confirm();
v1::Intent check_in(bool above_threshold, bool long_break_hint = false);
v1::Intent check_in(const v1::CheckIn& bits);
v1::Intent offer_first();
v1::Intent request_draw();
v1::Intent ask_coach();
v1::Intent accept_first();
v1::Intent assign_first(v1::Role partner);
v1::Intent write(std::string text);
v1::Intent pass_floor();
v1::Intent finish_reflection();
v1::Intent heard();
v1::Intent not_quite();
v1::Intent ask_more();
v1::Intent answer_more(bool more);
v1::Intent write_listening(std::string validation, std::string empathy);
v1::Intent finish_validation();
v1::Intent skip_part();
v1::Intent whole_conversation();
v1::Intent propose_gesture(std::string text);
v1::Intent accept_gesture(uint32_t gesture_id);

// --- Pauses and ending --------------------------------------------------------
v1::Intent pause();
v1::Intent extend(uint32_t seconds);
v1::Intent propose_long_break(int64_t return_ms);
v1::Intent accept_long_break();
v1::Intent return_from_break();
v1::Intent exit();

// --- The host's shell (refused from anyone else) ------------------------------
v1::Intent presence(std::string participant_id, bool connected);
v1::Intent timer(int64_t due_ms);

}  // namespace attune::intents
