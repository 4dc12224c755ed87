// What a partner is told about a coach's check number, in plain words: the
// window's opt-in card and the headless `coach_check` line say the same.
#pragma once

#include <string>

#include "attune/crypto/coach_seal.hpp"

namespace attune {

// `name` is the coach's display name as the host named it (made safe to show).
std::string coach_check_words(const crypto::CoachCheck& check, const std::string& name);
// Whether the person is asked "They match" / "They don't match" now.
bool coach_check_asks(crypto::CoachTrust trust);
// "unchecked", "matched", "declined", "changed", "proven", "refused".
std::string coach_trust_name(crypto::CoachTrust trust);

}  // namespace attune
