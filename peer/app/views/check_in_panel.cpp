#include <string>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

namespace {

// After my check-in: a green dot and the gate's status; my number is gone.
void checked_in_card(const GateView& g, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  ui.check_in_level = -1;  // Next gate starts fresh.
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 c(ImGui::GetCursorScreenPos().x + px(12), ImGui::GetCursorScreenPos().y + px(12));
  list->AddCircleFilled(c, px(10), p.ok);
  ImGui::Dummy(ImVec2(px(26), px(24)));
  ImGui::SameLine();
  wrapped("Checked in. Your number stays with you.", p.text, fonts().body_bold);
  wrapped(g.status, p.text_soft);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("checked_in", a, b);
}

// One round button of the scale, tinted calm to warm as the number rises.
void level_button(int level, float d, UiState& ui) {
  const Palette& p = palette();
  ImDrawList* list = ImGui::GetWindowDrawList();
  ImGui::PushID(level);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const bool chosen = ui.check_in_level == level;
  if (ImGui::InvisibleButton("##level", ImVec2(d, d))) ui.check_in_level = level;
  record_last_item_as_button(std::to_string(level));
  const bool hovered = ImGui::IsItemHovered() || ImGui::IsItemFocused();
  // Calm tint for low levels, warmer as the number rises; never alarming.
  const float t = static_cast<float>(level) / 10.0f;
  const ImVec4 cool = to_vec4(p.accent_soft), warm = to_vec4(p.notice_soft);
  const ImU32 idle =
      ImGui::ColorConvertFloat4ToU32(ImVec4(cool.x + (warm.x - cool.x) * t, cool.y + (warm.y - cool.y) * t,
                                            cool.z + (warm.z - cool.z) * t, 1.0f));
  const ImVec2 c(pos.x + d * 0.5f, pos.y + d * 0.5f);
  list->AddCircleFilled(c, d * 0.5f, chosen ? p.accent : idle);
  if (hovered && !chosen) list->AddCircle(c, d * 0.5f - px(1), p.accent, 0, px(2));
  const std::string label = std::to_string(level);
  ImGui::PushFont(fonts().body_bold);
  const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
  list->AddText(ImVec2(c.x - ts.x * 0.5f, c.y - ts.y * 0.5f), chosen ? IM_COL32_WHITE : p.text, label.c_str());
  ImGui::PopFont();
  ImGui::PopID();
}

// The scale, 0 to 10, with "calm" and "overwhelmed" under its ends.
void level_scale(UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const float avail = ImGui::GetContentRegionAvail().x - px(20);
  const float d = std::min(px(46), (avail - px(6) * 10) / 11);
  const ImVec2 row = ImGui::GetCursorScreenPos();
  for (int level = 0; level <= 10; ++level) {
    level_button(level, d, ui);
    if (level < 10) ImGui::SameLine(0, px(6));
  }
  const float right = row.x + d * 11 + px(6) * 10;
  ctx.mark("check_in_scale", row, ImVec2(right, row.y + d));
  ImGui::PushFont(fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, p.text_soft);
  ImGui::TextUnformatted("calm");
  ImGui::SameLine();
  ImGui::SetCursorScreenPos(
      ImVec2(right - ImGui::CalcTextSize("overwhelmed").x, ImGui::GetCursorScreenPos().y));
  ImGui::TextUnformatted("overwhelmed");
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

// The number I picked, large, with words for it; before I pick, a line
// saying so. The row is as tall either way, so picking a number moves
// nothing below it (no jumping button, no scrollbar appearing).
void chosen_level(const UiState& ui) {
  const Palette& p = palette();
  const float row_h = fonts().display->FontSize;
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (ui.check_in_level < 0) {
    ImGui::SetCursorScreenPos(ImVec2(top.x, top.y + (row_h - fonts().body->FontSize) * 0.5f));
    wrapped("Pick the number that fits right now.", p.text_soft);
    ImGui::SetCursorScreenPos(top);
    ImGui::Dummy(ImVec2(1, row_h));
    return;
  }
  ImGui::PushFont(fonts().display);
  ImGui::PushStyleColor(ImGuiCol_Text, p.accent);
  ImGui::Text("%d", ui.check_in_level);
  record_line(std::to_string(ui.check_in_level));
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::SameLine(0, px(16));
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + fonts().display->FontSize * 0.3f);
  wrapped(level_words(ui.check_in_level), p.text, fonts().heading);
  ImGui::SetCursorScreenPos(top);
  ImGui::Dummy(ImVec2(1, row_h));
}

}  // namespace

// The private check-in: eleven round buttons, 0 to 10, on my device only.
// Number keys pick a level too. Only "checked in" leaves the device.
void draw_check_in(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const GateView g = gate_view(snap);
  if (!g.open) return;

  begin_card(p.surface);
  heading(g.title);
  if (!g.i_take_part) {
    wrapped(g.status, p.text_soft);
    end_card();
    return;
  }
  if (g.i_checked_in) {
    checked_in_card(g, ui, ctx);
    return;
  }

  wrapped(g.prompt, p.text_soft);
  gap(6);
  // Keyboard: 0-9 pick directly (GLFW key codes for digits are their ASCII).
  // (Ctrl+0 resets the text size; with Ctrl held a digit picks nothing. In a text box a digit is typed.)
  if (!ImGui::GetIO().WantTextInput && !typing_in_a_box() && !ImGui::GetIO().KeyCtrl) {
    for (int k = 0; k <= 9; ++k)
      if (ImGui::IsKeyPressed('0' + k, false)) ui.check_in_level = k;
  }
  level_scale(ui, ctx);
  gap(4);

  chosen_level(ui);
  if (primary_button("Check in", ui.check_in_level >= 0)) {
    ctx.dispatch.check_in(ui.check_in_level);
    ui.check_in_level = -1;  // Sent: the number leaves the screen with it.
  }
  if (!g.status.empty()) wrapped(g.status, p.text_soft, fonts().small);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("check_in", a, b);
}

}  // namespace attune::app::views
