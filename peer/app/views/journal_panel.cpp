// The private rupture journal: note what happened in a few seconds, see
// what is still open, mark it repaired, and the one gentle follow-up.
// Everything here reads and writes this device's journal file only.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <array>
#include <string>

#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/journal/follow_up.hpp"
#include "attune/language/vocabulary.hpp"
#include "journal/journal_store.hpp"
#include "journal/local_time.hpp"

namespace attune::app::views {

namespace {

using journal::JournalStore;
using journal::Rupture;

constexpr int64_t kHourMs = 60LL * 60 * 1000;

struct WhenChoice {
  const char* label;
  int64_t ago_ms;
};
constexpr std::array<WhenChoice, 5> kWhen = {{{"Just now", 0},
                                              {"Earlier today", 3 * kHourMs},
                                              {"Yesterday", journal::kDayMs},
                                              {"Two days ago", 2 * journal::kDayMs},
                                              {"A week ago", 7 * journal::kDayMs}}};

struct GapChoice {
  const char* label;
  int64_t gap_ms;
};
constexpr std::array<GapChoice, 4> kGaps = {{{"a day", journal::kDayMs},
                                             {"two days", 2 * journal::kDayMs},
                                             {"three days", 3 * journal::kDayMs},
                                             {"a week", 7 * journal::kDayMs}}};

// A row of words to pick for what was underneath: the named word first,
// then a few from the vocabulary's group.
struct UnderRow {
  const char* label;
  const char* named;
  bool from_needs;
  std::vector<std::string_view> groups;
};

const std::vector<UnderRow>& under_rows() {
  static const std::vector<UnderRow> rows = {
      {"Shame", "shame", false, {"Small"}},
      {"Fear", "fear", false, {"Scared"}},
      {"A need that went unmet", "an unmet need", true, {"Connection", "Safety", "Respect"}},
  };
  return rows;
}

std::vector<std::string> row_words(const UnderRow& row) {
  std::vector<std::string> words{row.named};
  const auto& groups = row.from_needs ? language::needs() : language::feelings();
  const std::size_t per_group = row.groups.size() > 1 ? 3 : 5;
  for (const auto& g : groups) {
    if (std::find(row.groups.begin(), row.groups.end(), g.name) == row.groups.end()) continue;
    for (std::size_t i = 0; i < g.words.size() && i < per_group; ++i) words.emplace_back(g.words[i]);
  }
  return words;
}

// Lays the next item of this width on the current line when it fits
// (`used` of `right` taken so far), else starts a new line.
void flow_next(std::size_t index, float width, float right, float& used) {
  if (index > 0 && used + width < right)
    ImGui::SameLine(0, px(6));
  else
    used = 0;
  used += width + px(6);
}

// Radio buttons side by side, wrapping to the next line when the row is full.
// The app's radio() (a dot sized to the words); the first dot is marked.
void flow_radio(const std::vector<const char*>& labels, int* value, const FrameContext* ctx = nullptr) {
  const float right = ImGui::GetContentRegionAvail().x;
  const ImGuiStyle& style = ImGui::GetStyle();
  float used = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    flow_next(i, ImGui::GetFontSize() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(labels[i]).x + px(8),
              right, used);
    ImVec2 dot_min, dot_max;
    if (radio(labels[i], *value == static_cast<int>(i), &dot_min, &dot_max)) *value = static_cast<int>(i);
    record_last_item_as_button(labels[i]);
    if (i == 0 && ctx) ctx->mark("journal_radio_dot", dot_min, dot_max);
  }
}

// A word that can be picked and unpicked; picked ones are filled.
void word_toggle(const std::string& word, std::vector<std::string>& picked) {
  const Palette& p = palette();
  auto it = std::find(picked.begin(), picked.end(), word);
  const bool on = it != picked.end();
  ImGui::PushStyleColor(ImGuiCol_Button, on ? p.accent : p.surface_alt);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? p.accent_hover : p.line);
  ImGui::PushStyleColor(ImGuiCol_Text, on ? IM_COL32(255, 255, 255, 255) : p.text);
  if (ImGui::SmallButton(word.c_str())) {
    if (on)
      picked.erase(it);
    else
      picked.push_back(word);
  }
  record_last_item_as_button(word);
  ImGui::PopStyleColor(3);
}

void underneath_picker(JournalUi& j) {
  soft("What was underneath, for you? (You can skip this.)");
  for (const UnderRow& row : under_rows()) {
    ImGui::PushID(row.label);
    ImGui::PushFont(fonts().small);
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_soft);
    ImGui::TextUnformatted(row.label);
    ImGui::PopStyleColor();
    const float right = ImGui::GetContentRegionAvail().x;
    float used = 0;
    const auto words = row_words(row);
    for (std::size_t i = 0; i < words.size(); ++i) {
      flow_next(i, ImGui::CalcTextSize(words[i].c_str()).x + ImGui::GetStyle().FramePadding.x * 2, right, used);
      ImGui::PushID(static_cast<int>(i));
      word_toggle(words[i], j.underneath);
      ImGui::PopID();
    }
    ImGui::PopFont();
    ImGui::PopID();
  }
}

