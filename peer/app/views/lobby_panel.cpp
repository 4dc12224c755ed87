#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/engine.hpp"
#include "attune/intents.hpp"

namespace attune::app::views {

namespace {

// One piece of text that never breaks across lines (an address, a code).
void unbroken(const std::string& text, ImFont* font, ImU32 color, const char* region, const FrameContext& ctx) {
  ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  record_line(text);
  ctx.mark(region, at, ImGui::GetItemRectMax());
}

// How to join from another device: the code, large enough to read aloud,
// the address whole, and the invite to paste. (The launcher gives them as
// "<invite>  (or <address>, code <code>)".)
void invite_block(const std::string& invite, const FrameContext& ctx) {
  const Palette& p = palette();
  const auto open = invite.find("  (or ");
  const std::string encoded = invite.substr(0, open);
  std::string address, code;
  if (open != std::string::npos) {
    std::string by_hand = invite.substr(open + 6);
    if (!by_hand.empty() && by_hand.back() == ')') by_hand.pop_back();
    const auto comma = by_hand.find(", code ");
    address = by_hand.substr(0, comma);
    if (comma != std::string::npos) code = by_hand.substr(comma + 7);
  }
  gap(4);
  soft("To join from another device, read out the code and the address, or send the invite.");
  if (!code.empty()) {
    // Read aloud in two halves: "482 913".
    const std::string spoken = code.size() == 6 ? code.substr(0, 3) + " " + code.substr(3) : code;
    unbroken(spoken, fonts().title, p.accent, "pairing_code", ctx);
  }
  if (!address.empty()) {
    if (!code.empty()) {
      ImGui::SameLine(0, px(28));
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (fonts().title->FontSize - fonts().body->FontSize) * 0.5f);
    }
    unbroken(address, fonts().body_bold, p.text, "address", ctx);
  }
  if (secondary_button("Copy the invite")) ImGui::SetClipboardText(encoded.c_str());
  ImGui::SameLine(0, px(12));
  ImGui::AlignTextToFramePadding();
  unbroken(encoded, fonts().small, p.text_soft, "invite", ctx);
}

// A session started by "Start now" for the paired partner: their device
// comes in by itself, so there is no code to read aloud. A code for a coach
// (or anyone else, let in by hand) waits behind "Pair someone else".
void partner_block(const LobbyView& v, const std::string& invite, const FrameContext& ctx) {
  gap(4);
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (!v.partner_waiting.empty()) {
    wrapped(v.partner_waiting, palette().text);
    ctx.mark("waiting_for_partner", top, ImGui::GetItemRectMax());
  }
  if (invite.empty()) return;
  ImVec2 mark_min, mark_max;
  const bool open = disclosure("Pair someone else", &mark_min, &mark_max);
  ctx.mark("pair_someone_else", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ctx.mark("pair_someone_else_marker", mark_min, mark_max);
  if (open) invite_block(invite, ctx);
}

void people_card(const LobbyView& v, const FrameContext& ctx) {
  const Palette& p = palette();
  begin_card(p.surface);
  heading("Who's here");
  for (const ParticipantRow& r : v.people) {
    ImGui::PushID(r.id.c_str());
    ImGui::BeginGroup();
    ImGui::PushFont(fonts().body_bold);
    ImGui::TextUnformatted((r.name + (r.me ? " (you)" : "")).c_str());
    ImGui::PopFont();
    soft(r.role);
    ImGui::EndGroup();
    ImGui::SameLine(px(260));
    ImU32 dot = !r.connected ? p.alert : !r.admitted ? p.notice : r.ready ? p.ok : p.text_soft;
    ImU32 bg = !r.connected ? p.alert_soft : !r.admitted ? p.notice_soft : p.surface_alt;
    chip(r.status, dot, bg);
    if (r.can_accept || r.can_decline) {
      ImGui::SameLine();
      if (r.can_accept && primary_button("Let in")) {
        ctx.dispatch.send(intents::admit(r.id));
      }
      if (r.can_decline) {
        ImGui::SameLine();
        if (secondary_button("Decline")) {
          ctx.dispatch.send(intents::decline(r.id));
        }
      }
    }
    ImGui::PopID();
  }
  const std::string invite = ctx.dispatch.invite ? ctx.dispatch.invite() : std::string();
  if (v.start_now) {
    partner_block(v, invite, ctx);
  } else if (!invite.empty()) {
    invite_block(invite, ctx);
  }
  const std::string tag = ctx.dispatch.nearby_tag ? ctx.dispatch.nearby_tag() : std::string();
  if (!tag.empty()) {
    gap(4);
    soft("On this network, your session shows as \"" + tag +
         "\" in the nearby list. It shows no names, so only the people here know it's yours.");
  }
  if (ctx.dispatch.can_make_code && ctx.dispatch.can_make_code()) {
    gap(4);
    soft("The code is closed for now. A new one lets someone else join.");
    ImVec2 top = ImGui::GetCursorScreenPos();
    if (primary_button("Make a new code") && ctx.dispatch.make_code) ctx.dispatch.make_code();
    ctx.mark("make_code", top, ImVec2(ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y));
  }
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("people", a, b);
}

// Why the host's code changed, just under the code; stays until dismissed
// or someone joins. (Cards don't nest, so it sits under the roster's card.)
void code_notice_card(const FrameContext& ctx) {
  const std::string notice = ctx.dispatch.code_notice ? ctx.dispatch.code_notice() : std::string();
  if (notice.empty()) return;
  gap(6);
  begin_card(palette().notice_soft);
  // Inherits the card's wrap position, so the words keep the card's padding.
  ImGui::PushStyleColor(ImGuiCol_Text, palette().text);
  ImGui::TextWrapped("%s", notice.c_str());
  ImGui::PopStyleColor();
  if (secondary_button("Got it") && ctx.dispatch.dismiss_code_notice) ctx.dispatch.dismiss_code_notice();
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("code_notice", a, b);
}

// The kind of conversation, part of the settings both agree to. Returns
// whether I changed it.
bool kind_choice(const NodeView& snap, const LobbyView& v, UiState& ui, const FrameContext& ctx) {
  v1::Settings& d = ui.settings_draft;
  const bool quick = d.kind() == v1::REPAIR_KIND_QUICK;
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (!v.can_edit_settings) ImGui::BeginDisabled();
  bool changed = false;
  ImGui::AlignTextToFramePadding();
  ImGui::PushFont(fonts().body_bold);
  ImGui::TextUnformatted("What kind of talk");
  ImGui::PopFont();
  ImGui::SameLine(0, px(16));
  ImVec2 dot_min, dot_max;
  const bool whole = radio("The whole conversation", !quick, &dot_min, &dot_max);
  record_last_item_as_button("The whole conversation", v.can_edit_settings);  // (For the journey's clicks.)
  ctx.mark("kind_radio_dot", dot_min, dot_max);
  if (whole && quick) {
    d.set_kind(v1::REPAIR_KIND_FULL);
    d.set_repairer(v1::ROLE_UNSPECIFIED);
    changed = true;
  }
  ImGui::SameLine(0, px(16));
  const bool quick_clicked = radio("A quick repair", quick);
  record_last_item_as_button("A quick repair", v.can_edit_settings);
  if (quick_clicked && !quick) {
    d.set_kind(v1::REPAIR_KIND_QUICK);
    d.set_repairer(is_partner(snap.my_role) ? snap.my_role : v1::ROLE_PARTNER_A);
    changed = true;
  }
  if (d.kind() == v1::REPAIR_KIND_QUICK) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Who is reaching out?");
    for (v1::Role r : {v1::ROLE_PARTNER_A, v1::ROLE_PARTNER_B}) {
      const std::string label = r == snap.my_role ? "Me" : name_for(snap.state, r);
      ImGui::SameLine(0, px(16));
      if (radio(label.c_str(), d.repairer() == r) && d.repairer() != r) {
        d.set_repairer(r);
        changed = true;
      }
    }
  }
  if (!v.can_edit_settings) ImGui::EndDisabled();
  State drafted = snap.state;  // Describe what is on screen, agreed or not yet.
  *drafted.mutable_settings() = d;
  soft(kind_line(drafted, snap.my_role));
  ctx.mark("kind_choice", top, ImVec2(top.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y));
  return changed;
}

// Proposes my edited settings (kind and pacing travel together).
void suggest_row(const LobbyView& v, UiState& ui, const FrameContext& ctx, const char* label) {
  if (!v.can_edit_settings || !ui.settings_dirty) return;
  if (primary_button(label)) {
    ui.my_settings_proposal = ui.settings_draft.SerializeAsString();
    ctx.dispatch.send(intents::settings(ui.settings_draft));
    ui.settings_dirty = false;
  }
  ImGui::SameLine();
  if (quiet_button("Keep the current ones")) ui.settings_dirty = false;
  soft("Changing them asks you both to say you're ready again.");
}

std::string minutes(int n) { return std::to_string(n) + (n == 1 ? " minute" : " minutes"); }

// A slider whose value reads beside it, never under its grab.
bool value_slider(const char* id, int* value, int lo, int hi, const std::string& words, float w,
                  const FrameContext& ctx) {
  ImGui::SetNextItemWidth(w);
  const bool changed = slider((std::string("##") + id).c_str(), value, lo, hi, "", id);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ctx.mark(std::string(id) + "_slider", a, b);
  ImGui::SameLine(0, px(14));
  ImGui::AlignTextToFramePadding();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::TextUnformatted(words.c_str());
  record_line(words);
  ctx.mark(std::string(id) + "_value", at, ImGui::GetItemRectMax());
  return changed;
}

// Notices the other partner's change to the agreed settings, which clears
// my "ready": the note says who changed what, until I'm ready again.
void notice_settings_change(const NodeView& snap, const LobbyView& v, UiState& ui) {
  const std::string agreed = snap.state.settings().SerializeAsString();
  if (!ui.seen_settings.empty() && agreed != ui.seen_settings && agreed != ui.my_settings_proposal &&
      v.can_edit_settings) {
    v1::Settings before;
    if (before.ParseFromString(ui.seen_settings))
      ui.settings_note = settings_change_line(before, snap.state.settings(), v.other_name);
  }
  ui.seen_settings = agreed;
  if (v.i_am_ready) ui.settings_note.clear();
}

void settings_card(const NodeView& snap, const LobbyView& v, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const v1::Settings& agreed = snap.state.settings();
  if (!ui.settings_dirty) ui.settings_draft = agreed;  // Follow what was agreed until I edit.
  notice_settings_change(snap, v, ui);

  begin_card(p.surface);
  heading("How you'll pace it");
  if (!ui.settings_note.empty()) wrapped(ui.settings_note, p.text, fonts().body_bold);
  const float w = std::min(ImGui::GetContentRegionAvail().x - px(40), px(360));
  int threshold = static_cast<int>(ui.settings_draft.threshold());
  int pause_min = static_cast<int>(ui.settings_draft.min_pause_seconds() / 60);
  int long_min = static_cast<int>(ui.settings_draft.long_break_seconds() / 60);
  if (!v.can_edit_settings) ImGui::BeginDisabled();
  ImGui::TextUnformatted("Pause when a check-in is above");
  bool changed = value_slider("threshold", &threshold, 0, 10, std::to_string(threshold) + " of 10", w, ctx);
  ImGui::TextUnformatted("A pause lasts at least");
  changed |= value_slider("pause", &pause_min, 1, 15, minutes(pause_min), w, ctx);
  ImGui::TextUnformatted("A longer break, when one helps");
  changed |= value_slider("long", &long_min, 10, 120, minutes(long_min), w, ctx);
  if (!v.can_edit_settings) ImGui::EndDisabled();
  if (changed) {
    ui.settings_draft.set_threshold(static_cast<uint32_t>(threshold));
    ui.settings_draft.set_min_pause_seconds(static_cast<uint32_t>(pause_min) * 60);
    ui.settings_draft.set_long_break_seconds(static_cast<uint32_t>(long_min) * 60);
    ui.settings_dirty = ui.settings_draft.SerializeAsString() != agreed.SerializeAsString();
  }
  suggest_row(v, ui, ctx, "Suggest these settings");
  end_card();
}

// The kind of talk, on its own card near the top: the first thing to agree.
void kind_card(const NodeView& snap, const LobbyView& v, UiState& ui, const FrameContext& ctx) {
  const v1::Settings& agreed = snap.state.settings();
  if (!ui.settings_dirty) ui.settings_draft = agreed;
  begin_card(palette().surface);
  if (kind_choice(snap, v, ui, ctx))
    ui.settings_dirty = ui.settings_draft.SerializeAsString() != agreed.SerializeAsString();
  suggest_row(v, ui, ctx, "Suggest this");
  end_card();
}

void privacy_card(const NodeView& snap, const LobbyView& v, const FrameContext& ctx) {
  const Palette& p = palette();
  begin_card(p.accent_soft);
  heading("Who sees what");
  for (const std::string& line : v.who_sees_what) {
    ImGui::Bullet();
    ImGui::SameLine();
    wrapped(line, p.text);
  }
  if (v.can_share_with_coach && v.has_coach) {
    gap(2);
    bool share = v.sharing_with_coach;
    const bool changed = ImGui::Checkbox("Show my check-in numbers to the coach", &share);
    focus_stop(FocusKind::Button, "Show my check-in numbers to the coach");
    if (changed) ctx.dispatch.send(intents::share_with_coach(share));
    draw_coach_checks(snap, ctx);
  }
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("privacy", a, b);
}

// Each partner's "ready", with what still has to happen before the start.
void ready_row(const LobbyView& v, const UiState& ui, const FrameContext& ctx) {
  if (v.can_toggle_ready) {
    if (!v.i_am_ready) {
      if (primary_button("I'm ready to begin", !ui.settings_dirty)) {
        ctx.dispatch.send(intents::ready(true));
      }
    } else if (secondary_button("Not ready yet")) {
      ctx.dispatch.send(intents::ready(false));
    }
    ImGui::SameLine();
  }
  ImGui::AlignTextToFramePadding();
  wrapped(v.start_status, palette().text_soft);
}

}  // namespace

