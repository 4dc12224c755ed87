#include "app/focus_ring.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "app/theme.hpp"

namespace attune::app {

namespace {

struct Stop {
  ImGuiID id = 0;
  FocusKind kind = FocusKind::Button;
  ImGuiWindow* window = nullptr;
  ImGuiWindow* root = nullptr;  // A modal dialog keeps the focus inside it.
  std::string label;
};

struct Ring {
  std::vector<Stop> last;  // The controls the last frame drew, in order.
  std::vector<Stop> now;   // This frame's, so far.
  ImGuiID arrived = 0;     // Tab brought the focus here this frame.
  bool shown = false;      // The keyboard moved it; a click hides it.
  std::string focused;     // Where the ring was drawn last frame.
  std::string drawn_on;    // ... and this frame.
  bool typing = false;
};

// Each window has its own ImGui context, so its own ring.
Ring& ring() {
  static std::map<ImGuiContext*, Ring> rings;
  return rings[ImGui::GetCurrentContext()];
}

// The control that has the keyboard: a text box being edited, else ImGui's nav focus.
ImGuiID focus_id() {
  const ImGuiContext& g = *GImGui;
  return g.ActiveId != 0 ? g.ActiveId : g.NavId;
}

bool ring_visible(const Ring& r) { return r.shown || !GImGui->NavDisableHighlight; }

// While a dialog is open only its controls take the focus.
std::vector<const Stop*> reachable(const Ring& r) {
  ImGuiWindow* modal = ImGui::GetTopMostPopupModal();
  std::vector<const Stop*> out;
  for (const Stop& s : r.last)
    if (!modal || s.root == modal) out.push_back(&s);
  return out;
}

void move(Ring& r, const std::vector<const Stop*>& stops, int step) {
  if (stops.empty()) return;
  const ImGuiID current = focus_id();
  const auto it = std::find_if(stops.begin(), stops.end(), [&](const Stop* s) { return s->id == current; });
  const int n = static_cast<int>(stops.size());
  int next = step > 0 ? 0 : n - 1;
  if (it != stops.end()) next = (static_cast<int>(it - stops.begin()) + step + n) % n;
  const Stop& to = *stops[static_cast<std::size_t>(next)];
  ImGuiContext& g = *GImGui;
  if (g.ActiveId != 0 && g.ActiveId != to.id) ImGui::ClearActiveID();  // Out of a text box.
  ImGui::SetFocusID(to.id, to.window);
  g.NavDisableHighlight = false;
  g.NavDisableMouseHover = true;
  r.arrived = to.id;
  r.shown = true;
}

void press(const Ring& r, const std::vector<const Stop*>& stops, FocusKey key) {
  // A text box being edited keeps its keys: Enter is a new line there.
  if (!ring_visible(r) || GImGui->ActiveId != 0) return;
  for (const Stop* s : stops) {
    if (s->id != GImGui->NavId || s->kind == FocusKind::Text) continue;
    // On a slider Space takes hold (then the arrows move it); Enter goes to
    // ImGui, which takes hold too (sliders never open for typing, widgets.hpp).
    if (s->kind == FocusKind::Slider && key != FocusKey::Space) continue;
    ImGui::ActivateItem(s->id);
  }
}

// Two rounded outlines round the control: light next to it, dark outside.
void draw_ring(ImVec2 min, ImVec2 max) {
  const Palette& p = palette();
  ImDrawList* list = ImGui::GetWindowDrawList();
  // A control at the column's edge: the ring may use the window's padding.
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  list->PushClipRect(window->OuterRectClipped.Min, window->OuterRectClipped.Max, false);
  const float s = fonts().scale > 0 ? fonts().scale : 1.0f;
  // Round controls (the check-in's numbers) get a round ring.
  const bool round = std::abs((max.x - min.x) - (max.y - min.y)) < 2.0f;
  const float rounding = round ? (max.x - min.x) * 0.5f : ImGui::GetStyle().FrameRounding;
  list->AddRect(ImVec2(min.x - 1.5f * s, min.y - 1.5f * s), ImVec2(max.x + 1.5f * s, max.y + 1.5f * s),
                p.focus_ring_inner, rounding + 1.5f * s, 0, 2.0f * s);
  list->AddRect(ImVec2(min.x - 4.0f * s, min.y - 4.0f * s), ImVec2(max.x + 4.0f * s, max.y + 4.0f * s),
                p.focus_ring, rounding + 4.0f * s, 0, 2.5f * s);
  list->PopClipRect();
}

}  // namespace

void focus_frame_begin(const std::vector<FocusKey>& keys) {
  Ring& r = ring();
  r.arrived = 0;
  r.drawn_on.clear();
  r.now.clear();
  if (ImGui::GetIO().MouseClicked[0]) r.shown = false;
  const std::vector<const Stop*> stops = reachable(r);
  for (FocusKey k : keys) {
    if (k == FocusKey::Next || k == FocusKey::Previous)
      move(r, stops, k == FocusKey::Next ? 1 : -1);
    else
      press(r, stops, k);
  }
}

void focus_frame_end() {
  Ring& r = ring();
  r.last = std::move(r.now);
  r.now.clear();
  r.focused = r.drawn_on;
  const ImGuiID id = focus_id();
  r.typing = ImGui::GetIO().WantTextInput ||
             std::any_of(r.last.begin(), r.last.end(),
                         [&](const Stop& s) { return s.id == id && s.kind == FocusKind::Text; });
}

void focus_stop(FocusKind kind, const std::string& label, ImGuiID id) {
  Ring& r = ring();
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  if (id == 0) id = ImGui::GetItemID();
  if (GImGui->LastItemData.InFlags & ImGuiItemFlags_Disabled) return;  // (A greyed-out control isn't a stop.)
  // (An item told twice, e.g. a radio also recorded as a button, is one stop.)
  if (id == 0 || std::any_of(r.now.begin(), r.now.end(), [&](const Stop& s) { return s.id == id; })) return;
  r.now.push_back(Stop{id, kind, window, window->RootWindow, label});
  const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  if (r.arrived == id) ImGui::ScrollToRect(window, ImRect(min, max), ImGuiScrollFlags_KeepVisibleEdgeY);
  if (id != focus_id() || !ring_visible(r)) return;
  draw_ring(min, max);
  r.drawn_on = label;
}

bool focus_arrives(ImGuiID id) { return ring().arrived == id; }

void focus_text_stop(const char* label) {
  const ImGuiID id = ImGui::GetItemID();
  // Tab came here: start editing it (next frame), as a click would.
  if (focus_arrives(id) && ImGui::GetActiveID() != id) ImGui::SetKeyboardFocusHere(-1);
  focus_stop(FocusKind::Text, label, id);
}

void focus_slider_stop(const char* label) { focus_stop(FocusKind::Slider, label); }

std::string focused_label() { return ring().focused; }

bool typing_in_a_box() { return ring().typing; }

}  // namespace attune::app