void note_card(JournalStore* store, JournalUi& j, const FrameContext& ctx) {
  const Palette& p = palette();
  begin_card(p.surface);
  heading("Note what happened");
  soft("When was it?");
  std::vector<const char*> when_labels;
  for (const WhenChoice& w : kWhen) when_labels.push_back(w.label);
  flow_radio(when_labels, &j.when, &ctx);
  soft("How big did it feel?");
  int big = j.big ? 1 : 0;
  flow_radio({"Small", "Big"}, &big);
  j.big = big == 1;
  soft("What happened, in your own words");
  if (wrapping_text_box("##journal_what", &j.what, px(90), journal::kMaxWhatBytes)) j.saved_note.clear();
  gap(4);
  underneath_picker(j);
  gap(6);
  if (primary_button("Keep this note", store != nullptr)) {
    journal::Draft d;
    d.happened_ms = ctx.now_ms - kWhen[static_cast<std::size_t>(std::clamp(j.when, 0, 4))].ago_ms;
    d.size = j.big ? journal::Size::Big : journal::Size::Small;
    d.what = j.what;
    d.underneath = j.underneath;
    const auto kept = store->note(d, ctx.now_ms);
    if (const auto* problem = std::get_if<journal::Problem>(&kept)) {
      j.error = problem->message;
      j.refused_what = j.what;
    } else {
      const double next_check = j.next_follow_up_check_s;
      j = JournalUi{};  // Ready for the next one.
      j.saved_note = "Noted. It's here, just for you, whenever you want to come back to it.";
      j.next_follow_up_check_s = next_check;
    }
  }
  if (!j.error.empty() && j.what == j.refused_what) wrapped(j.error, p.alert);  // Gone once they edit.
  if (!j.saved_note.empty()) wrapped(j.saved_note, p.ok);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("journal_note_card", a, b);
}

// The sessions this device remembers that ended after the rupture happened.
void session_choices(JournalStore& store, const Rupture& r, JournalUi& j, const FrameContext& ctx) {
  std::vector<HistoryEntry> sessions = ctx.dispatch.load_history ? ctx.dispatch.load_history()
                                                                 : std::vector<HistoryEntry>{};
  std::erase_if(sessions, [&](const HistoryEntry& e) { return e.ended_ms < r.happened_ms; });
  if (sessions.empty()) {
    wrapped("No session on this device since then. You can still say you talked it through.",
            palette().text_soft);
    return;
  }
  soft("Which session helped?");
  for (const HistoryEntry& e : sessions) {
    const std::string label = (e.session_name.empty() ? std::string("A session") : e.session_name) + ", " +
                              journal::local_date_time(e.ended_ms) + "##" + e.session_id;
    if (secondary_button(label.c_str())) {
      const auto marked =
          store.mark_repaired(r.id, journal::Repair{journal::RepairWay::Session, e.session_id, e.ended_ms}, ctx.now_ms);
      if (const auto* problem = std::get_if<journal::Problem>(&marked)) j.repair_error = problem->message;
      j.choosing_session_for = 0;
    }
  }
}

// "Remove", then a calm yes or no; a yes wipes the entry from this device.
void remove_choice(JournalStore& store, const Rupture& r, JournalUi& j, bool same_line) {
  if (j.confirming_remove != r.id) {
    if (same_line) ImGui::SameLine();
    if (quiet_button("Remove")) j.confirming_remove = r.id;
    return;
  }
  wrapped("Remove this from your journal? It will be gone from this device for good.", palette().text_soft);
  if (secondary_button("Yes, remove it")) {
    if (const auto problem = store.remove(r.id)) j.repair_error = problem->message;
    j.confirming_remove = 0;
  }
  ImGui::SameLine();
  if (quiet_button("Keep it")) j.confirming_remove = 0;
}

void open_entry(JournalStore& store, const Rupture& r, JournalUi& j, const FrameContext& ctx) {
  const Palette& p = palette();
  ImGui::PushID(static_cast<int>(r.id));
  soft(journal::local_date_time(r.happened_ms) + "  \xC2\xB7  " + (r.size == journal::Size::Big ? "big" : "small") +
       "  \xC2\xB7  open for " + journal::duration_words(ctx.now_ms - r.happened_ms));
  wrapped(r.what, p.text);
  if (!r.underneath.empty()) {
    std::string words = "Underneath:";
    for (const auto& w : r.underneath) words += " " + w + (&w == &r.underneath.back() ? "" : ",");
    wrapped(words, p.text_soft, fonts().small);
  }
  if (secondary_button("We talked it through")) {
    const auto marked = store.mark_repaired(r.id, journal::Repair{}, ctx.now_ms);
    if (const auto* problem = std::get_if<journal::Problem>(&marked)) j.repair_error = problem->message;
  }
  ImGui::SameLine();
  if (secondary_button("A session helped")) j.choosing_session_for = j.choosing_session_for == r.id ? 0 : r.id;
  remove_choice(store, r, j, /*same_line=*/true);
  if (j.choosing_session_for == r.id) session_choices(store, r, j, ctx);
  gap(8);
  ImGui::PopID();
}

