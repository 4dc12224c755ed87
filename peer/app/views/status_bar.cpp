#include <utility>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

namespace {

// The link chip's dot and background for its tone (grey before any session).
std::pair<ImU32, ImU32> chip_colours(ConnectionView::Tone tone, bool no_session) {
  const Palette& p = palette();
  switch (tone) {
    case ConnectionView::Tone::Calm:
      if (no_session) return {p.text_soft, p.surface_alt};
      break;
    case ConnectionView::Tone::Notice:
      return {p.notice, p.notice_soft};
    case ConnectionView::Tone::Alert:
      return {p.alert, p.alert_soft};
  }
  return {p.ok, p.accent_soft};
}

}  // namespace

// Always visible: the wordmark, the session's name, and the honest link state.
void draw_status_bar(const NodeView& snap, UiState&, const FrameContext& ctx) {
  const Palette& p = palette();
  const ConnectionView c = connection_view(snap);
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 win = ImGui::GetWindowPos();
  const float width = ImGui::GetWindowWidth();
  const float height = px(56);
  list->AddRectFilled(win, ImVec2(win.x + width, win.y + height), p.surface);
  list->AddLine(ImVec2(win.x, win.y + height), ImVec2(win.x + width, win.y + height), p.line);

  ImGui::SetCursorScreenPos(ImVec2(win.x + px(24), win.y + (height - fonts().heading->FontSize) * 0.5f));
  ImGui::PushFont(fonts().heading);
  ImGui::PushStyleColor(ImGuiCol_Text, p.accent);
  ImGui::TextUnformatted("Attune");
  ImGui::PopStyleColor();
  ImGui::PopFont();
  if (!snap.state.session_name().empty()) {
    ImGui::SameLine(0, px(16));
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() +
                         (fonts().heading->FontSize - fonts().body->FontSize) * 0.5f);
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_soft);
    ImGui::TextUnformatted(snap.state.session_name().c_str());
    ImGui::PopStyleColor();
  }

  const auto [dot, bg] = chip_colours(c.tone, snap.state.session_id().empty());
  ImGui::PushFont(fonts().small);
  const float chip_w = ImGui::CalcTextSize(c.text.c_str()).x + px(36);
  const float chip_h = fonts().small->FontSize + px(8);
  ImGui::PopFont();
  const ImVec2 chip_pos(win.x + width - chip_w - px(24), win.y + (height - chip_h) * 0.5f);
  ImGui::SetCursorScreenPos(chip_pos);
  chip(c.text, dot, bg);
  ctx.mark("status_chip", chip_pos, ImVec2(chip_pos.x + chip_w, chip_pos.y + chip_h));

  float y = win.y + height;
  if (c.tone != ConnectionView::Tone::Calm && !c.detail.empty()) {
    // A band under the bar with the plain sentence; it stays until resolved.
    ImGui::PushFont(fonts().body);
    const float band_h = fonts().body->FontSize + px(20);
    list->AddRectFilled(ImVec2(win.x, y), ImVec2(win.x + width, y + band_h),
                        c.tone == ConnectionView::Tone::Alert ? p.alert_soft : p.notice_soft);
    list->AddText(ImVec2(win.x + px(24), y + px(10)), p.text, c.detail.c_str());
    record_line(c.detail);
    ImGui::PopFont();
    ctx.mark("connection_band", ImVec2(win.x, y), ImVec2(win.x + width, y + band_h));
    y += band_h;
  }
  if (!snap.storage_notice.empty()) {
    // The disk won't take this session: said once, and kept in view, since
    // it matters only if this computer's Attune restarts.
    ImFont* font = fonts().body;
    const float wrap = width - px(48);
    const ImVec2 text = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, snap.storage_notice.c_str());
    const float band_h = text.y + px(20);
    list->AddRectFilled(ImVec2(win.x, y), ImVec2(win.x + width, y + band_h), p.notice_soft);
    list->AddText(font, font->FontSize, ImVec2(win.x + px(24), y + px(10)), p.text,
                  snap.storage_notice.c_str(), nullptr, wrap);
    ctx.mark("storage_band", ImVec2(win.x, y), ImVec2(win.x + width, y + band_h));
    y += band_h;
  }
  ImGui::SetCursorScreenPos(ImVec2(win.x, y));
  ImGui::Dummy(ImVec2(0, 0));
}

}  // namespace attune::app::views
