#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/intents.hpp"

namespace attune::app::views {

namespace {

void session_column(const NodeView& snap, UiState& ui, const CoachView& v, const FrameContext& ctx) {
  const Palette& p = palette();
  soft(v.step_line);
  title(v.headline);
  if (!v.phase_line.empty()) wrapped(v.phase_line, p.text, fonts().body_bold);
  if (!v.progress.empty()) wrapped(v.progress, p.text);
  if (!v.timer_line.empty()) wrapped(v.timer_line, p.text_soft);
  if (!v.decided.empty()) wrapped(v.decided, p.text_soft);
  if (!my_check_number_line(snap).empty()) gap(4);
  draw_my_check_number(snap, ctx);
  ctx.wake_in(1.0);  // Timers tick.
  gap(6);

  if (snap.state.phase() == v1::PHASE_PAUSED) {
    draw_pacer(ui, ctx, px(70));
    gap(6);
  }
  if (v.asked_to_pick_first) {
    begin_card(p.notice_soft);
    wrapped("The partners asked you to choose who speaks first.", p.text, fonts().body_bold);
    if (primary_button((v.partner_a_name + " starts").c_str())) {
      ctx.dispatch.send(intents::assign_first(v1::ROLE_PARTNER_A));
    }
    ImGui::SameLine();
    if (primary_button((v.partner_b_name + " starts").c_str())) {
      ctx.dispatch.send(intents::assign_first(v1::ROLE_PARTNER_B));
    }
    end_card();
    gap(6);
  }
  if (!v.shared_text.empty()) {
    begin_card(p.listen);
    soft(v.shared_text_label);
    wrapped(v.shared_text, p.text);
    end_card();
    gap(6);
  }

  begin_card(p.surface);
  heading("What you can do");
  if (primary_button("Call a pause", v.can_call_pause)) {
    ctx.dispatch.send(intents::pause());
  }
  ImGui::SameLine();
  if (secondary_button("Extend the pause (+2 min)", v.can_extend_pause)) {
    ctx.dispatch.send(intents::extend(120));
  }
  soft("You can pace and protect the session. Only the partners speak, pass the floor or check in.");
  if (quiet_button("End the session for everyone")) ui.confirm_exit = true;
  end_card();

  if (ui.confirm_exit) {
    ImGui::OpenPopup("End the session?");
    ui.confirm_exit = false;
  }
  ImGui::SetNextWindowSize(ImVec2(px(440), 0));
  if (ImGui::BeginPopupModal(
          "End the session?", nullptr,
          ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoTitleBar)) {
    heading("End the session now?");
    wrapped("Everyone will see that it has ended, with no reason given.", p.text_soft);
    if (primary_button("Yes, end it")) {
      ctx.dispatch.send(intents::exit());
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (secondary_button("Not now")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

void people_column(UiState& ui, const CoachView& v, const FrameContext& ctx) {
  const Palette& p = palette();
  begin_card(p.surface);
  heading("People");
  for (const ParticipantRow& r : v.people) {
    ImGui::PushFont(fonts().body_bold);
    ImGui::TextUnformatted((r.name + (r.me ? " (you)" : "")).c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_soft);
    ImGui::TextUnformatted(r.role.c_str());
    ImGui::PopStyleColor();
    ImGui::PushFont(fonts().small);
    const float chip_w = ImGui::CalcTextSize("Connected").x + px(36);
    ImGui::PopFont();
    align_right(chip_w);
    chip(r.connected ? "Connected" : "Offline", r.connected ? p.ok : p.alert,
         r.connected ? p.accent_soft : p.alert_soft);
  }
  end_card();
  gap(6);

  begin_card(p.surface);
  heading("Check-in numbers");
  if (v.levels.empty() && v.levels_note.empty()) soft("No numbers shared with you yet.");
  for (const auto& l : v.levels) {
    ImGui::PushFont(fonts().body_bold);
    ImGui::Text("%d", l.level);
    record_line(std::to_string(l.level));
    ImGui::PopFont();
    ImGui::SameLine();
    wrapped(l.label, p.text);
  }
  for (const auto& name : v.not_sharing) soft(name + " keeps their numbers private.");
  if (!v.levels_note.empty()) soft(v.levels_note);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("coach_levels", a, b);
  gap(6);

  begin_card(p.surface);
  heading("Private notes");
  soft("Only on this device, never shared.");
  wrapping_text_box("##notes", &ui.coach_notes, px(140));
  if (ImGui::IsItemActive()) ctx.wake_in(0.5);
  end_card();
}

}  // namespace

// The coach's view: the flow at a glance, opted-in numbers, private notes.
void draw_coach(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const CoachView v = coach_view(snap, ctx.now_ms);
  const float w = ImGui::GetContentRegionAvail().x;
  const float h = ImGui::GetContentRegionAvail().y - px(4);
  ImGui::BeginChild("##coach_session", ImVec2(w * 0.58f, h), false);
  session_column(snap, ui, v, ctx);
  ImGui::EndChild();
  ImGui::SameLine(0, px(20));
  ImGui::BeginChild("##coach_people", ImVec2(0, h), false);
  people_column(ui, v, ctx);
  ImGui::EndChild();
}

}  // namespace attune::app::views
