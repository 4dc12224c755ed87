// In a real session, at a step this device's person prepared for alone: a
// small card offers their draft to start their writing from. Choosing it
// fills this screen's box only; nothing is sent until they send it as they
// would anything they typed. And step 7, after a quick repair grew into
// the whole conversation, starts from the part they already named.
#include <imgui.h>

#include <string>

#include "app/theme.hpp"
#include "app/views/panels.hpp"
#include "app/widgets.hpp"
#include "attune/prepare/carry_over.hpp"
#include "attune/text.hpp"
#include "prepare/prepare_store.hpp"

namespace attune::app::views {

namespace {

// Which box a prepared part fills when the step has no writing box.
std::string* box_outside_writing(const NodeView& snap, UiState& ui) {
  switch (snap.state.step()) {
    case v1::STEP_BENEFIT:
      return &ui.private_note;
    case v1::STEP_RECONNECT:
      return &ui.gesture_draft;
    default:
      return nullptr;
  }
}

// Step 7 after a quick repair: the box starts from what I already named, once.
void carry_over_from_quick(const NodeView& snap, PrepareUi& p, const std::string& moment, std::string& box) {
  if (snap.state.step() != v1::STEP_OWN_PATTERN || p.prefilled_moment == moment) return;
  const std::string said = prepare::said_in_quick_repair(snap.state, snap.my_role);
  if (said.empty()) return;
  p.prefilled_moment = moment;
  if (box.empty()) box = said;
}

// Inside the writing card (`in_card`) it is a plain group: cards don't nest.
void offer_card(PrepareUi& p, const std::string& moment, std::string& box, bool in_card, const FrameContext& ctx) {
  const prepare::Offer& offer = *p.offer;
  if (in_card)
    ImGui::BeginGroup();
  else
    begin_card(palette().accent_soft);
  ImGui::PushFont(fonts().body_bold);
  ImGui::TextUnformatted("You prepared something for this");
  ImGui::PopFont();
  const std::string preview = sanitize_display_text(offer.text);
  const std::string_view cut = utf8_prefix(preview, 160);
  wrapped("\"" + std::string(cut) + (cut.size() < preview.size() ? "...\"" : "\""), palette().text);
  soft(offer.part == prepare::Part::Generous ? "It stays here, just for you."
                                             : "Nothing is sent until you choose to send it.");
  if (primary_button("Start from my draft")) {
    box = offer.text;
    p.used_moment = moment;
  }
  ImGui::SameLine();
  if (quiet_button("Not now")) p.declined_moment = moment;
  ImVec2 a, b;
  if (in_card) {
    ImGui::EndGroup();
    a = ImGui::GetItemRectMin();
    b = ImGui::GetItemRectMax();
  } else {
    end_card(&a, &b);
  }
  ctx.mark("prepared_offer", a, b);
  gap(4);
}

}  // namespace

void draw_prepared_offer(const NodeView& snap, UiState& ui, const FrameContext& ctx, std::string* target) {
  std::string* box = target ? target : box_outside_writing(snap, ui);
  if (!box) return;
  PrepareUi& p = ui.prepare;
  const std::string moment = prepare::offer_moment(snap.state);
  carry_over_from_quick(snap, p, moment, *box);
  const auto part = prepare::part_asked_of(snap.state, snap.my_role);
  if (!part || !ctx.dispatch.prepare) return;
  if (p.offer_moment != moment) {  // The file is read once per moment, not every frame.
    p.offer_moment = moment;
    p.offer = prepare::offer_for(ctx.dispatch.prepare->list(), *part);
  }
  if (!p.offer || p.declined_moment == moment || p.used_moment == moment || *box == p.offer->text) return;
  offer_card(p, moment, *box, target != nullptr, ctx);
}

}  // namespace attune::app::views
