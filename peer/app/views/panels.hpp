// One function per panel (one file each): draw(snapshot, ui state, frame),
// lager style. Panels read the view model, draw, and post intents through
// ctx.dispatch; they keep nothing of their own between frames.
#pragma once

#include <imgui.h>

#include <string>

#include "app/frame_context.hpp"
#include "app/ui_state.hpp"
#include "node_api.hpp"

namespace attune::app::views {

void draw_status_bar(const NodeView& snap, UiState& ui, const FrameContext& ctx);
// Why the other device closed the link, and what waits behind the check-in.
void draw_link_notes(const NodeView& snap, const FrameContext& ctx);
void draw_start(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_history(const NodeView& snap, UiState& ui, const FrameContext& ctx);
// The private rupture journal, and its one gentle follow-up as a card.
void draw_journal(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_journal_follow_up(UiState& ui, const FrameContext& ctx, bool offer_journal);
void open_journal(UiState& ui);  // From the start screen, at the top.
// Preparing alone: the walk and the list; the start screen's way in, which
// also says that practising with a friend is a normal session.
void draw_prepare(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_prepare_entry(UiState& ui, const FrameContext& ctx);
// Past sessions also list what was prepared alone, each to open and edit.
void draw_preparations_in_history(UiState& ui, const FrameContext& ctx);
// In a session, at a step this device's person prepared for: offers the
// draft to start from (nothing is sent), and starts step 7 from what was
// said in a quick repair that grew into the whole conversation. `target` is
// the writing box's draft; null for step 3's private note and the gesture.
void draw_prepared_offer(const NodeView& snap, UiState& ui, const FrameContext& ctx, std::string* target);
// The reminder at the agreed time, as a card (views/reminder_card.cpp).
void draw_reminder_card(UiState& ui, const FrameContext& ctx);
// Repair invitations: answer the partner's, invite the partner back.
void draw_invitations(UiState& ui, const FrameContext& ctx);
void draw_waiting(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_lobby(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_step(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_check_in(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_writing(const NodeView& snap, UiState& ui, const FrameContext& ctx);
// Sends my draft for this step if it differs from what the session holds.
void send_draft_if_new(const NodeView& snap, UiState& ui, const FrameContext& ctx);
// Gentle hints under a writing box (blame for shares, defences for answers).
void draw_hints(const std::string& draft, bool blame, bool defences, ImVec2 box_min, const FrameContext& ctx);
// Step 6: the validation and empathy boxes, and sending what they hold.
void draw_listening(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void send_listening_if_new(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_pause(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_long_break(const NodeView& snap, UiState& ui, const FrameContext& ctx);
void draw_coach(const NodeView& snap, UiState& ui, const FrameContext& ctx);
// The coach's check number next to a partner's opt-in, with "They match";
// and a coach's own number (views/coach_check_card.cpp).
void draw_coach_checks(const NodeView& snap, const FrameContext& ctx);
void draw_my_check_number(const NodeView& snap, const FrameContext& ctx);
void draw_summary(const NodeView& snap, UiState& ui, const FrameContext& ctx);
// The pause button and the discreet exit, shown under every step.
void draw_safety_row(const NodeView& snap, UiState& ui, const FrameContext& ctx);
// The breathing pacer: a circle that grows on the in-breath. Returns its label.
void draw_pacer(UiState& ui, const FrameContext& ctx, float radius);
// A small plot of my own ratings over the session.
void draw_timeline_plot(const std::vector<PrivateCheckIn>& timeline, int threshold, float width, float height,
                        const FrameContext& ctx);

}  // namespace attune::app::views
