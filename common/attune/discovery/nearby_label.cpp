#include "attune/discovery/nearby_label.hpp"

#include <algorithm>

#include "attune/engine.hpp"
#include "attune/text.hpp"

namespace attune::discovery {

std::string nearby_tag(uint64_t instance_id) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";  // 30 characters.
  // Mix first, so ids that differ only in a few bits still give unrelated tags.
  uint64_t x = instance_id;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  std::string tag;
  for (std::size_t i = 0; i < kNearbyTagChars; ++i) {
    tag.push_back(kAlphabet[x % kAlphabet.size()]);
    x /= kAlphabet.size();
  }
  return tag;
}

std::optional<uint32_t> seats_to_announce(const v1::SessionState& state) {
  if (state.step() != v1::STEP_LOBBY || state.phase() != v1::PHASE_LOBBY || state.started_ms() != 0)
    return std::nullopt;
  int partners = 0;
  int coaches = 0;
  for (const auto& p : state.participants()) {
    if (p.role() == v1::ROLE_COACH) {
      ++coaches;
    } else if (p.role() == v1::ROLE_PARTNER_A || p.role() == v1::ROLE_PARTNER_B) {
      ++partners;
    }
  }
  const int open = (partners < 2 ? 2 - partners : 0) + (coaches < kMaxCoaches ? kMaxCoaches - coaches : 0);
  if (open <= 0) return std::nullopt;
  return static_cast<uint32_t>(open);
}

std::string utf8_prefix(std::string_view text, std::size_t max_bytes) {
  // Names here are short (64 bytes), so trying shorter prefixes is cheap.
  std::size_t end = std::min(text.size(), max_bytes);
  while (end > 0 && !is_valid_utf8(text.substr(0, end))) --end;
  return std::string(text.substr(0, end));
}

}  // namespace attune::discovery
