#include "app/app_frame.hpp"

#include <algorithm>
#include <vector>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"

namespace attune::app {

namespace {

// Where the session is, as far as a notice is concerned: a notice about one
// moment ("You're both ready. On to ...", a refusal) ends when the session
// moves on to the next (a step, a check-in, a pause, "not quite", the end).
std::string notice_moment(const State& s) {
  std::string m = std::to_string(s.phase()) + ":" + std::to_string(s.step()) + ":" +
                  std::to_string(s.floor()) + ":" + std::to_string(s.pause().reason()) + ":" +
                  std::to_string(s.pauses_taken()) + ":" + std::to_string(s.rounds_size());
  if (s.rounds_size() > 0) {
    const v1::Round& r = s.rounds(s.rounds_size() - 1);
    m += ":" + std::to_string(r.clarifications()) + ":" + std::to_string(r.reflected()) + ":" +
         std::to_string(r.heard()) + ":" + std::to_string(r.listening()) + ":" +
         std::to_string(r.more_added());
  }
  return m;
}

void show_notice(UiState& ui, const State& s, std::string text, double until, bool good_news) {
  ui.notice = std::move(text);
  ui.notice_until = until;
  ui.notice_is_good_news = good_news;
  ui.notice_moment = notice_moment(s);
}

// How much of a and b overlap, in square pixels.
float overlap(ImVec2 a_min, ImVec2 a_max, const Region& b) {
  const float w = std::min(a_max.x, b.max.x) - std::max(a_min.x, b.min.x);
  const float h = std::min(a_max.y, b.max.y) - std::max(a_min.y, b.min.y);
  return w > 0 && h > 0 ? w * h : 0.0f;
}

// Where a notice this big goes: at the foot of the window, or wherever in
// the column it covers least of what someone is writing and of the lines
// that say where they are ("Step 6 of 9", whose turn, the step's title).
ImVec2 notice_place(const FrameContext& ctx, ImVec2 box, float top) {
  const ImVec2 vp = ImGui::GetMainViewport()->Size;
  const float x = (vp.x - box.x) * 0.5f;
  std::vector<Region> keep_clear;
  for (const char* name : {"writing", "writing_box", "listening", "progress_line", "floor_speaking",
                           "floor_listening", "step_title"}) {
    if (auto it = ctx.regions.find(name); it != ctx.regions.end()) keep_clear.push_back(it->second);
  }
  // The foot first, then the column's top, then just below or above each.
  std::vector<float> ys = {vp.y - box.y - px(28), top};
  for (const Region& r : keep_clear) ys.insert(ys.end(), {r.max.y + px(6), r.min.y - box.y - px(6)});
  ImVec2 best(x, ys.front());
  float least = -1;
  for (const float y : ys) {
    if (y < top || y + box.y > vp.y) continue;
    float covered = 0;
    for (const Region& r : keep_clear) covered += overlap(ImVec2(x, y), ImVec2(x + box.x, y + box.y), r);
    if (least < 0 || covered < least) least = covered, best = ImVec2(x, y);
  }
  return best;
}

// A refusal from the engine, shown as is, gently, for a few seconds; and
// the gate's outcome for the partners (a coach is told nothing meant for
// them). Either ends with its moment.
void refusal_notice(const NodeView& snap, UiState& ui, const FrameContext& ctx, float top) {
  if (snap.refusal_serial > ui.refusal_seen) {
    ui.refusal_seen = snap.refusal_serial;
    if (snap.last_refusal && !snap.last_refusal->message().empty())
      show_notice(ui, snap.state, snap.last_refusal->message(), ctx.time_s + 6.0, false);
  }
  const bool partner = snap.my_role == v1::ROLE_PARTNER_A || snap.my_role == v1::ROLE_PARTNER_B;
  if (auto outcome = gate_outcome(ui.seen_phase, ui.seen_step, snap.state); outcome && partner)
    show_notice(ui, snap.state, *outcome, ctx.time_s + 4.0, true);
  ui.seen_phase = snap.state.phase();
  ui.seen_step = snap.state.step();
  if (ui.notice.empty()) return;
  if (ctx.time_s >= ui.notice_until || notice_moment(snap.state) != ui.notice_moment) {
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
  const ImVec2 pos = notice_place(ctx, box, top);
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
  const float column_top = ImGui::GetCursorScreenPos().y;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(6), px(6)));
  ImGui::BeginChild("##column", ImVec2(col_w, 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
  ImGui::PopStyleVar();  // The column has its padding; a dialog opened in it gets the app's own.
  switch (screen) {
    case Screen::Start:
      if (ui.start_panel == StartPanel::History)
        views::draw_history(snap, ui, ctx);
      else if (ui.start_panel == StartPanel::Journal)
        views::draw_journal(snap, ui, ctx);
      else if (ui.start_panel == StartPanel::Prepare)
        views::draw_prepare(snap, ui, ctx);
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
  refusal_notice(snap, ui, ctx, column_top);
  ImGui::End();
}

}  // namespace attune::app
