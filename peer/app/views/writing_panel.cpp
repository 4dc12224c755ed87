#include <imgui.h>
#include <imgui_stdlib.h>

#include <string>

#include "app/text_edit.hpp"
#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/intents.hpp"
#include "attune/language/hint_detector.hpp"
#include "attune/language/vocabulary.hpp"
#include "attune/text.hpp"

namespace attune::app::views {

namespace {

// Drafts are kept per step, round and clarification, so nothing typed is
// lost when the floor moves and comes back.
std::string draft_key(const State& s) {
  const uint32_t clar = s.step() == v1::STEP_ACKNOWLEDGE ? s.quick().not_quite()
                       : s.rounds().empty()               ? 0
                                                          : s.rounds(s.rounds().size() - 1).clarifications();
  return std::to_string(s.step()) + ":" + std::to_string(s.rounds().size()) + ":" + std::to_string(clar);
}

// What the session already holds from me for this step.
std::string stored_text(const NodeView& snap) {
  const State& s = snap.state;
  if (s.step() == v1::STEP_SHARE && !s.rounds().empty()) return s.rounds(s.rounds().size() - 1).share_text();
  if (s.step() == v1::STEP_REFLECT && !s.rounds().empty()) {
    const v1::Round& r = s.rounds(s.rounds().size() - 1);
    return r.listening() == v1::LISTEN_STAGE_ADDING ? r.more_text() : r.reflection_text();
  }
  if (s.step() == v1::STEP_ACKNOWLEDGE) return s.quick().acknowledgment_text();
  if (s.step() == v1::STEP_OWN_PART) return s.quick().own_text();
  if (s.step() == v1::STEP_OTHER_PART) return s.quick().other_text();
  const auto& turns = s.step() == v1::STEP_OWN_PATTERN ? s.own_turns() : s.reassure_turns();
  for (const auto& t : turns)
    if (t.partner() == snap.my_role) return t.text();
  return {};
}

// A chosen word or starter goes in where the caret was, and the caret moves past it.
void put_in(std::string& draft, std::size_t& caret, std::string_view words) {
  caret = insert_words(draft, caret == std::string::npos ? draft.size() : caret, words);
}

// A word or starter to put in: a soft, rounded chip in the app's colours,
// in the body's size, roomy enough to hit.
bool word_chip(const std::string& label, ImVec2* min = nullptr, ImVec2* max = nullptr) {
  const Palette& p = palette();
  ImGui::PushStyleColor(ImGuiCol_Button, p.accent_soft);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, p.listen);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, p.breath_soft);
  ImGui::PushStyleColor(ImGuiCol_Text, p.text);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(px(12), px(5)));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, ImGui::GetFontSize());
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
  const bool pressed = ImGui::Button(label.c_str());
  record_last_item_as_button(label);
  if (min) *min = ImGui::GetItemRectMin();
  if (max) *max = ImGui::GetItemRectMax();
  ImGui::PopStyleVar(3);
  ImGui::PopStyleColor(4);
  return pressed;
}

// Chips side by side, on to the next line when the next one wouldn't fit.
void flow_chip(std::size_t i, const std::string& label, float right, float& used) {
  const float width = ImGui::CalcTextSize(label.c_str()).x + px(24);
  if (i > 0 && used + width < right)
    ImGui::SameLine(0, px(6));
  else
    used = 0;
  used += width + px(6);
}

void word_groups(const std::vector<language::WordGroup>& groups, std::string& draft, std::size_t& caret,
                 const FrameContext& ctx) {
  for (const auto& g : groups) {
    ImGui::PushID(g.name.data());
    ImGui::PushFont(fonts().body_bold);
    ImGui::TextUnformatted(g.name.data(), g.name.data() + g.name.size());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::PushFont(fonts().small);
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_soft);
    ImGui::TextUnformatted(g.hint.data(), g.hint.data() + g.hint.size());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    const float right = ImGui::GetContentRegionAvail().x;
    float used = 0;
    for (std::size_t i = 0; i < g.words.size(); ++i) {
      const std::string w(g.words[i]);
      flow_chip(i, w, right, used);
      ImGui::PushID(static_cast<int>(i));
      ImVec2 a, b;
      if (word_chip(w, &a, &b)) put_in(draft, caret, w);
      if (&g == &groups.front() && i == 0) ctx.mark("word_chip", a, b);
      ImGui::PopID();
    }
    gap(4);
    ImGui::PopID();
  }
}

}  // namespace

