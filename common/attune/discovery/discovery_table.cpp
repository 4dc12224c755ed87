#include "attune/discovery/discovery_table.hpp"

#include <algorithm>

namespace attune::discovery {

namespace {

bool same_details(const v1::Beacon& a, const v1::Beacon& b) {
  return a.session_name() == b.session_name() && a.host_name() == b.host_name() && a.port() == b.port() &&
         a.open_seats() == b.open_seats() && a.interval_ms() == b.interval_ms();
}

}  // namespace

Millis DiscoveryTable::expiry_for(uint32_t interval_ms, Millis now) {
  // Three missed beacons plus half an interval of slack for jitter.
  const auto interval = Millis(interval_ms);
  return now + kMissedBeacons * interval + interval / 2;
}

ObserveResult DiscoveryTable::observe(const v1::Beacon& beacon, const Sighting& from, Millis now) {
  drop_old_tombstones(now);
  const uint64_t id = beacon.instance_id();
  // No seat for a newcomer (only older senders say so): nothing to offer in a join list, and it
  // neither adds nor keeps alive an entry, which then leaves as if silent.
  if (withdrawn_until_.contains(id) || beacon.open_seats() == 0) {
    ++ignored_;
    return ObserveResult::Ignored;
  }
  auto it = hosts_.find(id);
  if (it == hosts_.end()) {
    if (hosts_.size() >= kMaxHosts) {
      ++ignored_;
      return ObserveResult::Ignored;
    }
    HostEntry entry;
    entry.instance_id = id;
    entry.beacon = beacon;
    entry.sightings.push_back(from);
    entry.first_seen = now;
    entry.last_seen = now;
    entry.expires_at = expiry_for(beacon.interval_ms(), now);
    hosts_.emplace(id, std::move(entry));
    return ObserveResult::Added;
  }
  HostEntry& entry = it->second;
  entry.last_seen = std::max(entry.last_seen, now);
  entry.expires_at = std::max(entry.expires_at, expiry_for(beacon.interval_ms(), now));
  auto seen = std::find(entry.sightings.begin(), entry.sightings.end(), from);
  bool new_path = false;
  if (seen == entry.sightings.end()) {
    new_path = true;
    if (entry.sightings.size() >= kMaxSightings) entry.sightings.erase(entry.sightings.begin());
    entry.sightings.push_back(from);
  }
  if (!same_details(entry.beacon, beacon)) {
    entry.beacon = beacon;
    return ObserveResult::Updated;
  }
  return new_path ? ObserveResult::Updated : ObserveResult::Refreshed;
}

std::optional<Removed> DiscoveryTable::goodbye(uint64_t instance_id, Millis now) {
  drop_old_tombstones(now);
  withdrawn_until_[instance_id] = now + kTombstone;
  auto it = hosts_.find(instance_id);
  if (it == hosts_.end()) return std::nullopt;
  Removed removed{std::move(it->second), RemoveReason::Goodbye};
  hosts_.erase(it);
  return removed;
}

std::vector<Removed> DiscoveryTable::expire(Millis now) {
  drop_old_tombstones(now);
  std::vector<Removed> out;
  for (auto it = hosts_.begin(); it != hosts_.end();) {
    if (it->second.expires_at <= now) {
      out.push_back(Removed{std::move(it->second), RemoveReason::Expired});
      it = hosts_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::optional<Millis> DiscoveryTable::next_expiry() const {
  std::optional<Millis> next;
  for (const auto& [id, entry] : hosts_) {
    if (!next || entry.expires_at < *next) next = entry.expires_at;
  }
  return next;
}

void DiscoveryTable::drop_old_tombstones(Millis now) {
  std::erase_if(withdrawn_until_, [now](const auto& kv) { return kv.second <= now; });
  // Bound memory even under a flood of goodbyes for made-up ids.
  while (withdrawn_until_.size() > 4 * kMaxHosts) withdrawn_until_.erase(withdrawn_until_.begin());
}

std::vector<HostAddress> join_targets(const HostEntry& entry) {
  std::vector<HostAddress> v4;
  std::vector<HostAddress> v6;
  const auto port = static_cast<uint16_t>(entry.beacon.port());
  for (const auto& s : entry.sightings) {
    const bool is_v6 = s.address.find(':') != std::string::npos;
    const auto parsed = parse_host_address(is_v6 ? "[" + s.address + "]" : s.address, port);
    if (!parsed.address) continue;
    auto& list = is_v6 ? v6 : v4;
    if (std::find(list.begin(), list.end(), *parsed.address) == list.end()) list.push_back(*parsed.address);
  }
  v4.insert(v4.end(), v6.begin(), v6.end());
  return v4;
}

}  // namespace attune::discovery