void repaired_entry(JournalStore& store, const Rupture& r, JournalUi& j) {
  const Palette& p = palette();
  ImGui::PushID(static_cast<int>(r.id));
  const std::string how = r.repair->way == journal::RepairWay::Session ? "in a session" : "you talked it through";
  soft(journal::local_date_time(r.happened_ms) + "  \xC2\xB7  repaired after " +
       journal::duration_words(*journal::time_to_repair(r)) + ", " + how);
  wrapped(r.what, p.text_soft);
  remove_choice(store, r, j, /*same_line=*/false);
  gap(6);
  ImGui::PopID();
}

void follow_up_settings_card(JournalStore& store) {
  const Palette& p = palette();
  journal::FollowUpSettings s = store.follow_up_settings();
  begin_card(p.surface);
  heading("A gentle follow-up");
  bool enabled = s.enabled;
  const char* label = "If something is still open after a while, remind me once, here only";
  if (ImGui::Checkbox(label, &enabled)) {
    s.enabled = enabled;
    store.set_follow_up(s);
  }
  record_last_item_as_button(label);
  if (s.enabled) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("After");
    for (const GapChoice& g : kGaps) {
      ImGui::SameLine();
      const bool picked = radio(g.label, s.gap_ms == g.gap_ms);
      record_last_item_as_button(g.label);
      if (picked && s.gap_ms != g.gap_ms) {
        s.gap_ms = g.gap_ms;
        store.set_follow_up(s);
      }
    }
  }
  end_card();
}

}  // namespace

void open_journal(UiState& ui) {
  ui.start_panel = StartPanel::Journal;
  ui.journal.scroll_to_top = true;
}

void draw_journal_follow_up(UiState& ui, const FrameContext& ctx, bool offer_journal) {
  JournalStore* store = ctx.dispatch.journal;
  if (!store) return;
  JournalUi& j = ui.journal;
  if (ctx.time_s >= j.next_follow_up_check_s) {
    store->take_follow_up(ctx.now_ms);  // Records it as shown: it comes once.
    j.next_follow_up_check_s = ctx.time_s + 60;
  }
  ctx.wake_in(std::max(1.0, j.next_follow_up_check_s - ctx.time_s));
  const auto showing = store->showing_follow_up();
  if (!showing) return;
  const Palette& p = palette();
  begin_card(p.accent_soft);
  heading("A gentle nudge, just for you");
  wrapped(journal::follow_up_words(*showing, journal::local_day(showing->happened_ms, ctx.now_ms), ctx.now_ms),
          p.text);
  if (offer_journal && primary_button("Open my journal")) open_journal(ui);
  if (offer_journal) ImGui::SameLine();
  if (secondary_button("Thanks, put this away")) store->dismiss_follow_up(showing->id);
  ImGui::SameLine();
  if (quiet_button("Turn these reminders off")) {
    journal::FollowUpSettings s = store->follow_up_settings();
    s.enabled = false;
    store->set_follow_up(s);
  }
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("follow_up_card", a, b);
  gap(6);
}

void draw_journal(const NodeView&, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  if (ui.journal.scroll_to_top) ImGui::SetScrollY(0);  // Arriving from the start screen's end.
  ui.journal.scroll_to_top = false;
  if (quiet_button("\xE2\x86\x90 Back")) ui.start_panel = StartPanel::Home;
  title("Your journal");
  soft("Just for you. It stays on this device and is never sent to anyone, not even your partner.");
  gap(8);
  JournalStore* store = ctx.dispatch.journal;
  if (!store) {
    wrapped("Your journal can't be opened right now. Nothing in it was changed.", p.alert);
    return;
  }
  draw_journal_follow_up(ui, ctx, /*offer_journal=*/false);
  note_card(store, ui.journal, ctx);
  gap(6);
  const journal::History h = journal::history_of(store->list());
  begin_card(p.surface);
  heading(h.open.empty() ? "Nothing open" : "Still open");
  if (h.open.empty()) wrapped("When something is left unsaid, you can note it here and come back to it.", p.text_soft);
  if (!ui.journal.repair_error.empty()) wrapped(ui.journal.repair_error, p.alert);
  for (const Rupture& r : h.open) open_entry(*store, r, ui.journal, ctx);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("journal_open_card", a, b);
  if (!h.repaired.empty()) {
    gap(6);
    begin_card(p.surface);
    heading("Repaired");
    for (const Rupture& r : h.repaired) repaired_entry(*store, r, ui.journal);
    end_card();
  }
  gap(6);
  follow_up_settings_card(*store);
}

}  // namespace attune::app::views
