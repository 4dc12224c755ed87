#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/intents.hpp"

namespace attune::app::views {

// A longer break with an agreed return time. The session waits here.
void draw_long_break(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const LongBreakView v = long_break_view(snap, ctx.now_ms);
  title(v.title);
  wrapped(v.message, p.text_soft);
  gap(10);
  begin_card(p.breath_soft);
  soft("You agreed to come back at");
  ImGui::PushFont(fonts().display);
  ImGui::TextUnformatted(v.return_at.c_str());
  ImGui::PopFont();
  if (v.seconds_left > 0) soft("That's in " + format_duration(v.seconds_left * 1000) + ".");
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("long_break", a, b);
  ctx.wake_in(30.0);
  gap(8);
  if (!v.back_line.empty()) {
    wrapped(v.back_line, p.text);
    gap(6);
  }
  if (v.can_return && primary_button("We're back")) {
    ctx.dispatch.send(intents::return_from_break());
  }
  gap(8);
  draw_safety_row(snap, ui, ctx);
}

}  // namespace attune::app::views