void draw_hints(const std::string& draft, bool blame, bool defences, ImVec2 box_min, const FrameContext& ctx) {
  if (!blame && !defences) return;
  const auto hints = language::find_hints(draft, {blame, defences});
  for (const auto& h : hints) {
    ImGui::PushID(static_cast<int>(h.begin));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, palette().notice_soft);
    ImGui::Bullet();
    ImGui::SameLine();
    wrapped("\"" + h.phrase + "\": " + h.suggestion, palette().text, fonts().small);
    ImGui::PopStyleColor();
    ImGui::PopID();
  }
  if (!hints.empty()) ctx.mark("hints", box_min, ImGui::GetItemRectMax());
}

void send_draft_if_new(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const std::string& draft = ui.drafts[draft_key(snap.state)];
  if (draft.empty() || draft == stored_text(snap)) return;
  ctx.dispatch.send(intents::write(sanitize_share_text(draft)));
}

// Optional writing: sentence starters, a feelings and needs picker, gentle
// hints for blame language, then share it and/or pass the floor.
void draw_writing(const NodeView& snap, UiState& ui, const FrameContext& ctx) {
  const Palette& p = palette();
  const StepView v = step_view(snap);
  // A new draft starts from what the session already holds from me (after
  // a "not quite", the first share), so adding to it loses nothing.
  const std::string key = draft_key(snap.state);
  if (ui.drafts.find(key) == ui.drafts.end()) ui.drafts[key] = stored_text(snap);
  std::string& draft = ui.drafts[key];

  begin_card(p.surface);
  if (v.actions.write) {
    heading(v.write_label);
    if (!v.stems.empty()) {
      soft("Start with:");
      const float right = ImGui::GetContentRegionAvail().x;
      float used = 0;
      for (std::size_t i = 0; i < v.stems.size(); ++i) {
        flow_chip(i, v.stems[i], right, used);
        ImGui::PushID(static_cast<int>(i));
        ImVec2 a, b;
        if (word_chip(v.stems[i], &a, &b)) {
          const std::string& stem = v.stems[i];
          put_in(draft, ui.draft_caret, stem.substr(0, stem.find("...")));
        }
        if (i == 0) ctx.mark("starter_chip", a, b);
        ImGui::PopID();
      }
    }
    draw_prepared_offer(snap, ui, ctx, &draft);  // A draft prepared alone, to start from (prepared_offer_panel.cpp).
    wrapping_text_box("##draft", &draft, px(110), kMaxTextBytes, &ui.draft_caret);
    const ImVec2 box_min = ImGui::GetItemRectMin(), box_max = ImGui::GetItemRectMax();
    ctx.mark("writing_box", box_min, box_max);
    if (!room_left_note(draft.size(), kMaxTextBytes).empty()) ctx.mark("writing_limit", box_min, box_max);
    if (ImGui::IsItemActive()) ctx.wake_in(0.5);  // Keep the caret blinking while typing.

    draw_hints(draft, v.check_hints, v.check_defences, box_min, ctx);

    if (v.show_vocabulary) {
      // The app's quiet disclosure, sized to its words (a CollapsingHeader
      // spans past the card's edge). The drawer's state is the window's.
      const char* words = "Find words for feelings and needs";
      ImGui::GetStateStorage()->SetBool(ImGui::GetID(words), ui.vocabulary_open);
      ui.vocabulary_open = disclosure(words);
      ctx.mark("vocabulary", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
      focus_stop(FocusKind::Button, words);
      if (ui.vocabulary_open) {
        ImGui::SetNextItemWidth(px(280));
        ImGui::InputTextWithHint("##vocab", "Search, e.g. lonely or respect", &ui.vocabulary_search);
        focus_text_stop("Search words");
        // The tabs choose; the words come after both, so Tab reads
        // "Feelings", "Needs", then the words, as the eye does.
        bool show_needs = false;
        if (ImGui::BeginTabBar("##vocab_tabs")) {
          if (ImGui::BeginTabItem("Feelings")) ImGui::EndTabItem();
          focus_stop(FocusKind::Button, "Feelings");  // Enter or Space opens a tab.
          if (ImGui::BeginTabItem("Needs")) {
            show_needs = true;
            ImGui::EndTabItem();
          }
          focus_stop(FocusKind::Button, "Needs");
          ImGui::EndTabBar();
        }
        word_groups(language::search(show_needs ? language::needs() : language::feelings(), ui.vocabulary_search),
                    draft, ui.draft_caret, ctx);
      }
    }
    gap(4);
  }

  const std::string stored = stored_text(snap);
  if (v.actions.write && !draft.empty() && draft != stored && secondary_button("Show them what I wrote"))
    send_draft_if_new(snap, ui, ctx);
  if (!stored.empty() && draft == stored) soft("They can see what you wrote.");
  ImVec2 a, b;
  end_card(&a, &b);
  ctx.mark("writing", a, b);
}

}  // namespace attune::app::views
