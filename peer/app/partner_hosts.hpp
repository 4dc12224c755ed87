// Where this device last reached each paired partner's session, by that
// partner's device id (<data_dir>/partner_hosts.json, 0600): what "Start
// now" dials when discovery finds nobody (over a VPN multicast never
// arrives). An address is kept only for the device it was learned from: the
// host a code pairing just authenticated, or the partner a "Start now" was
// for, as the session it joined names its host. Never another host this
// device joined once. A damaged file is read as empty (a debug line says so).
#pragma once

#include <filesystem>
#include <string>

namespace attune::app {

// "host:port", or "" when none is kept for this device.
std::string partner_host(const std::filesystem::path& data_dir, const std::string& device_id);
void remember_partner_host(const std::filesystem::path& data_dir, const std::string& device_id,
                           const std::string& address);

}  // namespace attune::app
