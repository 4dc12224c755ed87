#include "app/widgets.hpp"

#include <imgui_stdlib.h>

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "app/focus_ring.hpp"
#include "app/text_edit.hpp"
#include "app/theme.hpp"
#include "attune/text.hpp"

namespace attune::app {

namespace {

struct CardFrame {
  ImDrawList* list;
  ImVec2 start;
  float padding;
  ImU32 background;
};

// Cards nest (a card in a card), so keep a small stack.
std::vector<CardFrame>& card_stack() {
  static std::vector<CardFrame> stack;
  return stack;
}

DrawnFrame*& recording() {
  static DrawnFrame* frame = nullptr;
  return frame;
}

std::string shown_label(const char* label) {
  const std::string s(label);
  const auto hash = s.find("##");
  return hash == std::string::npos ? s : s.substr(0, hash);
}

void record_button(const char* label, bool enabled) {
  if (enabled) focus_stop(FocusKind::Button, shown_label(label));  // Tab reaches every enabled button.
  if (!recording()) return;
  recording()->buttons.push_back({shown_label(label), ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), enabled});
}

}  // namespace

void record_frame_into(DrawnFrame* frame) { recording() = frame; }
void record_last_item_as_button(const std::string& label, bool enabled) { record_button(label.c_str(), enabled); }
void record_line(const std::string& text) {
  if (recording()) recording()->lines.push_back(text);
}

const DrawnButton* DrawnFrame::button(const std::string& label) const {
  for (const DrawnButton& b : buttons)
    if (b.label == label) return &b;
  return nullptr;
}

bool DrawnFrame::shows(const std::string& text) const {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

float px(float v) { return v * fonts().scale; }

void gap(float v) { ImGui::Dummy(ImVec2(0, px(v))); }

void wrapped(const std::string& text, ImU32 color, ImFont* font) {
  if (font) ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  // In a card, the card's wrap (inside its right padding) holds.
  const bool own_wrap = card_stack().empty();
  if (own_wrap) ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  record_line(text);
  if (own_wrap) ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  if (font) ImGui::PopFont();
}

void heading(const std::string& text) { wrapped(text, palette().text, fonts().heading); }
void title(const std::string& text) { wrapped(text, palette().text, fonts().title); }
void soft(const std::string& text) { wrapped(text, palette().text_soft, fonts().small); }

static bool styled_button(const char* label, bool enabled, float width, ImU32 bg, ImU32 hover, ImU32 fg) {
  ImGui::PushStyleColor(ImGuiCol_Button, bg);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, hover);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, hover);
  ImGui::PushStyleColor(ImGuiCol_Text, fg);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(px(18), px(10)));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
  if (!enabled) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.45f);
  ImGui::PushFont(fonts().body_bold);
  const bool pressed = ImGui::Button(label, ImVec2(width, 0));
  record_button(label, enabled);
  ImGui::PopFont();
  if (!enabled) ImGui::PopStyleVar();
  ImGui::PopStyleVar(2);
  ImGui::PopStyleColor(4);
  return pressed && enabled;
}

float button_width(const char* label) {
  ImGui::PushFont(fonts().body_bold);
  const float w = ImGui::CalcTextSize(label, nullptr, true).x + px(36);
  ImGui::PopFont();
  return w;
}

void align_right(float width) {
  // In screen space: SameLine's offset is relative to the enclosing group.
  const float inset = card_stack().empty() ? 0.0f : card_stack().back().padding;
  const float x = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x - width - inset;
  ImGui::SameLine();
  ImGui::SetCursorScreenPos(
      ImVec2(std::max(x, ImGui::GetCursorScreenPos().x), ImGui::GetCursorScreenPos().y));
}

bool primary_button(const char* label, bool enabled, float width) {
  const Palette& p = palette();
  return styled_button(label, enabled, width, p.accent, enabled ? p.accent_hover : p.accent, IM_COL32_WHITE);
}

bool secondary_button(const char* label, bool enabled, float width) {
  const Palette& p = palette();
  return styled_button(label, enabled, width, p.surface_alt,
                       enabled ? IM_COL32(226, 219, 207, 255) : p.surface_alt, p.text);
}

bool quiet_button(const char* label) {
  const Palette& p = palette();
  ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, p.surface_alt);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, p.line);
  ImGui::PushStyleColor(ImGuiCol_Text, p.text_soft);
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
  ImGui::PushFont(fonts().small);
  const bool pressed = ImGui::Button(label);
  record_button(label, true);
  ImGui::PopFont();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(4);
  return pressed;
}

bool slider(const char* id, int* value, int lo, int hi, const char* format, const char* focus_label) {
  const bool changed = ImGui::SliderInt(id, value, lo, hi, format, ImGuiSliderFlags_NoInput);
  focus_slider_stop(focus_label);
  return changed;
}

