// The reminder at the agreed time, as a calm card on the start screen: the
// warm words, "Start now" (the session with the partner's paired device, no
// code) and "Not now". It comes once per agreed time (the store records it
// as shown, and sends the desktop notification as it does), and stays until
// it is put away or the session starts.
#include <imgui.h>

#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/text.hpp"
#include "remind/agreed_times.hpp"
#include "remind/remind_clock.hpp"
#include "remind/reminder_due.hpp"

namespace attune::app::views {

namespace {

constexpr double kCheckEveryS = 5;

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
  if (secondary_button("Not now")) ctx.dispatch.reminders->dismiss(r.appointment.id);
  if (!can_start && ctx.dispatch.start_with_partner) soft("Add your name below, then start.");
  if (!ui.reminder.start_error.empty()) wrapped(ui.reminder.start_error, p.alert);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("reminder_card", a, b);
  gap(6);
}

}  // namespace

void draw_reminder_card(UiState& ui, const FrameContext& ctx) {
  remind::ReminderStore* store = ctx.dispatch.reminders;
  if (!store) return;
  if (ctx.time_s >= ui.reminder.next_check_s) {
    if (ctx.dispatch.invitations) remind::take_in_agreed_times(*store, *ctx.dispatch.invitations);
    for (std::size_t i = 0; i < remind::kMaxWaiting; ++i)
      if (!remind::bring_due(*store, ctx.now_ms + remind::clock_offset_ms(), ctx.dispatch.notify_desktop)) break;
    ui.reminder.next_check_s = ctx.time_s + kCheckEveryS;
  }
  ctx.wake_in(std::max(0.5, ui.reminder.next_check_s - ctx.time_s));
  const auto all = store->list();
  for (const std::string& id : remind::reminders_showing(all)) {
    for (const auto& r : all)
      if (r.appointment.id == id) one_card(r, ui, ctx);
  }
}

}  // namespace attune::app::views
