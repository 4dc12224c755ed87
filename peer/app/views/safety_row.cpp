#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/intents.hpp"

namespace attune::app::views {

// "I need a pause" is never blocked. "I need to stop" ends the session for
// everyone after one gentle confirmation, and no reason is ever shown.
void draw_safety_row(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const v1::Phase phase = snap.state.phase();
  const bool can_pause = phase == v1::PHASE_ACTIVE || phase == v1::PHASE_CHECK_IN;
  const bool partner = snap.my_role == v1::ROLE_PARTNER_A || snap.my_role == v1::ROLE_PARTNER_B;
  ImGui::Separator();
  gap(4);
  if (can_pause) {
    if (secondary_button("I need a pause")) {
      ctx.dispatch.send(intents::pause());
    }
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    soft("Anyone can pause, any time. No reason needed.");
  }
  if (partner) {
    if (can_pause) ImGui::SameLine(ImGui::GetContentRegionMax().x - px(130));
    if (quiet_button("I need to stop")) ui.confirm_exit = true;
  }
  if (ui.confirm_exit) {
    ImGui::OpenPopup("Stop the session?");
    ui.confirm_exit = false;
  }
  ImGui::SetNextWindowSize(ImVec2(px(440), 0));
  if (ImGui::BeginPopupModal(
          "Stop the session?", nullptr,
          ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoTitleBar)) {
    ctx.mark("stop_dialog", ImGui::GetWindowPos(),
             ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowWidth(),
                    ImGui::GetWindowPos().y + ImGui::GetWindowHeight()));
    ctx.mark("stop_dialog_text", ImGui::GetCursorScreenPos(), ImGui::GetCursorScreenPos());
    heading("Stop here for now?");
    wrapped("The session ends for everyone. They'll only see that it has ended, never why. Stopping is okay.",
            p.text_soft);
    gap(6);
    if (primary_button("Yes, stop now")) {
      ctx.dispatch.send(intents::exit());
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    const bool keep_going = secondary_button("Keep going");
    ImGui::SetItemDefaultFocus();  // The keyboard lands on the gentle answer, not on "stop".
    if (keep_going || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

}  // namespace attune::app::views
