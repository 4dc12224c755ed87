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

#include "net/replica_events.hpp"

namespace attune::app {

// "host:port", or "" when none is kept for this device.
std::string partner_host(const std::filesystem::path& data_dir, const std::string& device_id);
void remember_partner_host(const std::filesystem::path& data_dir, const std::string& device_id,
                           const std::string& address);

// The events a joining device (window or headless) keeps addresses with:
// every address that answered goes into the recent hosts; the session's
// host's goes into partner_hosts.json once its first view names that host,
// when it is the host a code pairing (`code_pairing`) just pinned, or else
// the partner `partner_id` this join was for ("" for neither: only the
// recent hosts).
net::ReplicaEvents remember_host_events(const std::filesystem::path& data_dir, bool code_pairing,
                                        const std::string& partner_id);

}  // namespace attune::app
