// Repair invitations on the start screen: an invitation from the partner,
// answered with one tap (one of the offered times, now, or "not yet", with
// no reason asked); a time the partner proposed, to say yes to; the agreed
// times; and a short form to invite the partner back. Reads and writes
// this device's invitations.db; `attune invite serve` (or the window's
// postbox, once wired) carries them.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/theme.hpp"
#include "app/widgets.hpp"
#include "attune/text.hpp"
#include "invite/outgoing.hpp"
#include "journal/local_time.hpp"
#include "app/views/panels.hpp"

namespace attune::app::views {

namespace {

constexpr int64_t kHourMs = 60LL * 60 * 1000;

std::string partner_word(const invite::Invitation& inv) {
  return inv.partner_name.empty() ? std::string("Your partner") : sanitize_display_text(inv.partner_name);
}

// A time on the quarter hour, so the offer reads like one a person makes.
int64_t quarter(int64_t ms) { return (ms / (15 * 60 * 1000) + 1) * (15 * 60 * 1000); }

void give(UiState& ui, const FrameContext& ctx, const invite::Invitation& inv, invite::Answer a) {
  a.answered_utc_ms = ctx.now_ms;
  try {
    const auto done = invite::answer_invitation(*ctx.dispatch.invitations, inv.id, a, ui.display_name);
    if (const auto* p = std::get_if<invite::Problem>(&done)) {
      ui.invite.error = p->message;
      return;
    }
    ui.invite.error.clear();
    ui.invite.note = a.kind == invite::AnswerKind::NotYet
                         ? "Your \"not yet\" is on its way. It can wait until you're ready."
                         : "Your answer is on its way. Thank you for making the time.";
  } catch (const std::exception& e) {
    ui.invite.error = std::string("Your answer couldn't be kept just now: ") + e.what();
  }
}

void received_card(UiState& ui, const FrameContext& ctx, const invite::Invitation& inv) {
  const Palette& p = palette();
  begin_card(p.accent_soft);
  heading(partner_word(inv) + " would like to reconnect");
  wrapped(invite::invitation_sentence(sanitize_display_text(inv.day)), p.text);
  if (!inv.words.empty()) wrapped("\"" + sanitize_display_text(inv.words) + "\"", p.text_soft);
  gap(6);
  for (std::size_t i = 0; i < inv.offers_utc_ms.size(); ++i) {
    const std::string label = journal::local_date_time(inv.offers_utc_ms[i]) + "##" + inv.id + std::to_string(i);
    if (i > 0) ImGui::SameLine();
    if (secondary_button(label.c_str())) give(ui, ctx, inv, {invite::AnswerKind::Offered, i, 0, 0});
  }
  if (inv.offers_now) {
    if (!inv.offers_utc_ms.empty()) ImGui::SameLine();
    if (primary_button(("Now works##" + inv.id).c_str())) give(ui, ctx, inv, {invite::AnswerKind::Now, 0, 0, 0});
  }
  if (quiet_button(("Not yet##" + inv.id).c_str())) give(ui, ctx, inv, {invite::AnswerKind::NotYet, 0, 0, 0});
  soft("No reason is needed.");
  end_card();
}

void countered_card(UiState& ui, const FrameContext& ctx, const invite::Invitation& inv) {
  const Palette& p = palette();
  begin_card(p.accent_soft);
  heading(partner_word(inv) + " proposed another time");
  wrapped(journal::local_date_time(*inv.proposed_utc_ms), p.text);
  if (primary_button(("Yes, that works##" + inv.id).c_str()))
    give(ui, ctx, inv, {invite::AnswerKind::Accept, 0, 0, 0});
  end_card();
}

void send(UiState& ui, const FrameContext& ctx) {
  invite::Draft d;
  d.day = ui.invite.day;
  d.words = ui.invite.words;
  d.offers_now = ui.invite.now;
  if (ui.invite.in_an_hour) d.offers_utc_ms.push_back(quarter(ctx.now_ms + kHourMs));
  if (ui.invite.tomorrow) d.offers_utc_ms.push_back(quarter(ctx.now_ms + 24 * kHourMs));
  if (ui.invite.in_two_days) d.offers_utc_ms.push_back(quarter(ctx.now_ms + 48 * kHourMs));
  try {
    const auto sent = invite::send_invitation(*ctx.dispatch.invitations, ctx.dispatch.invite_data_dir, d,
                                              ui.display_name, "", ctx.now_ms);
    if (const auto* p = std::get_if<invite::Problem>(&sent)) {
      ui.invite.error = p->message;
      return;
    }
  } catch (const std::exception& e) {
    ui.invite.error = std::string("Your invitation couldn't be kept just now: ") + e.what();
    return;
  }
  ui.invite = InviteUi{};
  ui.invite.note = "Your invitation is ready. It reaches your partner as soon as both devices can find each other.";
}

void invite_form(UiState& ui, const FrameContext& ctx, float field_w) {
  const Palette& p = palette();
  begin_card(p.surface);
  heading("Invite your partner back");
  soft("Only what you write here is sent, sealed, to your partner's device.");
  gap(4);
  wrapped("I'd like to come back to what happened on", p.text);
  ImGui::SetNextItemWidth(field_w);
  if (ImGui::InputTextWithHint("##invite_day", "Tuesday, the weekend, last night...", &ui.invite.day))
    ui.invite.error.clear();  // Typing answers the last word about it.
  focus_text_stop("Which day");
  wrapped("Are you open to it? Times that suit me:", p.text);
  ImGui::Checkbox(journal::local_date_time(quarter(ctx.now_ms + kHourMs)).c_str(), &ui.invite.in_an_hour);
  record_last_item_as_button("in an hour");
  ImGui::SameLine();
  ImGui::Checkbox(journal::local_date_time(quarter(ctx.now_ms + 24 * kHourMs)).c_str(), &ui.invite.tomorrow);
  focus_stop(FocusKind::Button, "tomorrow");
  ImGui::SameLine();
  ImGui::Checkbox(journal::local_date_time(quarter(ctx.now_ms + 48 * kHourMs)).c_str(), &ui.invite.in_two_days);
  focus_stop(FocusKind::Button, "in two days");
  ImGui::SameLine();
  ImGui::Checkbox("Now", &ui.invite.now);
  record_last_item_as_button("Now");
  ImGui::SetNextItemWidth(field_w);
  ImGui::InputTextWithHint("##invite_words", "A few words of your own (optional)", &ui.invite.words);
  focus_text_stop("A few words");
  if (!ui.invite.error.empty()) wrapped(ui.invite.error, p.text_soft);
  if (primary_button("Send invitation")) send(ui, ctx);
  ImGui::SameLine();
  if (quiet_button("Not now")) ui.invite = InviteUi{};
  end_card();
}

}  // namespace

void draw_invitations(UiState& ui, const FrameContext& ctx) {
  if (!ctx.dispatch.invitations) return;
  const Palette& p = palette();
  std::vector<invite::Invitation> all;
  try {
    all = ctx.dispatch.invitations->list();
  } catch (const std::exception&) {
    return;  // Nothing to show this frame; the journal and sessions go on.
  }
  for (const auto& inv : all) {
    if (inv.side == invite::Side::Received && inv.status == invite::Status::Waiting) received_card(ui, ctx, inv);
    if (inv.side == invite::Side::Sent && inv.status == invite::Status::Countered) countered_card(ui, ctx, inv);
    if (const auto a = invite::appointment_of(inv); a && a->at_utc_ms + kHourMs >= ctx.now_ms)
      soft("Agreed with " + partner_word(inv) + ": " + journal::local_date_time(a->at_utc_ms));
  }
  if (!ui.invite.note.empty()) wrapped(ui.invite.note, p.text_soft);
  const float field_w = std::min(ImGui::GetContentRegionAvail().x - px(40), px(420));
  if (ui.invite.writing)
    invite_form(ui, ctx, field_w);
  else if (secondary_button("Invite your partner back"))
    ui.invite.writing = true;
  gap(6);
}

}  // namespace attune::app::views
