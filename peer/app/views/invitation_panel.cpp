// Repair invitations on the start screen: an invitation from the partner,
// answered with one tap (one of the offered times, now, another time picked
// in local time, or "not yet", with no reason asked); a time the partner
// proposed, to say yes to; the agreed times; and a short form to invite the
// partner back. Reads and writes this device's invitations.db (read on a
// change or every few seconds, never per frame); the postbox carries them.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <ctime>

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
    ui.invite.other = OtherTimeUi{};
    ui.invite.note = a.kind == invite::AnswerKind::NotYet
                         ? "Your \"not yet\" is on its way. It can wait until you're ready."
                         : "Your answer is on its way. Thank you for making the time.";
  } catch (const std::exception& e) {
    ui.invite.error = std::string("Your answer couldn't be kept just now: ") + e.what();
  }
  ui.invite.list.changed();
}

// `days` from today at hour:minute, in this device's own time, as UTC ms.
int64_t local_day_at(int64_t now_ms, int days, int hour, int minute) {
  const std::time_t now = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{};
  localtime_r(&now, &tm);
  tm.tm_mday += days;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = 0;
  tm.tm_isdst = -1;  // The zone says whether summer time applies that day.
  return static_cast<int64_t>(std::mktime(&tm)) * 1000;
}

std::string day_label(int64_t now_ms, int days) {
  if (days == 0) return "Today";
  if (days == 1) return "Tomorrow";
  return journal::local_day(local_day_at(now_ms, days, 12, 0), now_ms);  // "Tue 3 Dec": ahead of now.
}

// "Another time": a day this week or next, and a time of day, in local time.
void other_time_picker(UiState& ui, const FrameContext& ctx, const invite::Invitation& inv) {
  OtherTimeUi& o = ui.invite.other;
  gap(4);
  wrapped("Which day suits you?", palette().text);
  for (int d = 0; d < 8; ++d) {
    if (d > 0 && d != 4) ImGui::SameLine(0, px(6));
    const std::string label = day_label(ctx.now_ms, d) + "##other_day" + std::to_string(d);
    if (d == o.day ? primary_button(label.c_str()) : secondary_button(label.c_str())) o.day = d;
  }
  wrapped("At what time?", palette().text);
  ImGui::SetNextItemWidth(px(260));
  slider("##other_hour", &o.hour, 0, 23, "%02d h", "At what time");
  for (const int m : {0, 15, 30, 45}) {
    ImGui::SameLine(0, px(6));
    const std::string label = ":" + std::string(m < 10 ? "0" : "") + std::to_string(m) + "##other_minute";
    if (m == o.minute ? primary_button(label.c_str()) : secondary_button(label.c_str())) o.minute = m;
  }
  const int64_t at = local_day_at(ctx.now_ms, o.day, o.hour, o.minute);
  soft("That is " + journal::local_date_time(at) + ", your time.");
  if (!ui.invite.error.empty()) wrapped(ui.invite.error, palette().text_soft);
  if (primary_button(("Propose this time##" + inv.id).c_str()))
    give(ui, ctx, inv, {invite::AnswerKind::Other, 0, at, 0});
  ImGui::SameLine();
  if (quiet_button(("Back##other" + inv.id).c_str())) {
    o = OtherTimeUi{};
    ui.invite.error.clear();
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
  if (ui.invite.other.invitation_id == inv.id) {
    other_time_picker(ui, ctx, inv);
  } else {
    if (secondary_button(("Another time##" + inv.id).c_str())) {
      ui.invite.other = OtherTimeUi{};
      ui.invite.other.invitation_id = inv.id;
      ui.invite.error.clear();
    }
    ImGui::SameLine();
    if (quiet_button(("Not yet##" + inv.id).c_str())) give(ui, ctx, inv, {invite::AnswerKind::NotYet, 0, 0, 0});
  }
  soft("No reason is needed.");
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("invitation_received", a, b);
}

void countered_card(UiState& ui, const FrameContext& ctx, const invite::Invitation& inv) {
  const Palette& p = palette();
  begin_card(p.accent_soft);
  heading(partner_word(inv) + " proposed another time");
  wrapped(journal::local_date_time(*inv.proposed_utc_ms), p.text);
  if (primary_button(("Yes, that works##" + inv.id).c_str()))
    give(ui, ctx, inv, {invite::AnswerKind::Accept, 0, 0, 0});
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("invitation_countered", a, b);
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
  ui.invite = InviteUi{};  // Its list too, so it is read again.
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
  focus_text_stop("Which day");  // (First: the ring takes it as a text box.)
  record_last_item_as_button("the day");  // Tests click into it (control_input.hpp).
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
  record_last_item_as_button("your words");
  if (!ui.invite.error.empty()) wrapped(ui.invite.error, p.text_soft);
  if (primary_button("Send invitation")) send(ui, ctx);
  ImGui::SameLine();
  if (quiet_button("Not now")) {
    ui.invite.writing = false;
    ui.invite.error.clear();
  }
  end_card();
}

}  // namespace

void draw_invitations(UiState& ui, const FrameContext& ctx) {
  invite::InviteStore* store = ctx.dispatch.invitations;
  if (!store) return;
  const Palette& p = palette();
  const auto all = ui.invite.list.get(ctx.time_s, [store] { return store->list(); },
                                      "Your invitations couldn't be read just now. Attune will try again in a "
                                      "moment; nothing in them is lost.");
  ctx.wake_in(ui.invite.list.next_in(ctx.time_s));
  if (!ui.invite.list.error.empty()) wrapped(ui.invite.list.error, p.text_soft);
  for (const auto& inv : all) {
    if (inv.side == invite::Side::Received && inv.status == invite::Status::Waiting) received_card(ui, ctx, inv);
    if (inv.side == invite::Side::Sent && inv.status == invite::Status::Countered) countered_card(ui, ctx, inv);
    if (inv.side == invite::Side::Received && inv.status == invite::Status::Countered && inv.proposed_utc_ms)
      soft("You proposed " + journal::local_date_time(*inv.proposed_utc_ms) + " to " + partner_word(inv) +
           ". It's agreed once they say yes.");
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
