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

}  // namespace

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
  peers_.insert_or_assign(peer.device_id, PinnedPeer{peer.public_key, now_ms});
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

std::optional<std::string> PinnedPeerStore::set_host(const crypto::PeerIdentity& host, std::int64_t now_ms) {
  if (!crypto::valid_device_id(host.device_id)) return "That device id can't be stored.";
  merge_from_disk();
  peers_.insert_or_assign(host.device_id, PinnedPeer{host.public_key, now_ms});
  host_device_id_ = host.device_id;
  return save();
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
    peers.push_back({{"device_id", id},
                     {"public_key", crypto::to_hex(crypto::view_of(peer.public_key))},
                     {"pinned_at_ms", peer.pinned_at_ms}});
  }
  const nlohmann::json doc = {
      {"version", kFormatVersion}, {"host_device_id", host_device_id_}, {"peers", peers}};
  auto error = write_private_file(pins_file(data_dir_), doc.dump(2) + "\n");
  seen_time_ = file_time();
  return error;
}

}  // namespace attune::identity
