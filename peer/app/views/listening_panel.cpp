#include <imgui.h>
#include <imgui_stdlib.h>

#include <string>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/intents.hpp"

namespace attune::app::views {

namespace {

// Kept per round and clarification, like the other drafts.
std::string key(const State& s, const char* part) {
  const uint32_t clar = s.rounds().empty() ? 0 : s.rounds(s.rounds_size() - 1).clarifications();
  return std::string(part) + ":" + std::to_string(s.rounds_size()) + ":" + std::to_string(clar);
}

void prompt_box(const char* id, const std::string& prompt, std::string* draft, const FrameContext& ctx) {
  ImGui::PushFont(fonts().body_bold);
  ImGui::TextUnformatted(prompt.c_str());
  ImGui::PopFont();
  wrapping_text_box(id, draft, px(64));
  const ImVec2 box_min = ImGui::GetItemRectMin();
  if (ImGui::IsItemActive()) ctx.wake_in(0.5);
  draw_hints(*draft, false, true, box_min, ctx);
}

}  // namespace

void send_listening_if_new(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const State& s = snap.state;
  if (s.rounds().empty()) return;
  const v1::Round& r = s.rounds(s.rounds_size() - 1);
  const std::string& validation = ui.drafts[key(s, "validate")];
  const std::string& empathy = ui.drafts[key(s, "empathise")];
  if (validation == r.validation_text() && empathy == r.empathy_text()) return;
  ctx.dispatch.send(intents::write_listening(validation, empathy));
}

// Validation and empathy: a prompt for each, writing optional.
void draw_listening(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const StepView v = step_view(snap);
  begin_card(palette().surface);
  heading("Write it down too (optional)");
  prompt_box("##validate", v.validation_prompt, &ui.drafts[key(snap.state, "validate")], ctx);
  gap(2);
  prompt_box("##empathise", v.empathy_prompt, &ui.drafts[key(snap.state, "empathise")], ctx);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("listening", a, b);
}

}  // namespace attune::app::views
