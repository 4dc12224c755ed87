// The coach's check number on the partner's opt-in (issue 15): each coach
// key the host named, with its number, what to compare, and "They match" /
// "They don't match". And, on a coach's own screens, its own number.
#include <imgui.h>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

void draw_coach_checks(const NodeView& snap, const FrameContext& ctx) {
  const Palette& p = palette();
  for (const CoachCheckRow& row : coach_check_rows(snap)) {
    gap(4);
    wrapped(row.heading, p.text_soft);
    wrapped(row.number, p.text, fonts().heading);
    wrapped(row.words, row.matched ? p.text : p.text_soft);
    if (!row.ask || !ctx.dispatch.node) continue;
    const std::string yes = "They match##" + row.coach_id;
    const std::string no = "They don't match##" + row.coach_id;
    if (primary_button(yes.c_str())) ctx.dispatch.node->compare_coach(row.coach_id, row.number, true);
    ImGui::SameLine();
    if (secondary_button(no.c_str())) ctx.dispatch.node->compare_coach(row.coach_id, row.number, false);
  }
}

void draw_my_check_number(const NodeView& snap, const FrameContext& ctx) {
  const std::string line = my_check_number_line(snap);
  if (line.empty()) return;
  const Palette& p = palette();
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (snap.state.phase() != v1::PHASE_LOBBY) {
    // Partners compare it in the lobby; once the session runs it is only
    // there for reference, so it stays quiet.
    soft(line);
    ctx.mark("my_check_number", top, ImGui::GetItemRectMax());
    return;
  }
  wrapped(line, p.text, fonts().heading);
  ctx.mark("my_check_number", top, ImGui::GetItemRectMax());
  const ImVec2 words = ImGui::GetCursorScreenPos();
  wrapped("Partners compare this with their screen before they share their check-in numbers with you. "
          "Read it to them if they ask.",
          p.text_soft);
  ctx.mark("my_check_number_words", words, ImGui::GetItemRectMax());
}

}  // namespace attune::app::views
