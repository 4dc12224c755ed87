// Small drawing helpers shared by the views, so every screen has the same
// calm look: cards, buttons, banners, chips and wrapped text.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <string>
#include <vector>

#include "app/focus_ring.hpp"  // Every control drawn joins the keyboard's focus ring.

namespace attune::app {

// What one frame drew, in words: the lines of text and the buttons with
// where they landed. The window keeps the last one so a test (or the
// journey's script) can read what a person saw and click a button by label.
struct DrawnButton {
  std::string label;  // As shown (without any "##id" part).
  ImVec2 min, max;
  bool enabled = true;
};
struct DrawnFrame {
  std::vector<std::string> lines;
  std::vector<DrawnButton> buttons;
  std::string focused;  // The control wearing the keyboard's focus ring ("" if none).
  const DrawnButton* button(const std::string& label) const;
  bool shows(const std::string& text) const;  // Some line contains text.
};
// Where this frame's drawing is recorded (null: not recorded).
void record_frame_into(DrawnFrame* frame);
// For items drawn without these helpers: the last item as a button, a line.
void record_last_item_as_button(const std::string& label, bool enabled = true);
void record_line(const std::string& text);

// Text wrapped to the available width, in a colour and font.
void wrapped(const std::string& text, ImU32 color, ImFont* font = nullptr);
void heading(const std::string& text);
void title(const std::string& text);
void soft(const std::string& text);  // Secondary text, small.

// A filled primary action. Disabled buttons are drawn faded and return false.
bool primary_button(const char* label, bool enabled = true, float width = 0);
bool secondary_button(const char* label, bool enabled = true, float width = 0);
// Width of a primary/secondary button with this label, to right-align it.
float button_width(const char* label);
// Moves to the right edge of the current card (or window) for an item this wide.
void align_right(float width);

// A text-only action for quiet things (the discreet exit, "back").
bool quiet_button(const char* label);

// A slider the keyboard moves but never types into: Space or Enter takes
// hold, the arrows move it, Tab (or Space again) lets go. Neither Enter nor
// Ctrl+click opens ImGui's box for typing a number (ImGuiSliderFlags_NoInput).
// It joins the focus ring as focus_label. Returns whether the value changed.
bool slider(const char* id, int* value, int lo, int hi, const char* format, const char* focus_label);

// A quiet disclosure ("Pair someone else"): a soft rounded button with a
// small triangle that points right while what it hides is closed and down
// while it is open. It keeps its state between frames (per label), and Tab,
// Enter and Space reach and toggle it like any button. Returns whether it
// is open; the triangle's box, if asked.
bool disclosure(const char* label, ImVec2* marker_min = nullptr, ImVec2* marker_max = nullptr);

// A rounded card behind whatever is drawn between begin and end.
void begin_card(ImU32 background, float padding = -1);
// Returns the card's region on screen.
void end_card(ImVec2* min = nullptr, ImVec2* max = nullptr);

// A small rounded label ("Ready", "Offline") with a coloured dot.
void chip(const std::string& text, ImU32 dot, ImU32 background);

// A multi-line text box that keeps exactly what was typed and wraps only on
// screen (ImGui 1.86's box can't wrap: it edits a display copy whose wrapped
// lines end where spaces are, and reads each edit back, see text_edit.hpp).
// max_bytes > 0: the box holds at most that much (a paste is cut on a
// character boundary) and says how much room is left once it is nearly full.
// caret: where the caret was while the box was last in use (bytes into text).
bool wrapping_text_box(const char* id, std::string* text, float height, std::size_t max_bytes = 0,
                       std::size_t* caret = nullptr);
// The words under a box holding `used` of `max_bytes`; empty while there is plenty of room.
std::string room_left_note(std::size_t used, std::size_t max_bytes);

// Space in scaled pixels.
void gap(float px);
float px(float v);  // Scales a design pixel value by the font scale.

}  // namespace attune::app
