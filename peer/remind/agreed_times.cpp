#include "remind/agreed_times.hpp"

namespace attune::remind {

void take_in_agreed_times(ReminderStore& reminders, invite::InviteStore& invitations) {
  std::vector<invite::Appointment> agreed;
  try {
    agreed = invitations.agreed_appointments();
  } catch (const store::StoreError&) {
    return;  // Unreadable for now; the next look tries again.
  }
  for (const invite::Appointment& a : agreed) {
    const Appointment wanted{a.id, a.partner_device_id, a.partner_name, a.at_utc_ms};
    const auto held = reminders.find(a.id);
    if (held && held->appointment.at_utc_ms == wanted.at_utc_ms &&
        held->appointment.partner_device_id == wanted.partner_device_id &&
        held->appointment.partner_name == wanted.partner_name)
      continue;
    reminders.add(wanted);  // A problem (a full list, a full disk) waits for the next look.
  }
}

void take_in_agreed_times(ReminderStore& reminders, const std::filesystem::path& data_dir,
                          std::unique_ptr<invite::InviteStore>& cache) {
  std::error_code ec;
  if (!cache && std::filesystem::exists(invite::invite_file(data_dir), ec))
    cache = invite::InviteStore::open(data_dir, nullptr);
  if (cache) take_in_agreed_times(reminders, *cache);
}

}  // namespace attune::remind
