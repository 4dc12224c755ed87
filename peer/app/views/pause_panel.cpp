#include <algorithm>
#include <chrono>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/intents.hpp"

namespace attune::app::views {

namespace {

void centered(const std::string& text, ImFont* font, ImU32 color) {
  ImGui::PushFont(font);
  const float w = ImGui::GetContentRegionAvail().x;
  const float tw = ImGui::CalcTextSize(text.c_str()).x;
  if (tw < w) {
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (w - tw) * 0.5f);
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(text.c_str());
    record_line(text);
    ImGui::PopStyleColor();
  } else {
    wrapped(text, color);
  }
  ImGui::PopFont();
}

}  // namespace

// A pause: breathe with the pacer, see the minimum time run down, then the
// check-in comes back by itself. Names no one, shows no numbers.
void draw_pause(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const PauseView v = pause_view(snap, ctx.now_ms);
  // The circle takes what room is left, so the whole screen fits (down to
  // 980x780) and "I need to stop" stays in view without scrolling.
  const float top = ImGui::GetCursorPosY();
  const float room = ImGui::GetContentRegionAvail().y - ui.pause_rest_height;
  const float radius = std::clamp(room * 0.5f, px(56), px(120));
  const ImVec2 title_at = ImGui::GetCursorScreenPos();
  centered(v.title, fonts().title, p.text);
  ctx.mark("pause_title", title_at, ImVec2(title_at.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y));
  ImGui::PushTextWrapPos(0);
  centered(v.message, fonts().body, p.text_soft);
  ImGui::PopTextWrapPos();
  gap(10);
  draw_pacer(ui, ctx, radius);
  gap(10);
  if (!v.countdown.empty()) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    centered(v.countdown, fonts().display, p.text);
    ctx.mark("countdown", at, ImVec2(at.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y));
    // Wake at the next whole second for the countdown.
    ctx.wake_in(std::max(0.05, ((snap.state.pause().min_until_ms() - ctx.now_ms) % 1000) / 1000.0));
  }
  centered(v.after, fonts().small, p.text_soft);
  gap(12);

  if (v.can_accept_long_break || v.can_propose_long_break || v.can_extend) {
    begin_card(p.surface);
    if (v.long_break_suggested) wrapped("A longer break might help today.", p.text, fonts().body_bold);
    if (!v.long_break_proposal.empty()) wrapped(v.long_break_proposal, p.text);
    if (v.can_accept_long_break) {
      if (primary_button("Yes, let's take that break")) {
        ctx.dispatch.send(intents::accept_long_break());
      }
    }
    if (v.can_propose_long_break) {
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted("Take a longer break, back in");
      ImGui::SameLine();
      ImGui::SetNextItemWidth(px(190));
      if (ui.long_break_minutes <= 0) {  // Starts at the length agreed in the lobby.
        const int agreed = static_cast<int>(snap.state.settings().long_break_seconds() / 60);
        ui.long_break_minutes = std::clamp(agreed > 0 ? agreed : 20, 10, 240);
      }
      slider("##minutes", &ui.long_break_minutes, 10, 240, "%d minutes", "Long break minutes");
      record_line(std::to_string(ui.long_break_minutes) + " minutes");
      ImGui::SameLine();
      const int64_t back = ctx.now_ms + static_cast<int64_t>(ui.long_break_minutes) * 60'000;
      if (secondary_button(("Suggest back at " + format_local_time(back)).c_str())) {
        ctx.dispatch.send(intents::propose_long_break(back));
      }
    }
    if (v.can_extend) {
      if (secondary_button("A little more time (+2 min)")) {
        ctx.dispatch.send(intents::extend(120));
      }
    }
    end_card();
  }
  gap(8);
  if (v.can_exit) draw_safety_row(snap, ui, ctx);
  ui.pause_rest_height = ImGui::GetCursorPosY() - top - radius * 2 + px(12);
}

}  // namespace attune::app::views
