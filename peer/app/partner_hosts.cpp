#include "app/partner_hosts.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "attune/discovery/join_target.hpp"
#include "identity/private_file.hpp"

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

}  // namespace attune::app
