#include <algorithm>
#include <string>

#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app::views {

// My ratings over the session (0..10), with the agreed threshold as a soft
// band: drawn with ImDrawList, since ImPlot isn't packaged.
void draw_timeline_plot(const std::vector<PrivateCheckIn>& timeline, int threshold, float width, float height,
                        const FrameContext& ctx) {
  const Palette& p = palette();
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float left = px(34), bottom = px(26), top = px(10), right = px(12);
  const ImVec2 a(origin.x + left, origin.y + top);
  const ImVec2 b(origin.x + width - right, origin.y + height - bottom);
  list->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), p.surface, px(12));

  auto y_of = [&](float level) { return b.y - (b.y - a.y) * (level / 10.0f); };
  // The calm zone: at or below the threshold.
  list->AddRectFilled(ImVec2(a.x, y_of(static_cast<float>(threshold))), b, p.accent_soft);
  ImGui::PushFont(fonts().small);
  for (int level : {0, 5, 10}) {
    const float y = y_of(static_cast<float>(level));
    list->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), p.line);
    const std::string label = std::to_string(level);
    list->AddText(ImVec2(origin.x + px(10), y - fonts().small->FontSize * 0.5f), p.text_soft, label.c_str());
  }
  if (timeline.empty()) {
    const char* none = "No check-ins were recorded on this device.";
    list->AddText(ImVec2(a.x + px(12), a.y + px(12)), p.text_soft, none);
  } else {
    const int64_t t0 = timeline.front().at_ms;
    const int64_t t1 = std::max<int64_t>(timeline.back().at_ms, t0 + 1);
    std::vector<ImVec2> points;
    for (std::size_t i = 0; i < timeline.size(); ++i) {
      const float f = timeline.size() == 1
                          ? 0.5f
                          : static_cast<float>(timeline[i].at_ms - t0) / static_cast<float>(t1 - t0);
      points.emplace_back(a.x + px(8) + (b.x - a.x - px(16)) * f,
                          y_of(static_cast<float>(timeline[i].level)));
    }
    list->AddPolyline(points.data(), static_cast<int>(points.size()), p.breath, 0, px(3));
    for (std::size_t i = 0; i < points.size(); ++i) {
      const bool above = timeline[i].level > threshold;
      list->AddCircleFilled(points[i], px(5.5f), above ? p.notice : p.accent);
    }
    const std::string span = timeline_span_words(t1 - t0, timeline.size());
    list->AddText(ImVec2(a.x, b.y + px(5)), p.text_soft, span.c_str());
    record_line(span);
  }
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(width, height));
  ctx.mark("plot", origin, ImVec2(origin.x + width, origin.y + height));
}

}  // namespace attune::app::views
