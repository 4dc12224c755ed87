// An invitation and an agreed time as JSON, the same for the headless
// commands and the postbox's events. Times go out in UTC and in this
// device's local time.
#pragma once

#include <nlohmann/json.hpp>

#include "attune/invite/invitation.hpp"

namespace attune::invite {

nlohmann::json invitation_json(const Invitation& invitation);
// The `invitation_agreed` event: what the reminder is wired to.
nlohmann::json agreed_event(const Appointment& appointment);
nlohmann::json time_json(int64_t utc_ms);

}  // namespace attune::invite
