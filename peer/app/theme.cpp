#include "app/theme.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "app/focus_ring.hpp"

namespace attune::app {

namespace {

struct FontFiles {
  const char* regular;
  const char* bold;
};

// Debian paths; the first pair that exists wins.
constexpr std::array<FontFiles, 4> kCandidates = {{
    {"/usr/share/fonts/opentype/inter/Inter-Regular.otf",
     "/usr/share/fonts/opentype/inter/Inter-SemiBold.otf"},
    {"/usr/share/fonts/truetype/inter/Inter-Regular.ttf",
     "/usr/share/fonts/truetype/inter/Inter-SemiBold.ttf"},
    {"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"},
    {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
}};

// Latin, Latin Extended-A, typographic punctuation (curly quotes, dashes,
// ellipsis) and a few symbols the views use.
const ImWchar kGlyphs[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x205E, 0x2190, 0x2199, 0x25CB, 0x25CF, 0};
// The display size shows only numbers and times ("7", "2:00", "14:20"): plain
// ASCII is all it needs, and at 56 px every glyph left out is a large one.
const ImWchar kDisplayGlyphs[] = {0x0020, 0x007E, 0};

// Fonts are per ImGui context (each window has its own).
std::unordered_map<ImGuiContext*, Fonts>& font_table() {
  static std::unordered_map<ImGuiContext*, Fonts> table;
  return table;
}

}  // namespace

const Palette& palette() {
  static const Palette p;
  return p;
}

ImVec4 to_vec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

Fonts load_fonts(ImGuiIO& io, float scale) {
  Fonts f;
  f.scale = scale;
  io.Fonts->Clear();
  const FontFiles* files = nullptr;
  for (const FontFiles& c : kCandidates) {
    std::error_code ec;
    if (std::filesystem::exists(c.regular, ec) && std::filesystem::exists(c.bold, ec)) {
      files = &c;
      break;
    }
  }
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  auto add = [&](const char* path, float px, const ImWchar* glyphs = kGlyphs) -> ImFont* {
    if (!path) {
      ImFontConfig def;
      def.SizePixels = px;
      return io.Fonts->AddFontDefault(&def);
    }
    // Oversampling sharpens small text; from heading size up it only makes
    // the atlas (and the start, and memory) bigger.
    cfg.OversampleH = px < 22.0f * scale ? 2 : 1;
    return io.Fonts->AddFontFromFileTTF(path, px, &cfg, glyphs);
  };
  const char* regular = files ? files->regular : nullptr;
  const char* bold = files ? files->bold : nullptr;
  f.source = files ? files->regular : "ImGui built-in font";
  f.body = add(regular, 18.0f * scale);
  f.body_bold = add(bold, 18.0f * scale);
  f.small = add(regular, 15.0f * scale);
  f.heading = add(bold, 23.0f * scale);
  f.title = add(bold, 31.0f * scale);
  f.display = add(regular, 56.0f * scale, kDisplayGlyphs);
  if (!f.body || !f.body_bold || !f.small || !f.heading || !f.title || !f.display) {
    // A broken font file: fall back to the built-in font at every size.
    io.Fonts->Clear();
    f.source = "ImGui built-in font";
    f.body = f.body_bold = add(nullptr, 13.0f * scale);
    f.small = add(nullptr, 13.0f * scale);
    f.heading = f.title = f.display = add(nullptr, 26.0f * scale);
  }
  io.FontDefault = f.body;
  io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;  // No rows of nothing in the texture.
  io.Fonts->Build();
  return f;
}

void apply_style(float scale) {
  const Palette& p = palette();
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = ImVec2(28, 22);
  style.FramePadding = ImVec2(14, 9);
  style.ItemSpacing = ImVec2(12, 12);
  style.ItemInnerSpacing = ImVec2(10, 8);
  style.ScrollbarSize = 12;
  style.GrabMinSize = 18;
  style.WindowRounding = 14;  // Dialogs (modal popups) take this, not PopupRounding.
  style.ChildRounding = 10;
  style.FrameRounding = 10;
  style.PopupRounding = 10;
  style.GrabRounding = 10;
  style.ScrollbarRounding = 10;
  style.TabRounding = 10;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 0;
  style.PopupBorderSize = 1;
  style.FrameBorderSize = 1;
  style.ScaleAllSizes(scale);

  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = to_vec4(p.text);
  c[ImGuiCol_TextDisabled] = to_vec4(p.text_soft);
  c[ImGuiCol_WindowBg] = to_vec4(p.background);
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = to_vec4(p.surface);
  c[ImGuiCol_Border] = to_vec4(p.line);
  // Fields sit a shade below the cards, with a soft border, so they read as fields.
  c[ImGuiCol_FrameBg] = to_vec4(p.field);
  c[ImGuiCol_FrameBgHovered] = to_vec4(IM_COL32(236, 230, 220, 255));
  c[ImGuiCol_FrameBgActive] = to_vec4(IM_COL32(236, 230, 220, 255));
  c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_Button] = to_vec4(p.surface_alt);
  c[ImGuiCol_ButtonHovered] = to_vec4(IM_COL32(226, 219, 207, 255));
  c[ImGuiCol_ButtonActive] = to_vec4(IM_COL32(214, 206, 193, 255));
  c[ImGuiCol_Header] = to_vec4(p.accent_soft);
  c[ImGuiCol_HeaderHovered] = to_vec4(IM_COL32(205, 224, 217, 255));
  c[ImGuiCol_HeaderActive] = to_vec4(IM_COL32(190, 214, 206, 255));
  c[ImGuiCol_CheckMark] = to_vec4(p.accent);
  c[ImGuiCol_SliderGrab] = to_vec4(p.accent);
  c[ImGuiCol_SliderGrabActive] = to_vec4(p.accent_hover);
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ScrollbarGrab] = to_vec4(p.line);
  c[ImGuiCol_Separator] = to_vec4(p.line);
  c[ImGuiCol_NavHighlight] = ImVec4(0, 0, 0, 0);  // The focus ring draws its own (focus_ring.cpp).
  c[ImGuiCol_TextSelectedBg] = to_vec4(IM_COL32(190, 214, 206, 255));
  // Tabs (the vocabulary's Feelings and Needs) in the app's colours, not stock blue.
  c[ImGuiCol_Tab] = to_vec4(p.surface_alt);
  c[ImGuiCol_TabHovered] = to_vec4(IM_COL32(205, 224, 217, 255));
  c[ImGuiCol_TabActive] = to_vec4(p.accent_soft);
  c[ImGuiCol_TabUnfocused] = to_vec4(p.surface_alt);
  c[ImGuiCol_TabUnfocusedActive] = to_vec4(p.accent_soft);
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.16f, 0.15f, 0.14f, 0.35f);
  ImGui::GetStyle() = style;
}

