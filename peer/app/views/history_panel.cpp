#include <string>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

namespace {

std::string date_of(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %d %b %Y, %H:%M", &tm);
  return buf;
}

// "with Alex  · ", "as the coach, with Alex and Sam  · "; older entries
// kept no names and say nothing here.
std::string with_line(const HistoryEntry& e) {
  if (e.with.empty()) return {};
  return std::string(e.role == "Coach" ? "as the coach, with " : "with ") + e.with + "  \xC2\xB7  ";
}

}  // namespace

// Past sessions kept on this device, newest first.
void draw_history(const NodeView&, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  if (quiet_button("\xE2\x86\x90 Back")) ui.start_panel = StartPanel::Home;
  title("Past sessions");
  soft("Kept only on this device. Nobody else can see this list.");
  gap(8);
  draw_preparations_in_history(ui, ctx);  // What was prepared alone (prepare_panel.cpp).
  const std::vector<HistoryEntry> entries =
      ctx.dispatch.load_history ? ctx.dispatch.load_history() : std::vector<HistoryEntry>{};
  if (entries.empty()) {
    wrapped("No sessions here yet. When one ends, its summary appears here.", p.text_soft);
    return;
  }
  for (const HistoryEntry& e : entries) {
    ImGui::PushID(e.session_id.c_str());
    begin_card(p.surface);
    heading(e.session_name.empty() ? "A session" : e.session_name);
    soft(date_of(e.ended_ms) + "  \xC2\xB7  " + with_line(e) + kind_words(e.kind));
    const std::string line = std::string(e.completed ? "Finished together" : "Stopped early") + ", " +
                             std::to_string(e.steps_reached) + " of " + std::to_string(steps_total(e.kind)) +
                             " steps, " +
                             format_duration(e.ended_ms - e.started_ms) + ", " + std::to_string(e.pauses) +
                             (e.pauses == 1 ? " pause" : " pauses");
    wrapped(line, p.text);
    if (!e.gesture.empty()) wrapped("The gesture you agreed: " + e.gesture, p.text);
    if (!e.timeline.empty())
      draw_timeline_plot(e.timeline, 3, ImGui::GetContentRegionAvail().x - px(20), px(120), ctx);
    if (!e.notes.empty()) {
      ImGui::PushFont(fonts().body_bold);
      ImGui::TextUnformatted("Notes");
      ImGui::PopFont();
      wrapped(e.notes, p.text_soft);
    }
    if (!e.private_note.empty()) {
      wrapped("Your note from \"benefit of the doubt\"", p.text, fonts().body_bold);
      wrapped(e.private_note, p.text_soft);
    }
    end_card();
    gap(6);
    ImGui::PopID();
  }
}

}  // namespace attune::app::views
