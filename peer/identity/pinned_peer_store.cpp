#include "identity/pinned_peer_store.hpp"

#include <nlohmann/json.hpp>

#include "identity/device_key_store.hpp"
#include "identity/private_file.hpp"

namespace attune::identity {
namespace {

constexpr int kFormatVersion = 1;

std::filesystem::path pins_file(const std::filesystem::path& data_dir) {
  return identity_dir(data_dir) / "pinned_peers.json";
}

const char* role_key(v1::Role role) {
  switch (role) {
    case v1::ROLE_PARTNER_A: return "partner_a";
    case v1::ROLE_PARTNER_B: return "partner_b";
    case v1::ROLE_COACH: return "coach";
    case v1::ROLE_UNSPECIFIED:
    case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return "";
}

// Anything else (a missing field: a pin from before seats were kept) is unknown.
v1::Role role_from(const std::string& key) {
  for (const v1::Role role : {v1::ROLE_PARTNER_A, v1::ROLE_PARTNER_B, v1::ROLE_COACH})
    if (key == role_key(role)) return role;
  return v1::ROLE_UNSPECIFIED;
}

// Paired with a code just now: its seat is kept once the session shows it.
PinnedPeer fresh_pin(const crypto::PublicKey& key, std::int64_t now_ms, PairedAs as) {
  PinnedPeer pin;
  pin.public_key = key;
  pin.pinned_at_ms = now_ms;
  pin.paired_as = as;
  return pin;
}

const char* paired_as_key(PairedAs as) {
  switch (as) {
    case PairedAs::Host: return "host";
    case PairedAs::Joiner: return "joiner";
    case PairedAs::Unknown: break;
  }
  return "";
}

PairedAs paired_as_from(const std::string& key) {
  for (const PairedAs as : {PairedAs::Host, PairedAs::Joiner})
    if (key == paired_as_key(as)) return as;
  return PairedAs::Unknown;
}

bool is_partner(v1::Role role) { return role == v1::ROLE_PARTNER_A || role == v1::ROLE_PARTNER_B; }

}  // namespace

bool paired_as_other_partner(const PinnedPeer& peer) {
  return is_partner(peer.role) && is_partner(peer.my_role) && peer.role != peer.my_role;
}

bool paired_with_a_coach(const PinnedPeer& peer) {
  return peer.role == v1::ROLE_COACH || peer.my_role == v1::ROLE_COACH;
}

bool seat_unknown(const PinnedPeer& peer) {
  return !paired_as_other_partner(peer) && !paired_with_a_coach(peer);
}

std::string seat_words(v1::Role role) {
  switch (role) {
    case v1::ROLE_PARTNER_A: return "partner A";
    case v1::ROLE_PARTNER_B: return "partner B";
    case v1::ROLE_COACH: return "a coach";
    case v1::ROLE_UNSPECIFIED:
    case v1::Role_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Role_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return "";
}

PinnedPeerStore::PinnedPeerStore(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}

std::optional<std::filesystem::file_time_type> PinnedPeerStore::file_time() const {
  std::error_code ec;
  const auto time = std::filesystem::last_write_time(pins_file(data_dir_), ec);
  if (ec) return std::nullopt;
  return time;
}

bool PinnedPeerStore::reload_if_changed() {
  if (file_time() == seen_time_) return false;
  merge_from_disk();
  return true;
}

void PinnedPeerStore::merge_from_disk() {
  auto peers = peers_;
  auto host = host_device_id_;
  if (load()) {
    peers_ = std::move(peers);
    host_device_id_ = std::move(host);
  }
}

std::optional<std::string> PinnedPeerStore::load() {
  peers_.clear();
  host_device_id_.clear();
  seen_time_ = file_time();
  const std::filesystem::path file = pins_file(data_dir_);
  ReadResult read = read_private_file(file);
  if (!read.error.empty()) return read.error;
  if (!read.contents) return std::nullopt;
  const nlohmann::json doc = nlohmann::json::parse(*read.contents, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("version", 0) != kFormatVersion ||
      !doc.contains("peers") || !doc["peers"].is_array()) {
    return "The list of paired devices (" + file.string() +
           ") is damaged, so reconnecting needs a code again.";
  }
  host_device_id_ = doc.value("host_device_id", std::string{});
  for (const auto& entry : doc["peers"]) {
    if (!entry.is_object()) continue;
    const std::string id = entry.value("device_id", std::string{});
    const auto key = crypto::from_hex(entry.value("public_key", std::string{}));
    if (!crypto::valid_device_id(id) || !key || key->size() != crypto::kPublicKeyBytes) continue;
    PinnedPeer peer;
    std::copy(key->begin(), key->end(), peer.public_key.begin());
    peer.pinned_at_ms = entry.value("pinned_at_ms", std::int64_t{0});
    peer.role = role_from(entry.value("role", std::string{}));
    peer.my_role = role_from(entry.value("my_role", std::string{}));
    peer.name = entry.value("name", std::string{});
    peer.paired_as = paired_as_from(entry.value("paired_as", std::string{}));
    peers_.insert_or_assign(id, peer);
  }
  return std::nullopt;
}

PinCheck PinnedPeerStore::check(const crypto::PeerIdentity& peer) const {
  const auto it = peers_.find(peer.device_id);
  if (it == peers_.end()) return PinCheck::Unknown;
  return it->second.public_key == peer.public_key ? PinCheck::Matches : PinCheck::Changed;
}

std::optional<PinnedPeer> PinnedPeerStore::find(std::string_view device_id) const {
  const auto it = peers_.find(device_id);
  if (it == peers_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> PinnedPeerStore::pin(const crypto::PeerIdentity& peer, std::int64_t now_ms) {
  if (!crypto::valid_device_id(peer.device_id)) return "That device id can't be stored.";
  merge_from_disk();
  peers_.insert_or_assign(peer.device_id, fresh_pin(peer.public_key, now_ms, PairedAs::Host));
  return save();
}

std::optional<std::string> PinnedPeerStore::note_seat(std::string_view device_id, v1::Role role, v1::Role my_role,
                                                      const std::string& name) {
  if (role_from(role_key(role)) == v1::ROLE_UNSPECIFIED || role_from(role_key(my_role)) == v1::ROLE_UNSPECIFIED)
    return std::nullopt;
  const auto same = [&] {
    const auto it = peers_.find(device_id);
    return it != peers_.end() && it->second.role == role && it->second.my_role == my_role && it->second.name == name;
  };
  if (same()) return std::nullopt;
  merge_from_disk();  // The pin may have been written a moment ago by another part of this process.
  const auto it = peers_.find(device_id);
  if (it == peers_.end() || same()) return std::nullopt;
  it->second.role = role;
  it->second.my_role = my_role;
  it->second.name = name;
  return save();
}

std::optional<std::string> PinnedPeerStore::forget(std::string_view device_id) {
  merge_from_disk();
  const auto it = peers_.find(device_id);
  if (it == peers_.end()) return std::nullopt;
  peers_.erase(it);
  return save();
}

std::optional<crypto::PeerIdentity> PinnedPeerStore::host() const {
  const auto it = peers_.find(host_device_id_);
  if (host_device_id_.empty() || it == peers_.end()) return std::nullopt;
  return crypto::PeerIdentity{host_device_id_, it->second.public_key};
}

std::optional<crypto::PeerIdentity> PinnedPeerStore::pinned(std::string_view device_id) const {
  const auto it = peers_.find(device_id);
  if (device_id.empty() || it == peers_.end()) return std::nullopt;
  return crypto::PeerIdentity{std::string(device_id), it->second.public_key};
}

std::optional<std::string> PinnedPeerStore::set_host(const crypto::PeerIdentity& host, std::int64_t now_ms) {
  if (!crypto::valid_device_id(host.device_id)) return "That device id can't be stored.";
  merge_from_disk();
  peers_.insert_or_assign(host.device_id, fresh_pin(host.public_key, now_ms, PairedAs::Joiner));
  host_device_id_ = host.device_id;
  return save();
}

std::optional<std::string> PinnedPeerStore::code_pairing_refusal(const crypto::PeerIdentity& host) {
  merge_from_disk();
  const auto it = peers_.find(host.device_id);
  if (it == peers_.end() || it->second.public_key == host.public_key) return std::nullopt;
  if (host.device_id == host_device_id_ && seat_unknown(it->second)) return std::nullopt;
  const std::string who = paired_as_other_partner(it->second) ? "your partner's device"
                          : paired_with_a_coach(it->second)   ? "a coach's device"
                                                              : "a device you paired with before";
  return "This host uses the name of " + who + " (\"" + host.device_id + "\") with a different security key (" +
         crypto::key_fingerprint(host.public_key) + " instead of " + crypto::key_fingerprint(it->second.public_key) +
         "), so we didn't pair with it. If that device really was set up again, forget the old pairing first "
         "(attune devices forget " + host.device_id + ") and then pair with the code.";
}

std::vector<std::pair<std::string, PinnedPeer>> PinnedPeerStore::list() const {
  return {peers_.begin(), peers_.end()};
}

pairing::PinnedKeys PinnedPeerStore::keys() const {
  pairing::PinnedKeys out;
  for (const auto& [id, peer] : peers_) out.emplace(id, peer.public_key);
  return out;
}

std::string PinnedPeerStore::changed_key_message(const crypto::PeerIdentity& peer,
                                                 const crypto::PublicKey& pinned) {
  return "The device \"" + peer.device_id + "\" came back with a different security key (" +
         crypto::key_fingerprint(peer.public_key) + " instead of " + crypto::key_fingerprint(pinned) +
         "), so we didn't let it reconnect. If it was set up again, pair it with a new code.";
}

std::optional<std::string> PinnedPeerStore::save() {
  if (auto err = ensure_private_dir(identity_dir(data_dir_))) return err;
  nlohmann::json peers = nlohmann::json::array();
  for (const auto& [id, peer] : peers_) {
    nlohmann::json entry = {{"device_id", id},
                            {"public_key", crypto::to_hex(crypto::view_of(peer.public_key))},
                            {"pinned_at_ms", peer.pinned_at_ms}};
    if (*role_key(peer.role) && *role_key(peer.my_role)) {
      entry["role"] = role_key(peer.role);
      entry["my_role"] = role_key(peer.my_role);
    }
    if (!peer.name.empty()) entry["name"] = peer.name;
    if (*paired_as_key(peer.paired_as)) entry["paired_as"] = paired_as_key(peer.paired_as);
    peers.push_back(std::move(entry));
  }
  const nlohmann::json doc = {
      {"version", kFormatVersion}, {"host_device_id", host_device_id_}, {"peers", peers}};
  auto error = write_private_file(pins_file(data_dir_), doc.dump(2) + "\n");
  seen_time_ = file_time();
  return error;
}

}  // namespace attune::identity
