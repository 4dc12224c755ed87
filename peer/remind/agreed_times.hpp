// Where a reminder's time comes from: a repair invitation both partners
// agreed (peer/invite). Each device copies its agreed times into its own
// reminders file before it looks for a due reminder. Copying is idempotent
// (an appointment is keyed by the invitation's id, which both devices share),
// so a crash between the two files loses nothing: the next look copies again.
#pragma once

#include <filesystem>

#include "invite/invite_store.hpp"
#include "remind/reminder_store.hpp"

namespace attune::remind {

// Copies every agreed time it doesn't already hold, unchanged ones untouched
// (no write, no sync). Problems are left for the next look.
void take_in_agreed_times(ReminderStore& reminders, invite::InviteStore& invitations);

// The same, from the data folder's invitations file, kept open in `cache`
// once it exists; nothing is created when there are no invitations.
void take_in_agreed_times(ReminderStore& reminders, const std::filesystem::path& data_dir,
                          std::unique_ptr<invite::InviteStore>& cache);

}  // namespace attune::remind
