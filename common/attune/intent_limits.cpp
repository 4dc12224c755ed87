#include "attune/intent_limits.hpp"

#include <string>

#include "attune/proto_text.hpp"

namespace attune {

std::optional<v1::Refusal> check_outgoing_intent(const Intent& intent) {
  const std::size_t size = intent.ByteSizeLong();
  if (size > kMaxIntentBytes) {
    v1::Refusal refusal;
    refusal.set_code(v1::REFUSAL_CODE_BAD_INPUT);
    refusal.set_message("That's too long to send: it is " + std::to_string(size) +
                        " bytes and Attune sends up to " + std::to_string(kMaxTextBytes) +
                        " of text. Nothing was sent or kept; could you shorten it?");
    return refusal;
  }
  bool changed = false;
  const auto checked = repair_wire_utf8(intent.SerializeAsString(), *intent.GetDescriptor(), &changed);
  if (!checked || changed) {
    v1::Refusal refusal;
    refusal.set_code(v1::REFUSAL_CODE_BAD_INPUT);
    refusal.set_message(
        "That text has characters Attune can't read, so it wasn't sent. Could you type it again?");
    return refusal;
  }
  return std::nullopt;
}

}  // namespace attune
