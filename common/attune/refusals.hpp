// Typed refusals with words a UI can show as they are.
#pragma once

#include <string_view>

#include "attune/v1/session.pb.h"

namespace attune {

// The default wording for a refusal code.
std::string_view refusal_text(v1::RefusalCode code);

// A refusal with the given words, or the code's default wording when empty.
v1::Refusal refuse(v1::RefusalCode code, std::string_view message = {});

}  // namespace attune
