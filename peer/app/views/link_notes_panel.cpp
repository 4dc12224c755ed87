// The `closed` and `held` lines under the status bar (issue 15): why the
// other device closed the link, and what is kept until the check-in.
#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

void draw_link_notes(const NodeView& snap, const FrameContext& ctx) {
  const LinkNotes notes = link_notes(snap);
  if (notes.closed.empty() && notes.held.empty()) return;
  const Palette& p = palette();
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + px(16));
  const ImVec2 from = ImGui::GetCursorScreenPos();
  ImGui::BeginGroup();
  if (!notes.closed.empty()) wrapped(notes.closed, p.text_soft);
  if (!notes.held.empty()) wrapped(notes.held, p.notice);
  ImGui::EndGroup();
  ctx.mark("link_notes", from, ImGui::GetItemRectMax());
}

}  // namespace attune::app::views
