#include "identity/coach_pins.hpp"

#include <nlohmann/json.hpp>

#include "identity/device_key_store.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/private_file.hpp"

namespace attune::identity {
namespace {

constexpr int kFormatVersion = 1;

std::filesystem::path coach_file(const std::filesystem::path& data_dir) {
  return identity_dir(data_dir) / "coach_pins.json";
}

}  // namespace

CoachPins::CoachPins(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}

std::map<std::string, std::pair<crypto::PublicKey, std::int64_t>> CoachPins::read(std::string& error) const {
  std::map<std::string, std::pair<crypto::PublicKey, std::int64_t>> out;
  const auto file = coach_file(data_dir_);
  const ReadResult got = read_private_file(file);
  if (!got.error.empty()) error = got.error;
  if (!got.contents) return out;
  const nlohmann::json doc = nlohmann::json::parse(*got.contents, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("version", 0) != kFormatVersion ||
      !doc.contains("coaches") || !doc["coaches"].is_array()) {
    error = "The list of coaches you compared (" + file.string() + ") is damaged, so each coach's check number is "
            "compared again.";
    return out;
  }
  for (const auto& entry : doc["coaches"]) {
    if (!entry.is_object()) continue;
    const std::string id = entry.value("device_id", std::string{});
    const auto key = crypto::from_hex(entry.value("public_key", std::string{}));
    if (!crypto::valid_device_id(id) || !key || key->size() != crypto::kPublicKeyBytes) continue;
    crypto::PublicKey pk{};
    std::copy(key->begin(), key->end(), pk.begin());
    out[id] = {pk, entry.value("matched_at_ms", std::int64_t{0})};
  }
  return out;
}

std::map<std::string, crypto::PublicKey> CoachPins::load(std::string& error) const {
  std::map<std::string, crypto::PublicKey> out;
  for (const auto& [id, kept] : read(error)) out[id] = kept.first;
  return out;
}

std::optional<std::string> CoachPins::save(
    const std::map<std::string, std::pair<crypto::PublicKey, std::int64_t>>& all) {
  if (auto err = ensure_private_dir(identity_dir(data_dir_))) return err;
  nlohmann::json coaches = nlohmann::json::array();
  for (const auto& [id, kept] : all) {
    coaches.push_back({{"device_id", id},
                       {"public_key", crypto::to_hex(crypto::view_of(kept.first))},
                       {"matched_at_ms", kept.second}});
  }
  const nlohmann::json doc = {{"version", kFormatVersion}, {"coaches", coaches}};
  return write_private_file(coach_file(data_dir_), doc.dump(2) + "\n");
}

std::optional<std::string> CoachPins::pin(const std::string& coach_id, const crypto::PublicKey& key,
                                          std::int64_t now_ms) {
  if (!crypto::valid_device_id(coach_id)) return "That device id can't be stored.";
  std::string ignored;  // A damaged file is replaced by what is known now.
  auto all = read(ignored);
  all[coach_id] = {key, now_ms};
  return save(all);
}

std::optional<std::string> CoachPins::forget(const std::string& coach_id, const crypto::PublicKey& key) {
  std::string ignored;
  auto all = read(ignored);
  const auto it = all.find(coach_id);
  if (it == all.end() || it->second.first != key) return std::nullopt;
  all.erase(it);
  return save(all);
}

std::map<std::string, crypto::PublicKey> known_coach_keys(const std::filesystem::path& data_dir, std::string& error) {
  PinnedPeerStore paired(data_dir);
  std::map<std::string, crypto::PublicKey> out;
  if (auto problem = paired.load()) error = *problem;
  for (const auto& [id, peer] : paired.list()) out[id] = peer.public_key;
  // A comparison the person made is the newer word on that coach.
  for (const auto& [id, key] : CoachPins(data_dir).load(error)) out[id] = key;
  return out;
}

}  // namespace attune::identity
