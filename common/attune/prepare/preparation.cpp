#include "attune/prepare/preparation.hpp"

#include <algorithm>

#include "attune/text.hpp"

namespace attune::prepare {

namespace {

struct PartNames {
  Part part;
  std::string_view name;
  std::string_view title;
};

constexpr std::array<PartNames, 6> kNames = {{
    {Part::What, "what", "What happened"},
    {Part::Generous, "generous", "A generous reading"},
    {Part::Share, "share", "Your share"},
    {Part::OwnPart, "own_part", "Your part in the pattern"},
    {Part::Reassure, "reassure", "What you want them to hear"},
    {Part::Gesture, "gesture", "A gesture you'd offer"},
}};

const PartNames& names_of(Part part) {
  for (const auto& n : kNames)
    if (n.part == part) return n;
  return kNames[0];
}

std::string too_long(Part part) {
  const std::size_t max = max_bytes(part);
  const std::string about = max >= 1024 ? std::to_string(max / 1024) + " thousand" : std::to_string(max);
  return std::string(names_of(part).title) + " is a little long to keep. Try fewer words (up to about " + about +
         " characters).";
}

}  // namespace

std::size_t max_bytes(Part part) {
  switch (part) {
    case Part::What:
      return kMaxWhatBytes;
    case Part::Gesture:
      return kMaxGestureBytes;
    case Part::Generous:
    case Part::Share:
    case Part::OwnPart:
    case Part::Reassure:
      return kMaxTextBytes;
  }
  return kMaxTextBytes;
}

std::string& text_of(Words& words, Part part) {
  return const_cast<std::string&>(text_of(static_cast<const Words&>(words), part));
}

const std::string& text_of(const Words& words, Part part) {
  switch (part) {
    case Part::What:
      return words.what;
    case Part::Generous:
      return words.generous;
    case Part::Share:
      return words.share;
    case Part::OwnPart:
      return words.own_part;
    case Part::Reassure:
      return words.reassure;
    case Part::Gesture:
      return words.gesture;
  }
  return words.what;
}

std::variant<Words, Problem> accept_words(const Words& words) {
  Words out = words;
  bool any = false;
  for (Part part : kParts) {
    const std::string& raw = text_of(words, part);
    if (!is_valid_utf8(raw))
      return Problem{"Some of those characters couldn't be read. Try typing the words again."};
    std::string clean = sanitize_share_text(raw);
    if (is_invisible(clean)) clean.clear();
    if (clean.size() > max_bytes(part)) return Problem{too_long(part)};
    any = any || !clean.empty();
    text_of(out, part) = std::move(clean);
  }
  if (words.activation != kNoActivation && (words.activation < 0 || words.activation > 10))
    return Problem{"Activation is a number from 0 (calm) to 10 (overwhelmed)."};
  if (!any) return Problem{"Write a few words somewhere first, even just what happened. It's only for you."};
  return out;
}

std::variant<Preparation, Problem> accept_new(const Words& words, int64_t now_ms) {
  auto accepted = accept_words(words);
  if (auto* problem = std::get_if<Problem>(&accepted)) return *problem;
  Preparation p;
  p.created_ms = now_ms;
  p.updated_ms = now_ms;
  p.words = std::get<Words>(std::move(accepted));
  return p;
}

std::variant<Preparation, Problem> accept_edit(const Preparation& before, const Words& words, int64_t now_ms) {
  auto accepted = accept_words(words);
  if (auto* problem = std::get_if<Problem>(&accepted)) return *problem;
  Preparation p = before;
  p.words = std::get<Words>(std::move(accepted));
  // A clock set back never makes an edit older than the preparation itself.
  p.updated_ms = std::max(now_ms, before.created_ms);
  return p;
}

bool wants_pacer(int activation) { return activation > kPacerAbove; }

std::optional<Part> part_for_step(v1::Step step) {
  switch (step) {
    case v1::STEP_BENEFIT:
      return Part::Generous;
    case v1::STEP_SHARE:
      return Part::Share;
    case v1::STEP_OWN_PATTERN:
    case v1::STEP_OWN_PART:
    case v1::STEP_OTHER_PART:
      return Part::OwnPart;
    case v1::STEP_REASSURE:
      return Part::Reassure;
    case v1::STEP_RECONNECT:
      return Part::Gesture;
    default:
      return std::nullopt;
  }
}

std::optional<Offer> offer_for(const std::vector<Preparation>& preparations, Part part) {
  const Preparation* best = nullptr;
  for (const auto& p : preparations) {
    if (text_of(p.words, part).empty()) continue;
    if (!best || p.updated_ms > best->updated_ms || (p.updated_ms == best->updated_ms && p.id > best->id))
      best = &p;
  }
  if (!best) return std::nullopt;
  return Offer{best->id, part, std::string(text_of(best->words, part)), best->updated_ms};
}

std::vector<Preparation> history_of(std::vector<Preparation> preparations) {
  std::stable_sort(preparations.begin(), preparations.end(), [](const Preparation& a, const Preparation& b) {
    return a.updated_ms != b.updated_ms ? a.updated_ms > b.updated_ms : a.id > b.id;
  });
  return preparations;
}

std::string headline(const Words& words, std::size_t max) {
  for (Part part : kParts) {
    const std::string line = sanitize_display_text(text_of(words, part));
    if (line.empty()) continue;
    const std::string_view cut = utf8_prefix(line, max);
    return cut.size() < line.size() ? std::string(trim(cut)) + "..." : line;
  }
  return "A preparation";
}

std::string_view part_name(Part part) { return names_of(part).name; }
std::string_view part_title(Part part) { return names_of(part).title; }

std::optional<Part> parse_part(std::string_view name) {
  for (const auto& n : kNames)
    if (n.name == name) return n.part;
  return std::nullopt;
}

}  // namespace attune::prepare
