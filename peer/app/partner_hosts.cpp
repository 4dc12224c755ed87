#include "app/partner_hosts.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "attune/discovery/join_target.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/private_file.hpp"
#include "recent_hosts.hpp"
#include "wall_clock.hpp"

namespace attune::app {
namespace {

constexpr std::size_t kKeep = 20;  // Partners are few; a file never grows past this.

std::filesystem::path hosts_file(const std::filesystem::path& data_dir) { return data_dir / "partner_hosts.json"; }

nlohmann::json read_all(const std::filesystem::path& data_dir) {
  const auto read = identity::read_private_file(hosts_file(data_dir));
  if (!read.contents) {
    if (!read.error.empty()) spdlog::debug("partner addresses not read: {}", read.error);
    return nlohmann::json::object();
  }
  auto all = nlohmann::json::parse(*read.contents, nullptr, false);
  if (!all.is_object()) {
    spdlog::debug("partner addresses in {} are damaged; they are ignored", hosts_file(data_dir).string());
    return nlohmann::json::object();
  }
  return all;
}


// Where this device last reached a host ("host:port"), newest first: what a
// code-free start tries when discovery finds nobody (over a VPN, multicast
// never arrives). The same file `attune discover` keeps.
// Owner-only, like every file in the data folder.
std::string recent_hosts_file(const std::filesystem::path& data_dir) {
  const auto file = data_dir / "recent_hosts.sqlite";
  identity::precreate_private_file(file);
  return file.string();
}

}  // namespace

std::string partner_host(const std::filesystem::path& data_dir, const std::string& device_id) {
  const auto all = read_all(data_dir);
  const auto it = all.find(device_id);
  if (it == all.end() || !it->is_string()) return "";
  const std::string address = it->get<std::string>();
  return discovery::parse_join_target(address).error.empty() ? address : "";
}

void remember_partner_host(const std::filesystem::path& data_dir, const std::string& device_id,
                           const std::string& address) {
  auto all = read_all(data_dir);
  if (all.value(device_id, "") == address) return;
  all[device_id] = address;
  while (all.size() > kKeep) all.erase(all.begin());
  if (const auto problem = identity::write_private_file(hosts_file(data_dir), all.dump() + "\n"))
    spdlog::debug("partner address not kept: {}", *problem);
}

// Once an address of the host answers (the joiner dials them all, in the
// invite's order, on its io thread), that address is the one kept: in the
// recent hosts, and for the session's host once its first view names it.
// After a code pairing, only when that host is the one the handshake just
// pinned; otherwise only when it is the partner this join was for. A later
// reconnect that answers elsewhere keeps the new address for that host.
net::ReplicaEvents remember_host_events(const std::filesystem::path& data_dir, bool code_pairing,
                                        const std::string& partner_id) {
  struct Kept {
    std::string address;  // The address that answered last.
    std::string host_id;  // The trusted host, once its view named it.
    bool named = false;
  };
  auto kept = std::make_shared<Kept>();
  net::ReplicaEvents events;
  events.reached = [=](const std::string& address) {
    if (address == kept->address) return;
    kept->address = address;
    discovery::RecentHosts(recent_hosts_file(data_dir)).remember(address, "", wall_ms());
    if (!kept->host_id.empty()) remember_partner_host(data_dir, kept->host_id, address);
  };
  if (!code_pairing && partner_id.empty()) return events;
  events.state = [=](const State& view, uint64_t, const std::string&) {
    if (kept->named) return;
    for (const auto& p : view.participants()) {
      if (!p.host() || p.id().empty()) continue;
      kept->named = true;
      std::string trusted = partner_id;
      if (code_pairing) {
        identity::PinnedPeerStore pins(data_dir);
        const auto host = pins.load() ? std::nullopt : pins.host();
        trusted = host ? host->device_id : "";
      }
      if (p.id() != trusted) return;
      kept->host_id = p.id();
      // A stored view comes before any dial answered: reached() keeps the address then.
      if (!kept->address.empty()) remember_partner_host(data_dir, p.id(), kept->address);
      return;
    }
  };
  return events;
}

}  // namespace attune::app
