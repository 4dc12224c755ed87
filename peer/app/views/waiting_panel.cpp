#include <cmath>

#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

// Between "Join" and being let in: say plainly what we wait for.
void draw_waiting(const Snapshot& snap, UiState&, const FrameContext& ctx) {
  const Palette& p = palette();
  const bool connecting = snap.state.session_id().empty();
  title(connecting ? "Connecting..." : "Waiting to be let in");
  wrapped(connecting ? "Reaching the other device. This usually takes a moment."
                     : "The partners in this session will see your name and can let you in. You'll see the "
                       "session as soon as they do.",
          p.text_soft);
  gap(12);
  // A slow, quiet pulse so the screen doesn't look frozen.
  const float t = static_cast<float>(std::fmod(ctx.time_s, 3.0) / 3.0);
  const float r = px(10) + px(6) * std::sin(t * 6.2831853f) * 0.5f + px(3);
  const ImVec2 c(ImGui::GetCursorScreenPos().x + px(24), ImGui::GetCursorScreenPos().y + px(24));
  ImGui::GetWindowDrawList()->AddCircleFilled(c, r, p.breath);
  ImGui::Dummy(ImVec2(px(48), px(48)));
  ctx.wake_in(1.0 / 20);
  gap(12);
  if (secondary_button("Cancel") && ctx.dispatch.leave) {
    Intent leave;
    leave.mutable_leave();
    ctx.dispatch.send(leave);
    ctx.dispatch.leave();
  }
}

}  // namespace attune::app::views
