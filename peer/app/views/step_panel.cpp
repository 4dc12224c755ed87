#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/intents.hpp"
#include "attune/text.hpp"

namespace attune::app::views {

namespace {

// One dot per step (nine, or five in a quick repair): done, current, to come.
void progress(const StepView& v, const FrameContext& ctx) {
  const Palette& p = palette();
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float r = px(6), spacing = px(22);
  const int n = v.total;
  for (int i = 1; i <= n; ++i) {
    const ImVec2 c(pos.x + r + (i - 1) * spacing, pos.y + r + px(2));
    if (i < v.number)
      list->AddCircleFilled(c, r, p.accent);
    else if (i == v.number)
      list->AddCircleFilled(c, r + px(2), p.accent), list->AddCircleFilled(c, r - px(2), p.surface);
    else
      list->AddCircleFilled(c, r, p.line);
  }
  ImGui::Dummy(ImVec2(static_cast<float>(n) * spacing, r * 2 + px(4)));
  ImGui::SameLine(0, px(8));
  ImGui::PushFont(fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, p.text_soft);
  ImGui::Text("Step %d of %d", v.number, n);
  const ImVec2 end = ImGui::GetItemRectMax();  // The dots and "Step 6 of 9" beside them.
  ImGui::PopStyleColor();
  ImGui::PopFont();
  const ImVec2 dots_end(pos.x + static_cast<float>(n) * spacing, pos.y + r * 2 + px(4));
  ctx.mark("progress", pos, dots_end);
  ctx.mark("progress_line", pos, ImVec2(end.x, std::max(end.y, dots_end.y)));
}

// The floor, unmistakable: a wide band, filled when I speak, soft when I listen.
void floor_banner(const FloorView& f, const FrameContext& ctx) {
  if (f.mine == FloorRole::None || f.banner.empty()) return;
  const Palette& p = palette();
  const bool speaking = f.mine == FloorRole::Speaking;
  const ImU32 bg = speaking ? p.accent : p.listen;
  const ImU32 fg = speaking ? IM_COL32_WHITE : p.listen_text;
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  ImGui::PushFont(fonts().heading);
  const float h = fonts().heading->FontSize + px(34);
  const ImVec2 max(pos.x + w, pos.y + h);
  list->AddRectFilled(pos, max, bg, px(14));
  // A small symbol: a filled circle for "speaking", a ring for "listening".
  const ImVec2 c(pos.x + px(30), pos.y + h * 0.5f);
  if (speaking)
    list->AddCircleFilled(c, px(9), fg);
  else
    list->AddCircle(c, px(9), fg, 0, px(2.5f));
  list->PushClipRect(pos, max, true);
  list->AddText(ImVec2(pos.x + px(54), pos.y + px(17)), fg, f.banner.c_str());
  record_line(f.banner);  // (Drawn straight, so say it was shown.)
  list->PopClipRect();
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(w, h));
  ctx.mark(speaking ? "floor_speaking" : "floor_listening", pos, max);
}

// What was written, in the listening colour.
void shared_card(const StepView& v) {
  if (v.shared_text.empty()) return;
  const Palette& p = palette();
  gap(6);
  begin_card(p.listen);
  ImGui::PushFont(fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, p.listen_text);
  ImGui::TextUnformatted(v.shared_text_label.c_str());
  record_line(v.shared_text_label);
  ImGui::PopStyleColor();
  ImGui::PopFont();
  wrapped(v.shared_text, p.text);
  end_card();
  gap(6);
}

void who_first_buttons(const StepView& v, const FrameContext& ctx) {
  if (v.actions.accept_first) {
    if (primary_button("Yes, that's fine"))
      ctx.dispatch.send(intents::accept_first());
    ImGui::SameLine();
  }
  const bool any = v.actions.offer_first || v.actions.request_draw || v.actions.ask_coach;
  if (any && v.actions.accept_first) {
    ImGui::NewLine();
    soft("Or suggest something else:");
  }
  bool first = true;
  auto next = [&] {
    if (!first) ImGui::SameLine();
    first = false;
  };
  if (v.actions.offer_first) {
    next();
    if ((v.actions.accept_first ? secondary_button : primary_button)("I'll go first", true, 0))
      ctx.dispatch.send(intents::offer_first());
  }
  if (v.actions.request_draw) {
    next();
    if (secondary_button("Let chance decide"))
      ctx.dispatch.send(intents::request_draw());
  }
  if (v.actions.ask_coach) {
    next();
    if (secondary_button("Ask the coach")) ctx.dispatch.send(intents::ask_coach());
  }
}

void gestures(const StepView& v, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  for (const GestureItem& g : v.gestures) {
    ImGui::PushID(static_cast<int>(g.id));
    ImGui::BeginGroup();
    ImGui::PushFont(fonts().body_bold);
    ImGui::TextUnformatted(g.text.c_str());
    ImGui::PopFont();
    soft(g.status);
    ImGui::EndGroup();
    if (!g.i_accepted && v.actions.propose_gesture) {
      align_right(button_width("Yes, let's do that"));
      if (primary_button("Yes, let's do that")) {
        ctx.dispatch.send(intents::accept_gesture(g.id));
      }
    }
    ImGui::PopID();
  }
  if (!v.actions.propose_gesture) return;
  gap(4);
  ImGui::PushFont(fonts().body_bold);
  ImGui::TextUnformatted("Offer a gesture");
  ImGui::PopFont();
  for (std::size_t i = 0; i < v.gesture_ideas.size(); ++i) {
    if (i % 3 != 0) ImGui::SameLine();
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::SmallButton(v.gesture_ideas[i].c_str())) ui.gesture_draft = v.gesture_ideas[i];
    record_last_item_as_button(v.gesture_ideas[i]);
    ImGui::PopID();
  }
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x - px(140), px(420)));
  ImGui::InputTextWithHint("##gesture", "In your own words", &ui.gesture_draft);
  focus_text_stop("Gesture");
  if (ui.gesture_draft.size() > kMaxGestureBytes)
    ui.gesture_draft.resize(utf8_prefix(ui.gesture_draft, kMaxGestureBytes).size());
  ImGui::SameLine();
  if (primary_button("Offer", !ui.gesture_draft.empty())) {
    ctx.dispatch.send(intents::propose_gesture(sanitize_share_text(ui.gesture_draft)));
    ui.gesture_draft.clear();
  }
  (void)p;
}

