#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/engine.hpp"
#include "attune/text.hpp"

namespace attune::app::views {

namespace {

// The same rules as the command line and the host: visible, not too long.
std::string name_issue(const UiState& ui) {
  return name_problem(clean_name(ui.display_name), kMaxNameBytes, "name");
}
std::string session_name_issue(const UiState& ui) {
  if (ui.session_name.empty()) return {};
  return name_problem(clean_name(ui.session_name), kMaxSessionNameBytes, "session name");
}
bool has_name(const UiState& ui) { return name_issue(ui).empty(); }

void labeled_input(const char* label, const char* id, const char* hint, std::string* value, float width) {
  ImGui::PushFont(fonts().body_bold);
  ImGui::TextUnformatted(label);
  ImGui::PopFont();
  ImGui::SetNextItemWidth(width);
  ImGui::InputTextWithHint(id, hint, value);
  focus_text_stop(label);
}

// Never a crash, never a silent wipe: say what happened and offer a way on.
void damaged_or_fresh(UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  if (!ui.damaged_file.empty()) {
    begin_card(p.notice_soft);
    heading("We couldn't open the session saved on this computer");
    wrapped(
        "The file " + ui.damaged_file +
            " is damaged, or it was made by another program or a newer Attune. Nothing in it was changed.",
        p.text);
    wrapped(
        "You can start fresh: Attune moves that file aside (it's kept, renamed, in case you need it) and "
        "begins anew.",
        p.text_soft);
    if (primary_button("Start fresh", ctx.dispatch.fresh_start != nullptr)) ctx.dispatch.fresh_start();
    ImVec2 a, b;
    end_card(&a, &b);
    ctx.mark("damaged_card", a, b);
    gap(6);
  } else if (!ui.fresh_start_note.empty()) {
    wrapped(ui.fresh_start_note, p.text_soft);
    gap(6);
  }
}

// Who I am, and the seat I ask for when I join.
void name_card(UiState& ui, const FrameContext& ctx, float field_w) {
  const Palette& p = palette();
  begin_card(p.surface);
  labeled_input("Your name", "##name", "How the others will see you", &ui.display_name, field_w);
  if (ui.display_name.empty()) {
    soft("Add your name to start or join.");
  } else if (!has_name(ui)) {
    soft(name_issue(ui));
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("When I join, I'm");
  ImGui::SameLine(0, px(16));
  int as_coach = ui.join_as_coach ? 1 : 0;
  if (radio("a partner", as_coach == 0)) as_coach = 0;
  ImGui::SameLine(0, px(16));
  if (radio("a coach", as_coach == 1)) as_coach = 1;
  ui.join_as_coach = as_coach == 1;
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("name_card", a, b);
  gap(6);
}

// Host a session here.
void host_card(UiState& ui, const FrameContext& ctx, float field_w) {
  const Palette& p = palette();
  begin_card(p.surface);
  heading("Start a session");
  soft("You host on this computer. Your partner joins from theirs, and a coach may join too.");
  ImGui::SetNextItemWidth(field_w);
  ImGui::InputTextWithHint("##session", "A name for the session (optional)", &ui.session_name);
  focus_text_stop("Session name");
  if (!session_name_issue(ui).empty()) soft(session_name_issue(ui));
  if (primary_button("Start a session",
                     has_name(ui) && session_name_issue(ui).empty() && ctx.dispatch.host != nullptr)) {
    HostRequest req;
    req.display_name = clean_name(ui.display_name);
    req.session_name = clean_name(ui.session_name);
    req.role = v1::ROLE_PARTNER_A;
    req.settings = default_settings();
    ctx.dispatch.host(req);
  }
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("host_card", a, b);
  gap(6);
}

// Sessions announced on this network: a tag and free seats, no names.
void nearby_card(UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  begin_card(p.surface);
  heading("Sessions nearby");
  const std::vector<NearbySession> nearby =
      ctx.dispatch.nearby ? ctx.dispatch.nearby() : std::vector<NearbySession>{};
  ctx.wake_in(2.0);  // The list changes as devices come and go.
  if (nearby.empty()) {
    soft("Looking for sessions on this network. None so far.");
  } else {
    soft(
        "To keep everyone private, sessions nearby show no names. Pick the one whose tag matches "
        "the host's screen; you'll see who's there once you've paired.");
  }
  for (const NearbySession& s : nearby) {
    ImGui::PushID(s.id.c_str());
    ImGui::BeginGroup();
    ImGui::PushFont(fonts().body_bold);
    ImGui::TextUnformatted(("Session " + s.tag).c_str());
    ImGui::PopFont();
    const std::string seats =
        s.open_seats == 1 ? "1 seat free" : std::to_string(s.open_seats) + " seats free";
    soft(seats + (s.where.empty() ? "" : ", " + s.where));
    ImGui::EndGroup();
    const char* label = ui.join_as_coach ? "Join as coach" : "Join";
    align_right(button_width(label));
    if (secondary_button(label, has_name(ui) && ctx.dispatch.join != nullptr)) {
      ctx.dispatch.join(JoinRequest{clean_name(ui.display_name), s.id, ui.join_code,
                                    ui.join_as_coach ? v1::ROLE_COACH : v1::ROLE_PARTNER_B, true});
    }
    ImGui::PopID();
  }
  end_card();
  gap(6);
}

// An invite or an address, and the code the first time.
void join_card(UiState& ui, const FrameContext& ctx, float field_w) {
  const Palette& p = palette();
  begin_card(p.surface);
  heading("Join by invite or address");
  ImGui::SetNextItemWidth(field_w);
  const char* hint = "Paste the invite, or the address on the host's screen";
  ImGui::InputTextWithHint("##target", hint, &ui.join_target);
  focus_text_stop("Invite or address");
  if (ui.join_target.empty()) record_line(hint);  // What the empty box says.
  const bool wants_code = ctx.dispatch.wants_code && ctx.dispatch.wants_code();
  if (wants_code) {
    ImGui::SetNextItemWidth(px(200));
    ImGui::InputTextWithHint("##code", "Code from the host", &ui.join_code,
                             ImGuiInputTextFlags_CharsUppercase | ImGuiInputTextFlags_CharsNoBlank);
    focus_text_stop("Code");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    soft("The first time: the code on the host's screen. An invite already holds it.");
  }
  const bool can_join = has_name(ui) && !ui.join_target.empty() && ctx.dispatch.join != nullptr;
  if (primary_button("Join", can_join)) {
    ctx.dispatch.join(JoinRequest{clean_name(ui.display_name), ui.join_target, ui.join_code,
                                  ui.join_as_coach ? v1::ROLE_COACH : v1::ROLE_PARTNER_B});
  }
  if (!ui.start_error.empty() && ui.damaged_file.empty()) wrapped(ui.start_error, p.alert);
  end_card();
  gap(6);
}

}  // namespace

// First screen: who I am, start a session, join one nearby or by address.
void draw_start(const NodeView&, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  title("Welcome");
  wrapped(
      "A calm place to find your way back to each other after a hard moment. Each of you uses your own "
      "device; Attune keeps the pace and the turns.",
      p.text_soft);
  gap(8);
  draw_reminder_card(ui, ctx);
  draw_journal_follow_up(ui, ctx, /*offer_journal=*/true);
  draw_invitations(ui, ctx);
  damaged_or_fresh(ui, ctx);
  const float field_w = std::min(ImGui::GetContentRegionAvail().x - px(40), px(420));
  name_card(ui, ctx, field_w);
  host_card(ui, ctx, field_w);
  draw_prepare_entry(ui, ctx);  // Prepare alone, or practise with a friend (prepare_panel.cpp).
  nearby_card(ui, ctx);
  join_card(ui, ctx, field_w);
  if (secondary_button("Past sessions on this device")) ui.start_panel = StartPanel::History;
  ImGui::SameLine();
  if (secondary_button("My private journal")) open_journal(ui);
}

}  // namespace attune::app::views
