#include <cfloat>
#include <cmath>

#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

namespace {

struct Breath {
  float size;         // 0 = empty lungs, 1 = full.
  const char* label;  // What to do now.
  double left;        // Seconds left in this part.
};

// Slow breathing: in 4 s, out 6 s (six breaths a minute). Box: 4-4-4-4.
Breath breath_at(PacerStyle style, double t) {
  auto ease = [](double x) { return static_cast<float>(0.5 - 0.5 * std::cos(x * 3.14159265358979)); };
  switch (style) {
    case PacerStyle::Slow: {
      const double c = std::fmod(t, 10.0);
      if (c < 4.0) return {ease(c / 4.0), "Breathe in", 4.0 - c};
      return {1.0f - ease((c - 4.0) / 6.0), "Breathe out", 10.0 - c};
    }
    case PacerStyle::Box: {
      const double c = std::fmod(t, 16.0);
      if (c < 4.0) return {ease(c / 4.0), "Breathe in", 4.0 - c};
      if (c < 8.0) return {1.0f, "Hold", 8.0 - c};
      if (c < 12.0) return {1.0f - ease((c - 8.0) / 4.0), "Breathe out", 12.0 - c};
      return {0.0f, "Hold", 16.0 - c};
    }
  }
  return {0.0f, "", 1.0};
}

}  // namespace

void draw_pacer(UiState& ui, const FrameContext& ctx, float radius) {
  const Palette& p = palette();
  const Breath b = breath_at(ui.pacer, ctx.time_s);
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 c(pos.x + w * 0.5f, pos.y + radius);
  list->AddCircleFilled(c, radius, p.breath_soft, 96);
  const float r = radius * (0.42f + 0.58f * b.size);
  list->AddCircleFilled(c, r, p.breath, 96);
  list->AddCircle(c, radius, p.breath, 96, px(1.5f));
  // The words fit inside the circle at any size: a smaller size in a small circle.
  ImFont* font = fonts().heading;
  const float room = radius * 1.5f;
  float size = font->FontSize;
  const float natural = font->CalcTextSizeA(size, FLT_MAX, 0.0f, b.label).x;
  if (natural > room) size *= room / natural;
  const ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, 0.0f, b.label);
  const ImVec2 at(c.x - ts.x * 0.5f, c.y - ts.y * 0.5f);
  list->AddText(font, size, at, p.breath_text, b.label);
  ctx.mark("pacer_words", at, ImVec2(at.x + ts.x, at.y + ts.y));
  ImGui::Dummy(ImVec2(w, radius * 2));
  ctx.mark("pacer", ImVec2(c.x - radius, c.y - radius), ImVec2(c.x + radius, c.y + radius));
  // Smooth enough for a slow breath, gentle on the CPU.
  ctx.wake_in(1.0 / 30.0);

  // Style choice, centred under the circle.
  const char* slow = "Slow breathing";
  const char* box = "Box breathing";
  ImGui::PushFont(fonts().small);
  const float bw = ImGui::CalcTextSize(slow).x + ImGui::CalcTextSize(box).x + px(60);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (w - bw) * 0.5f);
  ImVec2 dot_min, dot_max;
  if (radio(slow, ui.pacer == PacerStyle::Slow, &dot_min, &dot_max)) ui.pacer = PacerStyle::Slow;
  record_last_item_as_button(slow);
  ctx.mark("pacer_radio_dot", dot_min, dot_max);
  ImGui::SameLine(0, px(20));
  if (radio(box, ui.pacer == PacerStyle::Box)) ui.pacer = PacerStyle::Box;
  record_last_item_as_button(box);
  ImGui::PopFont();
}

}  // namespace attune::app::views
