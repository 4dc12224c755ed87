#include <imgui.h>
#include <imgui_stdlib.h>

#include <string>
#include <string_view>

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

// The draft of one part; a device that came back after a reconnect starts
// from what the engine keeps, so nothing written is wiped.
std::string& draft(UiState& ui, const State& s, const char* part) {
  const v1::Round& r = s.rounds(s.rounds_size() - 1);
  const bool validating = std::string_view(part) == "validate";
  return ui.drafts.try_emplace(key(s, part), validating ? r.validation_text() : r.empathy_text()).first->second;
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

// Only the part the engine is on goes out: while validating, the empathy as
// the engine keeps it; while empathising, the validation as the engine keeps it (a device that
// came back after a reconnect has no draft of it, and must not wipe it).
void send_listening_if_new(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const State& s = snap.state;
  if (s.rounds().empty()) return;
  const v1::Round& r = s.rounds(s.rounds_size() - 1);
  const bool empathising = r.listening() == v1::LISTEN_STAGE_EMPATHISE;
  const std::string validation = empathising ? r.validation_text() : draft(ui, s, "validate");
  const std::string empathy = empathising ? draft(ui, s, "empathise") : r.empathy_text();
  if (validation == r.validation_text() && empathy == r.empathy_text()) return;
  ctx.dispatch.send(intents::write_listening(validation, empathy));
}

// Validation, then empathy: the prompt of the part the engine is on, writing optional.
void draw_listening(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const StepView v = step_view(snap);
  if (snap.state.rounds().empty()) return;
  begin_card(palette().surface);
  heading("Write it down too (optional)");
  if (!v.validation_prompt.empty())
    prompt_box("##validate", v.validation_prompt, &draft(ui, snap.state, "validate"), ctx);
  if (!v.empathy_prompt.empty())
    prompt_box("##empathise", v.empathy_prompt, &draft(ui, snap.state, "empathise"), ctx);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("listening", a, b);
}

}  // namespace attune::app::views
