#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/intents.hpp"

namespace attune::app::views {

// Between "Join" and being let in: say plainly what we wait for.
void draw_waiting(const NodeView& snap, UiState&, const FrameContext& ctx) {
  const Palette& p = palette();
  const bool connecting = snap.state.session_id().empty();
  title(connecting ? "Connecting..." : "Waiting to be let in");
  wrapped(connecting ? "Reaching the other device. This usually takes a moment."
                     : "The partners in this session will see your name and can let you in. You'll see the "
                       "session as soon as they do.",
          p.text_soft);
  gap(12);
  // Three quiet dots; no animation, so a waiting window costs nothing.
  const ImVec2 at = ImGui::GetCursorScreenPos();
  for (int i = 0; i < 3; ++i)
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(at.x + px(8) + i * px(22), at.y + px(10)), px(6),
                                                i == 0 ? p.breath : p.breath_soft);
  ImGui::Dummy(ImVec2(px(70), px(20)));
  ctx.mark("waiting", at, ImVec2(at.x + px(70), at.y + px(20)));
  gap(12);
  if (secondary_button("Cancel") && ctx.dispatch.leave) {
    ctx.dispatch.send(intents::leave());
    ctx.dispatch.leave();
  }
}

}  // namespace attune::app::views
