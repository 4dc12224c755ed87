// Typed refusals with words a UI can show as they are.
#pragma once

#include <string_view>

#include "attune/v1/session.pb.h"

namespace attune {

// The default wording for a refusal code.
std::string_view refusal_text(v1::RefusalCode code);

// A refusal with the given words, or the code's default wording when empty.
v1::Refusal refuse(v1::RefusalCode code, std::string_view message = {});

// A refusal that only means "not yet" (the session is paused or waiting for
// check-ins): the same intent may be accepted later, so the host doesn't
// remember it as final and a device may send it again once the session is
// active.
bool refusal_is_transient(v1::RefusalCode code);

}  // namespace attune
