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

ObserveResult DiscoveryTable::observe(const v1::Beacon& beacon, const Sighting& from, Millis now,
                                      std::optional<Removed>* evicted) {
  drop_old_tombstones(now);
  const uint64_t id = beacon.instance_id();
  // No seat for a newcomer (only older senders say so): nothing to offer in a join list, and it
  // neither adds nor keeps alive an entry, which then leaves as if silent.
  if (withdrawn(id, from.address) || beacon.open_seats() == 0) {
    ++ignored_;
    return ObserveResult::Ignored;
  }
  auto it = hosts_.find(id);
  if (it == hosts_.end()) {
    auto dropped = make_room(from.address);
    if (dropped && evicted) *evicted = std::move(dropped);
    HostEntry entry;
    entry.instance_id = id;
    entry.beacon = beacon;
    entry.sightings.push_back(from);
    entry.origin = from.address;
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

std::optional<Removed> DiscoveryTable::make_room(const std::string& address) {
  // The stalest host of those that count: heard from least recently, the smallest id on a tie.
  auto stalest = [this](auto counts) {
    auto pick = hosts_.end();
    for (auto it = hosts_.begin(); it != hosts_.end(); ++it) {
      if (counts(it->second) && (pick == hosts_.end() || it->second.last_seen < pick->second.last_seen))
        pick = it;
    }
    return pick;
  };
  const auto same_sender = [&address](const HostEntry& e) { return e.origin == address; };
  auto drop = hosts_.end();
  if (static_cast<size_t>(std::count_if(hosts_.begin(), hosts_.end(), [&](const auto& kv) {
        return same_sender(kv.second);
      })) >= kMaxHostsPerAddress) {
    drop = stalest(same_sender);  // One sender crowds out only its own.
  } else if (hosts_.size() >= kMaxHosts) {
    drop = stalest([](const HostEntry&) { return true; });
  }
  if (drop == hosts_.end()) return std::nullopt;
  ++evicted_;
  Removed removed{std::move(drop->second), RemoveReason::Evicted};
  hosts_.erase(drop);
  return removed;
}

GoodbyeResult DiscoveryTable::goodbye(uint64_t instance_id, const Sighting& from, Millis now) {
  drop_old_tombstones(now);
  GoodbyeResult result;
  auto it = hosts_.find(instance_id);
  if (it == hosts_.end()) {
    // Not listed: only a beacon from that same address is kept out (one in flight from a host that closed).
    withdraw_at(instance_id, from.address, now);
    return result;
  }
  auto& paths = it->second.sightings;
  const auto at_from = [&from](const Sighting& s) { return s.address == from.address; };
  if (std::none_of(paths.begin(), paths.end(), at_from)) {
    ++ignored_goodbyes_;  // Someone else speaking for this host.
    return result;
  }
  std::erase_if(paths, at_from);
  if (!paths.empty()) {
    withdraw_at(instance_id, from.address, now);
    result.path_dropped = true;
    return result;
  }
  withdrawn_[instance_id] = Withdrawn{now + kTombstone, {}};  // Every address: the host is gone.
  result.removed = Removed{std::move(it->second), RemoveReason::Goodbye};
  hosts_.erase(it);
  return result;
}

bool DiscoveryTable::withdrawn(uint64_t id, const std::string& address) const {
  const auto it = withdrawn_.find(id);
  if (it == withdrawn_.end()) return false;
  const auto& at = it->second.addresses;
  return at.empty() || std::find(at.begin(), at.end(), address) != at.end();
}

void DiscoveryTable::withdraw_at(uint64_t id, const std::string& address, Millis now) {
  auto [it, fresh] = withdrawn_.try_emplace(id);
  auto& at = it->second.addresses;
  it->second.until = now + kTombstone;
  if (!fresh && at.empty()) return;  // Already withdrawn everywhere.
  if (std::find(at.begin(), at.end(), address) != at.end()) return;
  if (at.size() >= kMaxSightings) at.erase(at.begin());
  at.push_back(address);
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
  std::erase_if(withdrawn_, [now](const auto& kv) { return kv.second.until <= now; });
  // Bound memory even under a flood of goodbyes for made-up ids.
  while (withdrawn_.size() > kMaxWithdrawn) withdrawn_.erase(withdrawn_.begin());
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