// The buttons for what is asked of me now, in the order they are read.
void answer_buttons(const NodeView& snap, const StepView& v, UiState& ui, const FrameContext& ctx) {
  if (v.actions.confirm && primary_button(v.confirm_label.c_str())) ctx.dispatch.send(intents::confirm());
  if (snap.state.step() == v1::STEP_WHO_FIRST) who_first_buttons(v, ctx);
  if (v.actions.answer) {
    if (primary_button(v.answer_yes_label.c_str())) ctx.dispatch.send(intents::heard());
    ImGui::SameLine();
    if (secondary_button(v.answer_no_label.c_str())) ctx.dispatch.send(intents::not_quite());
  }
  if (v.actions.pass_floor && primary_button(v.pass_label.c_str())) {
    send_draft_if_new(snap, ui, ctx);  // Whatever I wrote goes with me.
    ctx.dispatch.send(intents::pass_floor());
  }
  if (v.actions.skip_part) {
    ImGui::SameLine();
    if (secondary_button(v.skip_label.c_str())) ctx.dispatch.send(intents::skip_part());
  }
  if (v.actions.ask_more && primary_button("Is there more?")) {
    send_draft_if_new(snap, ui, ctx);
    ctx.dispatch.send(intents::ask_more());
  }
  if (v.actions.answer_more) {
    if (primary_button("Yes, there's more")) ctx.dispatch.send(intents::answer_more(true));
    ImGui::SameLine();
    if (secondary_button("That's all for now")) ctx.dispatch.send(intents::answer_more(false));
  }
  if (v.actions.finish_validation && primary_button("Next: how it might feel")) {
    send_listening_if_new(snap, ui, ctx);
    ctx.dispatch.send(intents::finish_validation());
  }
  if (v.actions.finish_reflection && primary_button("I've reflected")) {
    send_draft_if_new(snap, ui, ctx);
    if (v.actions.write_listening) send_listening_if_new(snap, ui, ctx);
    ctx.dispatch.send(intents::finish_reflection());
  }
}

// "For you now" (or "Waiting"): what is asked of me, and its buttons.
void now_card(const NodeView& snap, const StepView& v, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const bool asked = !v.asked_of_me.empty();
  begin_card(asked ? p.surface : p.surface_alt);
  ImGui::PushFont(fonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, asked ? p.accent : p.text_soft);
  ImGui::TextUnformatted(asked ? "FOR YOU NOW" : "WAITING");
  ImGui::PopStyleColor();
  ImGui::PopFont();
  if (!v.proposal.empty()) wrapped(v.proposal, p.text);  // Before "Is that all right with you?".
  if (asked) wrapped(v.asked_of_me, p.text, fonts().body_bold);
  if (!v.waiting_for.empty()) wrapped(v.waiting_for, p.text_soft);
  answer_buttons(snap, v, ui, ctx);
  if (snap.state.step() == v1::STEP_RECONNECT) gestures(v, ui, ctx);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("now_card", a, b);
}

// Step 3's note, kept on this device only.
void private_note(UiState& ui) {
  gap(4);
  ImGui::PushFont(fonts().body_bold);
  ImGui::TextUnformatted("A note just for you (optional)");
  ImGui::PopFont();
  wrapping_text_box("##note", &ui.private_note, px(70));
  soft("This stays on this device and is never sent.");
}

// A quick repair can grow into the whole conversation.
void whole_conversation_offer(const FrameContext& ctx) {
  gap(8);
  soft("Turning out bigger than a small moment? You can carry on with all nine steps, keeping what "
       "you've said.");
  if (quiet_button("This needs the whole conversation")) ctx.dispatch.send(intents::whole_conversation());
}

}  // namespace

// One of the nine steps: where we are, whose turn, what's asked of me.
void draw_step(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const StepView v = step_view(snap);
  progress(v, ctx);
  gap(4);
  floor_banner(v.floor, ctx);
  gap(4);
  title(v.title);
  ctx.mark("step_title", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (!v.decided.empty()) soft(v.decided);
  wrapped(v.guidance, p.text);
  gap(6);
  // A question comes after what it asks about: "Did that capture it?"
  // follows the reflection it asks about.
  if (v.actions.answer) shared_card(v);

  if (snap.state.phase() == v1::PHASE_CHECK_IN) {
    draw_check_in(snap, ui, ctx);
  } else {
    now_card(snap, v, ui, ctx);
    if (snap.state.step() == v1::STEP_BENEFIT && v.actions.confirm) private_note(ui);
    draw_prepared_offer(snap, ui, ctx, nullptr);  // Step 3's reading, step 9's gesture (prepared_offer_panel.cpp).
  }

  if (!v.actions.answer) shared_card(v);

  if (v.actions.write) {
    gap(6);
    draw_writing(snap, ui, ctx);
  }
  if (v.actions.write_listening) {
    gap(6);
    draw_listening(snap, ui, ctx);
  }
  if (v.actions.whole_conversation) whole_conversation_offer(ctx);
  gap(10);
  draw_safety_row(snap, ui, ctx);
}

}  // namespace attune::app::views
