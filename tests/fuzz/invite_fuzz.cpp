// Fuzzes the invite-string parser with whatever might be pasted. A parsed
// invite must hold only what the limits allow and must encode back into an
// invite that parses to the same thing; errors must have words for the user.
#include "attune/discovery/invite_code.hpp"
#include "fuzz_support.hpp"

namespace disc = attune::discovery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)disc::looks_like_invite(text);

  const disc::InviteParse parsed = disc::parse_invite(text);
  FUZZ_CHECK(parsed.invite.has_value() == (parsed.error == disc::InviteError::None));
  if (parsed.invite) {
    const auto& info = *parsed.invite;
    FUZZ_CHECK(!info.addresses.empty());
    FUZZ_CHECK(info.addresses.size() <= disc::kMaxInviteAddresses);
    FUZZ_CHECK(info.host_names.size() <= disc::kMaxInviteHostNames);
    FUZZ_CHECK(info.session_code.size() <= disc::kMaxSessionCodeBytes);
    FUZZ_CHECK(info.port != 0);
    const disc::InviteEncode enc = disc::encode_invite(info);
    FUZZ_CHECK(enc.error == disc::InviteError::None);
    const disc::InviteParse back = disc::parse_invite(enc.text);
    FUZZ_CHECK(back.invite.has_value());
    FUZZ_CHECK(*back.invite == info);
  } else {
    FUZZ_CHECK(!disc::describe(parsed.error).empty());
  }

  // Base32 on its own: whatever decodes must encode back to the same bytes.
  if (const auto raw = disc::base32_decode(text)) {
    const auto again = disc::base32_decode(disc::base32_encode(*raw));
    FUZZ_CHECK(again.has_value() && *again == *raw);
  }
  return 0;
}