// The lobby: people, settings, privacy, and each partner's "ready". The
// ready row comes right after the kind of talk, so it is in view without
// scrolling on a laptop's screen (as is a coach's check number, above the
// people); the pacing settings and who sees what follow, and changing them
// asks both to be ready again.
void draw_lobby(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const LobbyView v =
      lobby_view(snap, ctx.dispatch.partner_session ? ctx.dispatch.partner_session() : PartnerSession{});
  title(v.title);
  wrapped(v.intro, p.text_soft);
  gap(6);
  // A coach's own check number, near the top: the partners ask for it
  // before they share, and it should need no scrolling to find.
  if (!my_check_number_line(snap).empty()) {
    begin_card(p.accent_soft);
    draw_my_check_number(snap, ctx);
    ImVec2 a, b;
    end_card(&a, &b);
    ctx.mark("my_check_number_card", a, b);
    gap(6);
  }
  people_card(v, ctx);
  code_notice_card(ctx);
  gap(6);
  kind_card(snap, v, ui, ctx);
  gap(8);
  const ImVec2 top = ImGui::GetCursorScreenPos();
  ready_row(v, ui, ctx);
  ctx.mark("ready_row", top, ImGui::GetItemRectMax());
  gap(8);
  privacy_card(snap, v, ctx);
  gap(6);
  settings_card(snap, v, ui, ctx);
  gap(6);
  if (v.can_leave && quiet_button("Leave this session")) {
    ctx.dispatch.send(intents::leave());
    if (ctx.dispatch.leave) ctx.dispatch.leave();
  }
  if (v.can_close && quiet_button("Close this session")) {
    ctx.dispatch.send(intents::exit());
  }
}

}  // namespace attune::app::views
