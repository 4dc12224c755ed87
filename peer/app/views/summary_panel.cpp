#include <string>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

namespace {

void stat(const char* label, const std::string& value, float width) {
  ImGui::BeginGroup();
  ImGui::PushFont(fonts().title);
  ImGui::TextUnformatted(value.c_str());
  ImGui::PopFont();
  soft(label);
  ImGui::EndGroup();
  ImGui::SameLine(0, width);
}

}  // namespace

// The end: a summary and my own timeline, saved once to this device's history.
void draw_summary(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const SummaryView s = summary_view(snap, ctx.now_ms);
  if (ui.saved_session != snap.state.session_id() && ctx.dispatch.save_history) {
    HistoryEntry entry = make_history_entry(snap, ctx.now_ms);
    entry.notes = ui.coach_notes;
    if (snap.my_role != v1::ROLE_COACH) entry.private_note = ui.private_note;
    ctx.dispatch.save_history(entry);
    ui.saved_session = snap.state.session_id();
  }
  title(s.title);
  wrapped(s.message, p.text_soft);
  soft(s.kind);
  gap(10);

  begin_card(p.surface);
  const std::string steps_label = "steps of " + std::to_string(s.steps_total);
  stat(steps_label.c_str(), std::to_string(s.steps_reached), px(48));
  stat("together", s.duration, px(48));
  stat(s.pauses == 1 ? "pause" : "pauses", std::to_string(s.pauses), 0);
  ImGui::NewLine();
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("summary_stats", a, b);
  gap(8);

  if (const std::string gesture = agreed_gesture(snap.state); !gesture.empty()) {
    heading("The gesture you agreed");
    wrapped(gesture, p.text);
    gap(8);
  }
  if (snap.my_role != v1::ROLE_COACH && !ui.private_note.empty()) {
    heading("Your note from \"benefit of the doubt\"");
    wrapped(ui.private_note, p.text_soft);
    gap(8);
  }

  if (snap.my_role != v1::ROLE_COACH) {
    heading("How your body moved through it");
    soft("Your own check-ins, only on this device. The shaded band is at or below the line you agreed.");
    gap(4);
    draw_timeline_plot(s.timeline, static_cast<int>(snap.state.settings().threshold()),
                       ImGui::GetContentRegionAvail().x, px(200), ctx);
    gap(8);
  } else if (!ui.coach_notes.empty()) {
    heading("Your notes");
    wrapped(ui.coach_notes, p.text);
    gap(8);
  }
  soft("Saved in your history on this device.");
  gap(4);
  if (primary_button("Back to the start") && ctx.dispatch.leave) ctx.dispatch.leave();
  ImGui::SameLine();
  if (secondary_button("Past sessions")) {
    ui.start_panel = StartPanel::History;
    if (ctx.dispatch.leave) ctx.dispatch.leave();
  }
}

}  // namespace attune::app::views
