// Fuzzes the one text validator every door uses (attune/text.hpp) and the
// protobuf UTF-8 repair behind the store and the wire (attune/proto_text.hpp).
// Whatever the bytes: the result is valid UTF-8, holds nothing that can drive
// a terminal, cleaning twice changes nothing, and a repaired message always
// parses back.
#include <google/protobuf/stubs/logging.h>

#include "attune/intent_limits.hpp"
#include "attune/proto_text.hpp"
#include "attune/text.hpp"
#include "fuzz_support.hpp"

namespace {

// No C0 (other than those allowed), DEL, C1 (U+0080..U+009F) or bidi
// embedding/override/isolate (U+202A..U+202E, U+2066..U+2069).
bool inert(std::string_view text, bool lines_allowed) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 && !(lines_allowed && (b == '\n' || b == '\t'))) return false;
    if (b == 0x7F) return false;
    if (b == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return false;
    if (b == 0xE2 && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) return false;
      if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // protobuf logs every string it refuses to parse; that is the point here.
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string repaired = attune::repair_utf8(text);
  FUZZ_CHECK(attune::is_valid_utf8(repaired));
  if (attune::is_valid_utf8(text)) FUZZ_CHECK(repaired == text);

  const std::string shown = attune::sanitize_display_text(text);
  FUZZ_CHECK(attune::is_valid_utf8(shown) && inert(shown, false));
  FUZZ_CHECK(attune::sanitize_display_text(shown) == shown);

  const std::string share = attune::sanitize_share_text(text);
  FUZZ_CHECK(attune::is_valid_utf8(share) && inert(share, true));
  FUZZ_CHECK(attune::sanitize_share_text(share) == share);

  const std::string name = attune::clean_name(text);
  FUZZ_CHECK(attune::is_valid_utf8(name) && inert(name, false));
  FUZZ_CHECK(name.empty() == attune::is_invisible(name));
  FUZZ_CHECK(attune::clean_name(name) == name);
  FUZZ_CHECK(name.empty() || (name.front() != ' ' && name.back() != ' '));
  FUZZ_CHECK(attune::name_problem(name, attune::kMaxNameBytes, "name").empty() ==
             (!name.empty() && name.size() <= attune::kMaxNameBytes));

  const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  const auto prefix = attune::utf8_prefix(repaired, cut);
  FUZZ_CHECK(prefix.size() <= cut || prefix.size() == repaired.size());
  FUZZ_CHECK(attune::is_valid_utf8(prefix));

  // The same bytes as a stored or received message.
  attune::v1::SessionState state;
  if (attune::parse_repairing(text, state)) {
    attune::v1::SessionState back;
    FUZZ_CHECK(back.ParseFromString(attune::serialize_readable(state)));
  }
  attune::v1::Intent intent;
  if (attune::parse_repairing(text, intent) && !attune::check_outgoing_intent(intent)) {
    FUZZ_CHECK(intent.ByteSizeLong() <= attune::kMaxIntentBytes);
  }
  return 0;
}
