// Keyboard focus for the whole window: Tab and Shift+Tab move between the
// controls a frame drew, in the order they were drawn (which is the order a
// person reads them); Enter, keypad Enter and Space press the focused button,
// radio or check box; a focused text box takes the typing. The focused
// control wears a two-tone ring (dark outside, light inside) that shows on
// every button colour and every card.
//
// Dear ImGui 1.86 can't do this itself: its Tab visits only text boxes and
// sliders, and only Space presses. So the window keeps Tab and Space from
// ImGui and hands them here; a press goes in through ImGui's own activation
// (ActivateItem), so it runs the same widget code a click does.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

namespace attune::app {

enum class FocusKey { Next, Previous, Enter, Space };
enum class FocusKind { Button, Text, Slider };

// Before a frame's drawing (after ImGui::NewFrame): moves the focus and
// presses, over the controls the last frame drew.
void focus_frame_begin(const std::vector<FocusKey>& keys);
// After the frame's drawing: this frame's controls become the ring.
void focus_frame_end();

// After drawing a control: it joins the ring at this point of the order
// (the last item drawn; label as shown). Draws the ring if it has focus.
void focus_stop(FocusKind kind, const std::string& label, ImGuiID id = 0);
// Before drawing a text box with this id: true when Tab has just brought
// the focus to it (the caller then asks ImGui to start editing it).
bool focus_arrives(ImGuiID id);
// A text box or slider drawn straight with ImGui joins the ring.
void focus_text_stop(const char* label);
void focus_slider_stop(const char* label);

// The label of the control the ring is shown on, or "" when none is.
std::string focused_label();
// True while a text box has the keyboard (number keys then type, not pick).
bool typing_in_a_box();

}  // namespace attune::app
