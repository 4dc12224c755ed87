#include "app/app_frame.hpp"

#include <algorithm>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app {

namespace {

// A refusal from the engine, shown as is, gently, for a few seconds.
void refusal_notice(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  if (snap.refusal_serial > ui.refusal_seen) {
    ui.refusal_seen = snap.refusal_serial;
    if (snap.last_refusal && !snap.last_refusal->message().empty()) {
      ui.notice = snap.last_refusal->message();
      ui.notice_until = ctx.time_s + 6.0;
      ui.notice_is_good_news = false;
    }
  }
  if (auto outcome = gate_outcome(ui.seen_phase, ui.seen_step, snap.state)) {
    ui.notice = *outcome;
    ui.notice_until = ctx.time_s + 4.0;
    ui.notice_is_good_news = true;
  }
  ui.seen_phase = snap.state.phase();
  ui.seen_step = snap.state.step();
  if (ui.notice.empty()) return;
  if (ctx.time_s >= ui.notice_until) {
    ui.notice.clear();
    return;
  }
  ctx.wake_in(ui.notice_until - ctx.time_s);
  const Palette& p = palette();
  ImDrawList* list = ImGui::GetForegroundDrawList();
  const ImVec2 vp = ImGui::GetMainViewport()->Size;
  ImGui::PushFont(fonts().body);
  const float wrap = std::min(vp.x - px(80), px(560));
  const ImVec2 ts = fonts().body->CalcTextSizeA(fonts().body->FontSize, FLT_MAX, wrap, ui.notice.c_str());
  const ImVec2 box(ts.x + px(40), ts.y + px(28));
  const ImVec2 pos((vp.x - box.x) * 0.5f, vp.y - box.y - px(28));
  list->AddRectFilled(pos, ImVec2(pos.x + box.x, pos.y + box.y), ui.notice_is_good_news ? p.accent : p.text,
                      px(12));
  list->AddText(fonts().body, fonts().body->FontSize, ImVec2(pos.x + px(20), pos.y + px(14)), p.background,
                ui.notice.c_str(), nullptr, wrap);
  ImGui::PopFont();
  ctx.mark("notice", pos, ImVec2(pos.x + box.x, pos.y + box.y));
}

// A chosen number never outlives the moment it was chosen in. When a gate
// opens, pauses, resumes or moves on, the unsent choice is dropped, so the
// partner who went over the line has the same blank screen as the other.
void forget_choice_on_change(const NodeView& snap, UiState& ui) {
  const State& s = snap.state;
  const std::string moment = std::to_string(s.phase()) + ":" + std::to_string(s.step()) + ":" +
                             std::to_string(s.pause().reason()) + ":" + std::to_string(s.pauses_taken());
  if (moment == ui.check_in_moment) return;
  if (!ui.check_in_moment.empty()) ui.check_in_level = -1;  // (A first frame has nothing to forget.)
  ui.check_in_moment = moment;
}

}  // namespace

void draw_app(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("##attune", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar();
  forget_choice_on_change(snap, ui);
  views::draw_status_bar(snap, ui, ctx);
  views::draw_link_notes(snap, ctx);

  const Screen screen = screen_for(snap);
  // A readable column: wide enough for two panes on the coach's screen.
  const float max_w = screen == Screen::Coach ? px(1100) : px(760);
  const float avail = ImGui::GetContentRegionAvail().x;
  const float col_w = std::min(avail - px(32), max_w);
  ImGui::SetCursorPosX((avail - col_w) * 0.5f);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + px(18));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(6), px(6)));
  ImGui::BeginChild("##column", ImVec2(col_w, 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
  switch (screen) {
    case Screen::Start:
      if (ui.start_panel == StartPanel::History)
        views::draw_history(snap, ui, ctx);
      else if (ui.start_panel == StartPanel::Journal)
        views::draw_journal(snap, ui, ctx);
      else
        views::draw_start(snap, ui, ctx);
      break;
    case Screen::Waiting:
      views::draw_waiting(snap, ui, ctx);
      break;
    case Screen::Lobby:
      views::draw_lobby(snap, ui, ctx);
      break;
    case Screen::Step:
      views::draw_step(snap, ui, ctx);
      break;
    case Screen::Pause:
      views::draw_pause(snap, ui, ctx);
      break;
    case Screen::LongBreak:
      views::draw_long_break(snap, ui, ctx);
      break;
    case Screen::Coach:
      views::draw_coach(snap, ui, ctx);
      break;
    case Screen::Summary:
      views::draw_summary(snap, ui, ctx);
      break;
  }
  if (screen != Screen::Coach) gap(12);  // The coach's panes fill the height themselves.
  ImGui::EndChild();
  ImGui::PopStyleVar();
  refusal_notice(snap, ui, ctx);
  ImGui::End();
}

}  // namespace attune::app