bool disclosure(const char* label, ImVec2* marker_min, ImVec2* marker_max) {
  const Palette& p = palette();
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID id = ImGui::GetID(label);
  bool open = storage->GetBool(id, false);
  ImGui::PushFont(fonts().body_bold);
  const ImVec2 text = ImGui::CalcTextSize(label, nullptr, true);
  const float mark = std::round(ImGui::GetFontSize() * 0.55f), pad_x = px(16), pad_y = px(9), space = px(10);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const ImVec2 size(pad_x * 2 + mark + space + text.x, text.y + pad_y * 2);
  if (ImGui::InvisibleButton(label, size)) storage->SetBool(id, open = !open);
  record_button(label, true);
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImU32 bg = ImGui::IsItemActive()    ? IM_COL32(214, 206, 193, 255)
                   : ImGui::IsItemHovered() ? IM_COL32(226, 219, 207, 255)
                                            : p.surface_alt;
  list->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), bg, ImGui::GetStyle().FrameRounding);
  const ImVec2 a(pos.x + pad_x, pos.y + (size.y - mark) * 0.5f), b(a.x + mark, a.y + mark);
  if (open)
    list->AddTriangleFilled(a, ImVec2(b.x, a.y), ImVec2((a.x + b.x) * 0.5f, b.y), p.text_soft);
  else
    list->AddTriangleFilled(a, ImVec2(a.x, b.y), ImVec2(b.x, (a.y + b.y) * 0.5f), p.text_soft);
  list->AddText(ImVec2(b.x + space, pos.y + pad_y), p.text, label, ImGui::FindRenderedTextEnd(label));
  ImGui::PopFont();
  if (marker_min) *marker_min = a;
  if (marker_max) *marker_max = b;
  return open;
}

void begin_card(ImU32 background, float padding) {
  if (padding < 0) padding = px(20);
  ImDrawList* list = ImGui::GetWindowDrawList();
  list->ChannelsSplit(2);
  list->ChannelsSetCurrent(1);
  const ImVec2 start = ImGui::GetCursorScreenPos();
  card_stack().push_back({list, start, padding, background});
  ImGui::SetCursorScreenPos(ImVec2(start.x + padding, start.y + padding));
  ImGui::BeginGroup();
  // Wrap text inside the card's right padding.
  ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - padding);
}

void end_card(ImVec2* out_min, ImVec2* out_max) {
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  CardFrame f = card_stack().back();
  card_stack().pop_back();
  const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
  const ImVec2 min = f.start;
  const ImVec2 max(right, ImGui::GetItemRectMax().y + f.padding);
  f.list->ChannelsSetCurrent(0);
  f.list->AddRectFilled(min, max, f.background, px(14));
  f.list->ChannelsMerge();
  ImGui::SetCursorScreenPos(ImVec2(min.x, max.y));
  ImGui::Dummy(ImVec2(0, 0));
  if (out_min) *out_min = min;
  if (out_max) *out_max = max;
}

void chip(const std::string& text, ImU32 dot, ImU32 background) {
  ImFont* font = fonts().small;
  ImGui::PushFont(font);
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  const float pad_x = px(10), pad_y = px(4), dot_r = px(4);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const ImVec2 box(size.x + pad_x * 2 + dot_r * 2 + px(6), size.y + pad_y * 2);
  ImDrawList* list = ImGui::GetWindowDrawList();
  list->AddRectFilled(pos, ImVec2(pos.x + box.x, pos.y + box.y), background, box.y * 0.5f);
  list->AddCircleFilled(ImVec2(pos.x + pad_x + dot_r, pos.y + box.y * 0.5f), dot_r, dot);
  list->AddText(ImVec2(pos.x + pad_x + dot_r * 2 + px(6), pos.y + pad_y), palette().text, text.c_str());
  ImGui::Dummy(box);
  ImGui::PopFont();
  record_line(text);
}

