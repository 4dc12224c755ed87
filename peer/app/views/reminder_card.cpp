// The reminder at the agreed time, as a calm card on the start screen: the
// warm words, "Start now" (the session with the partner's paired device, no
// code) and "Not now". The window's reminder watch (remind/reminder_watch)
// brings it once per agreed time, on its own thread, and sends the desktop
// notification there; this card only shows what the store holds, read on a
// change or every few seconds, never per frame. It stays until it is put
// away or the session starts.
#include <imgui.h>

#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/text.hpp"
#include "remind/remind_clock.hpp"
#include "remind/reminder_due.hpp"

namespace attune::app::views {

namespace {

void one_card(const remind::Reminder& r, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const remind::Words words = remind::words_for(r, ctx.now_ms + remind::clock_offset_ms());
  begin_card(p.accent_soft);
  heading(words.summary);
  wrapped(words.body, p.text);
  const std::string name = clean_name(ui.display_name);
  const bool can_start = ctx.dispatch.start_with_partner != nullptr && name_problem(name, kMaxNameBytes, "name").empty();
  if (primary_button("Start now", can_start)) {
    ui.reminder.start_error.clear();
    ctx.dispatch.start_with_partner(r.appointment.partner_device_id, name);
  }
  ImGui::SameLine();
  if (secondary_button("Not now")) {
    if (const auto problem = ctx.dispatch.reminders->dismiss(r.appointment.id)) ui.reminder.start_error = problem->message;
    ui.reminder.list.changed();
  }
  if (!can_start && ctx.dispatch.start_with_partner) soft("Add your name below, then start.");
  if (!ui.reminder.start_error.empty()) wrapped(ui.reminder.start_error, p.alert);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("reminder_card", a, b);
  gap(6);
}

}  // namespace

void draw_reminder_card(UiState& ui, const FrameContext& ctx) {
  const remind::ReminderStore* store = ctx.dispatch.reminders;
  if (!store) return;
  ReminderUi& r = ui.reminder;
  if (r.seen_brought != ctx.dispatch.reminders_brought) {
    r.seen_brought = ctx.dispatch.reminders_brought;
    r.list.changed();
  }
  const auto all = r.list.get(ctx.time_s, [store] { return store->read(); },
                              "Your reminders couldn't be read just now. Attune will try again in a moment.");
  ctx.wake_in(r.list.next_in(ctx.time_s));
  if (!r.list.error.empty()) {
    begin_card(palette().surface);
    wrapped(r.list.error, palette().text_soft);
    end_card();
    gap(6);
  }
  for (const std::string& id : remind::reminders_showing(all)) {
    for (const auto& one : all)
      if (one.appointment.id == id) one_card(one, ui, ctx);
  }
}

}  // namespace attune::app::views
