// Calm colours, real fonts and spacing for the window app. Fonts are found
// at run time (Inter, then Noto, then DejaVu, then ImGui's built-in font).
#pragma once

#include <imgui.h>

#include <string>

namespace attune::app {

struct Palette {
  ImU32 background = IM_COL32(245, 241, 234, 255);
  ImU32 surface = IM_COL32(253, 251, 248, 255);
  ImU32 surface_alt = IM_COL32(236, 230, 220, 255);
  ImU32 line = IM_COL32(221, 213, 201, 255);
  ImU32 field = IM_COL32(243, 239, 232, 255);  // Text fields and sliders.
  ImU32 text = IM_COL32(42, 39, 35, 255);
  ImU32 text_soft = IM_COL32(102, 95, 86, 255);
  ImU32 accent = IM_COL32(63, 114, 104, 255);  // Primary actions; "you have the floor".
  ImU32 accent_hover = IM_COL32(52, 99, 90, 255);
  ImU32 accent_soft = IM_COL32(220, 233, 228, 255);
  ImU32 listen = IM_COL32(222, 229, 241, 255);  // "You're listening".
  ImU32 listen_text = IM_COL32(46, 74, 107, 255);
  ImU32 breath = IM_COL32(143, 179, 209, 255);  // The pacer circle.
  ImU32 breath_soft = IM_COL32(214, 228, 240, 255);
  ImU32 breath_text = IM_COL32(30, 52, 80, 255);  // Readable on the pacer circle.
  ImU32 notice = IM_COL32(176, 128, 36, 255);
  ImU32 notice_soft = IM_COL32(246, 235, 210, 255);
  ImU32 alert = IM_COL32(176, 92, 66, 255);
  ImU32 alert_soft = IM_COL32(244, 221, 211, 255);
  ImU32 ok = IM_COL32(84, 138, 96, 255);
  // The keyboard's focus ring: a dark outline outside a light one, so it
  // shows against every button colour and every card (focus_ring.hpp).
  ImU32 focus_ring = IM_COL32(24, 48, 44, 255);
  ImU32 focus_ring_inner = IM_COL32(255, 255, 255, 255);
};

const Palette& palette();

struct Fonts {
  ImFont* body = nullptr;
  ImFont* body_bold = nullptr;
  ImFont* small = nullptr;
  ImFont* heading = nullptr;
  ImFont* title = nullptr;
  ImFont* display = nullptr;  // Big numbers: countdown, check-in level.
  std::string source;         // Which font file was used, for the log.
  float scale = 1.0f;         // Pixel scale the atlas was built for.
};

// Builds the font atlas at the given scale (screen scale x user text size).
// Call between frames; the renderer's font texture must be rebuilt after.
Fonts load_fonts(ImGuiIO& io, float scale);

// Applies the calm style (rounding, spacing, colours) at the given scale.
void apply_style(float scale);

// The fonts in use by the current ImGui context (set by whoever built them).
const Fonts& fonts();
void set_fonts(const Fonts& f);

ImVec4 to_vec4(ImU32 c);

// A radio button whose dot is sized to the text beside it (ImGui sizes it
// to a whole field's height), centred on the line it sits on. dot_min and
// dot_max, if given, get where the dot landed.
bool radio(const char* label, bool active, ImVec2* dot_min = nullptr, ImVec2* dot_max = nullptr);

}  // namespace attune::app