bool radio(const char* label, bool active, ImVec2* dot_min, ImVec2* dot_max) {
  // As tall as a field, so it lines up with the words beside it; the dot
  // itself is sized to the text.
  const Palette& p = palette();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float font = ImGui::GetFontSize();
  const float r = std::round(font * 0.42f);
  const char* hidden = std::strstr(label, "##");  // An id after "##" isn't shown.
  const char* end = hidden ? hidden : label + std::strlen(label);
  const ImVec2 text = ImGui::CalcTextSize(label, end);
  const ImVec2 size(r * 2 + style.ItemInnerSpacing.x + text.x, ImGui::GetFrameHeight());
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const bool pressed = ImGui::InvisibleButton(label, size);
  focus_stop(FocusKind::Button, std::string(label, end));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 centre(pos.x + r, pos.y + size.y * 0.5f);
  list->AddCircleFilled(centre, r, hovered ? p.surface_alt : p.field);
  list->AddCircle(centre, r, p.line, 0, 1.0f);
  if (active) list->AddCircleFilled(centre, r * 0.55f, p.accent);
  if (dot_min) *dot_min = ImVec2(centre.x - r, centre.y - r);
  if (dot_max) *dot_max = ImVec2(centre.x + r, centre.y + r);
  list->AddText(ImVec2(pos.x + r * 2 + style.ItemInnerSpacing.x, pos.y + (size.y - text.y) * 0.5f),
                ImGui::GetColorU32(ImGuiCol_Text), label, end);
  return pressed;
}

const Fonts& fonts() {
  static const Fonts empty;
  auto it = font_table().find(ImGui::GetCurrentContext());
  return it == font_table().end() ? empty : it->second;
}

void set_fonts(const Fonts& f) { font_table()[ImGui::GetCurrentContext()] = f; }

}  // namespace attune::app
