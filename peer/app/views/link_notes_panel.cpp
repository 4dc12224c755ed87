// The `closed` and `held` lines under the status bar (issue 15): why the
// other device closed the link, and what is kept until the check-in.
#include <imgui.h>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

namespace {

// A line in a colour, wrapped where the caller's wrap position says.
void note(const std::string& text, ImU32 color) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
  record_line(text);
}

}  // namespace

void draw_link_notes(const NodeView& snap, const FrameContext& ctx) {
  const LinkNotes notes = link_notes(snap);
  if (notes.closed.empty() && notes.held.empty()) return;
  const Palette& p = palette();
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + px(16));
  const ImVec2 from = ImGui::GetCursorScreenPos();
  ImGui::BeginGroup();
  // Wrapped clear of the window's right edge, as far in as it starts.
  ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - px(16));
  if (!notes.closed.empty()) note(notes.closed, p.text_soft);
  if (!notes.held.empty()) note(notes.held, p.notice);
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  ctx.mark("link_notes", from, ImGui::GetItemRectMax());
}

}  // namespace attune::app::views