namespace {

// One box's display copy between frames, so an edit can be read back.
struct BoxState {
  std::string text;   // What was typed, as the box last had it.
  std::string shown;  // Its display copy, as ImGui's buffer last had it.
  int sel_from = 0, sel_to = 0;  // The selection, in bytes of either.
};

struct BoxCall {
  BoxState* state;
  float wrap = 0;
  std::size_t max_bytes = 0;
  std::size_t* caret = nullptr;
};

// Per window (each has its own ImGui context) and box.
std::map<std::pair<ImGuiContext*, ImGuiID>, BoxState>& box_states() {
  static std::map<std::pair<ImGuiContext*, ImGuiID>, BoxState> states;
  return states;
}

float measure(std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; }

// Keeps a paste (or typing) within the limit, cutting on a character boundary.
std::string clamped(std::string text, std::size_t max_bytes) {
  if (max_bytes != 0 && text.size() > max_bytes) text.resize(utf8_prefix(text, max_bytes).size());
  return text;
}

// While the box is active: reads what the person did from ImGui's buffer
// (the display copy), keeps the typed text, and puts back a fresh display
// copy of the same length, so the caret stays where it was.
int follow_edit(ImGuiInputTextCallbackData* data) {
  auto& call = *static_cast<BoxCall*>(data->UserData);
  BoxState& st = *call.state;
  const std::string_view now(data->Buf, static_cast<std::size_t>(data->BufTextLen));
  if (now != st.shown) st.text = clamped(unwrapped_edit(st.text, st.shown, now), call.max_bytes);
  const std::string shown = soft_wrapped(st.text, call.wrap, measure);
  if (shown != now) {
    // Same length as the text, so the caret and selection keep their places.
    const int keep[3] = {data->CursorPos, data->SelectionStart, data->SelectionEnd};
    if (shown.size() == now.size()) {
      std::copy(shown.begin(), shown.end(), data->Buf);
      data->BufDirty = true;
    } else {  // The limit cut a paste.
      data->DeleteChars(0, data->BufTextLen);
      data->InsertChars(0, shown.c_str(), shown.c_str() + shown.size());
    }
    data->CursorPos = std::min(keep[0], data->BufTextLen);
    data->SelectionStart = std::min(keep[1], data->BufTextLen);
    data->SelectionEnd = std::min(keep[2], data->BufTextLen);
  }
  st.shown = shown;
  st.sel_from = data->SelectionStart;
  st.sel_to = data->SelectionEnd;
  if (call.caret) *call.caret = static_cast<std::size_t>(data->CursorPos);
  return 0;
}

// The keys ImGui 1.86 copies or cuts a box's selection with (not macOS).
bool copy_or_cut_pressed() {
  const ImGuiIO& io = ImGui::GetIO();
  const bool ctrl_only = io.KeyCtrl && !io.KeyShift && !io.KeyAlt && !io.KeySuper;
  const bool shift_only = io.KeyShift && !io.KeyCtrl && !io.KeyAlt && !io.KeySuper;
  return (ctrl_only && (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_C)) ||
                        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_X)) ||
                        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Insert)))) ||
         (shift_only && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete)));
}

}  // namespace

std::string room_left_note(std::size_t used, std::size_t max_bytes) {
  if (max_bytes == 0 || used * 4 < max_bytes * 3) return {};
  if (used >= max_bytes)
    return "That's as much as one message can hold (" + std::to_string(max_bytes) + " characters).";
  return "Room for about " + std::to_string(max_bytes - used) + " more characters (of " +
         std::to_string(max_bytes) + ").";
}

bool wrapping_text_box(const char* id, std::string* text, float height, std::size_t max_bytes,
                       std::size_t* caret) {
  // Text that got in some other way (a draft from before) is held to the limit too.
  *text = clamped(std::move(*text), max_bytes);
  BoxCall call;
  // In a card, the box ends at the card's right padding, as its text does.
  const float inset = card_stack().empty() ? 0.0f : card_stack().back().padding;
  call.wrap = ImGui::GetContentRegionAvail().x - inset - px(4) - ImGui::GetStyle().FramePadding.x * 2 -
              ImGui::GetStyle().ScrollbarSize - px(8);
  call.max_bytes = max_bytes;
  call.caret = caret;
  const ImGuiID key = ImGui::GetID(id);
  BoxState& st = box_states()[{ImGui::GetCurrentContext(), key}];
  call.state = &st;
  // While the box is being edited ImGui holds its own copy and the callback
  // keeps st in step; otherwise the box shows a fresh copy of the text.
  const bool editing = ImGui::GetActiveID() == key;
  if (!editing || st.text != *text) {
    st.text = *text;
    st.shown = soft_wrapped(st.text, call.wrap, measure);
  }
  std::string shown = st.shown;
  if (focus_arrives(key) && !editing) ImGui::SetKeyboardFocusHere();  // Tab came here: start editing.
  const std::string typed_before = st.text;
  const int sel_from = st.sel_from, sel_to = st.sel_to;
  ImGui::InputTextMultiline(id, &shown, ImVec2(-px(4) - inset, height),
                            ImGuiInputTextFlags_CallbackAlways | ImGuiInputTextFlags_CallbackEdit, follow_edit,
                            &call);
  focus_stop(FocusKind::Text, std::string(id).substr(std::string(id).rfind('#') + 1), key);
  // ImGui copied (or cut) from the display copy; the clipboard gets the
  // same bytes as they were typed, without the breaks wrapping put in.
  if (editing && copy_or_cut_pressed()) {
    const auto at = [](int i) { return static_cast<std::size_t>(std::max(0, i)); };
    const std::string taken = typed_range(typed_before, at(sel_from), at(sel_to));
    if (!taken.empty()) ImGui::SetClipboardText(taken.c_str());
  }
  const bool changed = st.text != *text;
  *text = st.text;
  if (const std::string note = room_left_note(text->size(), max_bytes); !note.empty()) soft(note);
  return changed;
}

}  // namespace attune::app
