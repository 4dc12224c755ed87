// Preparing alone: one stage at a time through the conversation's steps,
// for yourself, saved on this device and editable later; and the list of
// what was prepared. Nothing here touches the network: it reads and writes
// this device's prepare.db only. The lists are read on a change or every
// few seconds (PrepareUi::list), never per frame.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <iterator>
#include <string>

#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/language/vocabulary.hpp"
#include "journal/local_time.hpp"
#include "prepare/prepare_store.hpp"

namespace attune::app::views {

namespace {

using prepare::Part;
using prepare::Stage;

constexpr const char* kGestureIdeas[] = {"A long hug", "A walk together", "A cup of tea", "Some quiet, side by side",
                                         "A call later"};

void add_words(std::string& text, std::string_view words) {
  if (!text.empty() && text.back() != ' ' && text.back() != '\n') text.push_back(' ');
  text.append(words);
}

// A few words to pick from, found by a search: feelings and needs together.
void word_picker(std::string& text, std::string& search, const FrameContext& ctx) {
  const bool open = ImGui::CollapsingHeader("Find words for feelings and needs");
  focus_stop(FocusKind::Button, "Find words for feelings and needs");
  if (!open) return;
  ImGui::SetNextItemWidth(px(280));
  ImGui::InputTextWithHint("##prep_vocab", "Search, e.g. lonely or respect", &search);
  focus_text_stop("Search words");
  int shown = 0;
  for (const auto* groups : {&language::feelings(), &language::needs()}) {
    for (const auto& g : language::search(*groups, search)) {
      for (std::string_view w : g.words) {
        if (shown >= 24) break;
        if (shown % 8 != 0) ImGui::SameLine(0, px(6));
        const std::string word(w);
        ImGui::PushID(shown);
        if (ImGui::SmallButton(word.c_str())) add_words(text, word);
        ImGui::PopID();
        ++shown;
      }
    }
  }
  ctx.mark("prepare_vocabulary", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

void stems(const prepare::StageInfo& info, std::string& text) {
  if (info.stems.empty()) return;
  soft("Start with:");
  for (std::size_t i = 0; i < info.stems.size(); ++i) {
    if (i > 0) ImGui::SameLine(0, px(6));
    ImGui::PushID(static_cast<int>(i));
    const std::string stem(info.stems[i]);
    if (ImGui::SmallButton(stem.c_str())) add_words(text, stem.substr(0, stem.find("...")));
    record_last_item_as_button(stem);
    ImGui::PopID();
  }
}

void activation_stage(PrepareUi& p, UiState& ui, const FrameContext& ctx) {
  int level = p.words.activation;
  for (int i = 0; i <= 10; ++i) {
    if (i > 0) ImGui::SameLine(0, px(4));
    const std::string label = std::to_string(i);
    const bool chosen = level == i;
    if (chosen ? primary_button(label.c_str(), true, px(34)) : secondary_button(label.c_str(), true, px(34)))
      level = i;
  }
  p.words.activation = level;
  soft("0 is calm, 10 is overwhelmed. This number is only for you.");
  if (!prepare::wants_pacer(level)) return;
  gap(6);
  wrapped("That's quite a lot to carry. Breathe with the circle for a minute before you go on.", palette().text);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  draw_pacer(ui, ctx, px(60));
  ctx.mark("prepare_pacer", at, ImGui::GetItemRectMax());
  ctx.wake_in(0.05);
}

void review_stage(const PrepareUi& p) {
  for (Part part : prepare::kParts) {
    const std::string& text = prepare::text_of(p.words, part);
    ImGui::PushFont(fonts().body_bold);
    ImGui::TextUnformatted(std::string(prepare::part_title(part)).c_str());
    ImGui::PopFont();
    wrapped(text.empty() ? "(nothing yet)" : text, text.empty() ? palette().text_soft : palette().text);
  }
}

void writing_stage(PrepareUi& p, const prepare::StageInfo& info, Part part, const FrameContext& ctx) {
  std::string& text = prepare::text_of(p.words, part);
  stems(info, text);
  if (part == Part::Gesture) {
    for (std::size_t i = 0; i < std::size(kGestureIdeas); ++i) {
      if (i > 0) ImGui::SameLine(0, px(6));
      if (ImGui::SmallButton(kGestureIdeas[i])) text = kGestureIdeas[i];
      record_last_item_as_button(kGestureIdeas[i]);
    }
  }
  const std::size_t max = prepare::max_bytes(part);
  wrapping_text_box("##prep_text", &text, part == Part::Gesture ? px(50) : px(120), max);
  const ImVec2 box_min = ImGui::GetItemRectMin();
  ctx.mark("prepare_box", box_min, ImGui::GetItemRectMax());
  if (ImGui::IsItemActive()) ctx.wake_in(0.5);
  if (const std::string note = room_left_note(text.size(), max); !note.empty()) soft(note);
  draw_hints(text, info.blame_hints, info.defence_hints, box_min, ctx);
  if (info.vocabulary) word_picker(text, p.vocabulary_search, ctx);
}

void save(PrepareUi& p, prepare::PrepareStore& store, const FrameContext& ctx) {
  const auto result = p.editing_id == 0 ? store.add(p.words, ctx.now_ms) : store.edit(p.editing_id, p.words, ctx.now_ms);
  if (const auto* problem = std::get_if<prepare::Problem>(&result)) {
    p.error = problem->message;
    p.saved_note.clear();
    return;
  }
  const auto& kept = std::get<prepare::Preparation>(result);
  p.editing_id = kept.id;
  p.words = kept.words;
  p.list.changed();
  p.error.clear();
  p.saved_note = "Saved on this device. It goes nowhere else.";
}

void walk_buttons(PrepareUi& p, prepare::PrepareStore& store, const FrameContext& ctx) {
  if (p.stage != Stage::What && secondary_button("Back")) {
    p.stage = prepare::previous_stage(p.stage);
    p.error.clear();
  }
  if (p.stage != Stage::What) ImGui::SameLine();
  if (p.stage != Stage::Review && primary_button("Next")) {
    p.stage = prepare::next_stage(p.stage);
    p.saved_note.clear();
    p.error.clear();
  }
  if (p.stage != Stage::Review) ImGui::SameLine();
  if ((p.stage == Stage::Review ? primary_button("Save") : secondary_button("Save"))) save(p, store, ctx);
  ImGui::SameLine();
  if (quiet_button("Back to my preparations")) {
    p.walking = false;
    p.saved_note.clear();
    p.error.clear();
  }
  if (!p.error.empty()) wrapped(p.error, palette().alert);
  if (!p.saved_note.empty()) soft(p.saved_note);
}

void draw_walk(PrepareUi& p, UiState& ui, prepare::PrepareStore& store, const FrameContext& ctx) {
  const prepare::StageInfo& info = prepare::stage_info(p.stage);
  soft("Step " + std::to_string(prepare::stage_number(p.stage)) + " of " + std::to_string(prepare::kStageCount));
  title(std::string(info.title));
  wrapped(std::string(info.guidance), palette().text);
  gap(6);
  begin_card(palette().surface);
  if (p.stage == Stage::Activation) {
    activation_stage(p, ui, ctx);
  } else if (p.stage == Stage::Review) {
    review_stage(p);
  } else if (const auto part = prepare::part_of(p.stage)) {
    writing_stage(p, info, *part, ctx);
  }
  gap(6);
  walk_buttons(p, store, ctx);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("prepare_walk", a, b);
}

constexpr const char* kCantRead =
    "What you prepared couldn't be read just now. Attune will try again in a moment; nothing is lost.";

// What was prepared, newest edits last, as last read; its read error is on p.list.error.
std::vector<prepare::Preparation> preparations(PrepareUi& p, const prepare::PrepareStore& store,
                                               const FrameContext& ctx) {
  const auto& all = p.list.get(ctx.time_s, [&store] { return store.read(); }, kCantRead);
  ctx.wake_in(p.list.next_in(ctx.time_s));
  return prepare::history_of(all);
}

void start_walk(PrepareUi& p, const prepare::Preparation* from) {
  p.walking = true;
  p.stage = Stage::What;
  p.editing_id = from ? from->id : 0;
  p.words = from ? from->words : prepare::Words{};
  p.error.clear();
  p.saved_note.clear();
}

void draw_list(PrepareUi& p, prepare::PrepareStore& store, const FrameContext& ctx) {
  title("Prepare alone");
  wrapped(
      "Walk the conversation's steps by yourself first, and draft what you'd like to say. It stays on this "
      "device. In a real session, Attune offers your draft when you reach that step; you choose whether to "
      "use it.",
      palette().text_soft);
  gap(6);
  if (primary_button("Start preparing")) start_walk(p, nullptr);
  gap(8);
  const auto all = preparations(p, store, ctx);
  begin_card(palette().surface);
  heading("What you've prepared");
  if (!p.list.error.empty())
    wrapped(p.list.error, palette().text_soft);
  else if (all.empty())
    soft("Nothing yet. It's here whenever you want it.");
  for (const auto& prep : all) {
    ImGui::PushID(static_cast<int>(prep.id));
    wrapped(prepare::headline(prep.words), palette().text, fonts().body_bold);
    soft("Last changed " + journal::local_date_time(prep.updated_ms));
    if (secondary_button("Open and edit")) start_walk(p, &prep);
    ImGui::SameLine();
    if (quiet_button("Remove")) {
      if (const auto problem = store.remove(prep.id)) p.error = problem->message;
      p.list.changed();
    }
    gap(4);
    ImGui::PopID();
  }
  if (!p.error.empty()) wrapped(p.error, palette().alert);
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("prepare_list", a, b);
}

}  // namespace

void open_preparation(UiState& ui, const prepare::Preparation& prep) {
  ui.start_panel = StartPanel::Prepare;
  start_walk(ui.prepare, &prep);
}

void draw_preparations_in_history(UiState& ui, const FrameContext& ctx) {
  const prepare::PrepareStore* store = ctx.dispatch.prepare;
  if (!store) return;
  const auto all = preparations(ui.prepare, *store, ctx);
  if (all.empty() && ui.prepare.list.error.empty()) return;
  begin_card(palette().surface);
  heading("Prepared alone");
  if (!ui.prepare.list.error.empty()) wrapped(ui.prepare.list.error, palette().text_soft);
  soft("Only on this device. Open one to read it again or change it.");
  for (const auto& prep : all) {
    ImGui::PushID(static_cast<int>(prep.id));
    wrapped(prepare::headline(prep.words), palette().text, fonts().body_bold);
    soft("Last changed " + journal::local_date_time(prep.updated_ms));
    if (secondary_button("Open and edit")) open_preparation(ui, prep);
    gap(4);
    ImGui::PopID();
  }
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("history_preparations", a, b);
  gap(8);
}

void draw_prepare(const NodeView&, UiState& ui, const FrameContext& ctx) {
  PrepareUi& p = ui.prepare;
  prepare::PrepareStore* store = ctx.dispatch.prepare;
  if (!store) {
    title("Prepare alone");
    wrapped("Preparing alone isn't available on this device just now: its file couldn't be opened.",
            palette().text_soft);
  } else if (p.walking) {
    draw_walk(p, ui, *store, ctx);
  } else {
    draw_list(p, *store, ctx);
  }
  gap(8);
  if (quiet_button("Back to the start")) ui.start_panel = StartPanel::Home;
}

void draw_prepare_entry(UiState& ui, const FrameContext& ctx) {
  begin_card(palette().surface);
  heading("Not ready to talk yet?");
  soft("Prepare alone: walk the steps for yourself and draft what you'd like to say. Nothing is sent.");
  soft("Practising with a friend? Start a session as usual, and your friend joins in your partner's seat.");
  if (secondary_button("Prepare alone")) {
    ui.start_panel = StartPanel::Prepare;
    ui.prepare.walking = false;
  }
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("prepare_entry", a, b);
  gap(6);
}

}  // namespace attune::app::views
