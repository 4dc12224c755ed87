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

// One {"device_id", "public_key"} entry, or nothing when it isn't whole.
std::optional<std::pair<std::string, crypto::PublicKey>> read_entry(const nlohmann::json& entry) {
  if (!entry.is_object()) return std::nullopt;
  const std::string id = entry.value("device_id", std::string{});
  const auto key = crypto::from_hex(entry.value("public_key", std::string{}));
  if (!crypto::valid_device_id(id) || !key || key->size() != crypto::kPublicKeyBytes) return std::nullopt;
  crypto::PublicKey pk{};
  std::copy(key->begin(), key->end(), pk.begin());
  return std::make_pair(id, pk);
}

}  // namespace

CoachPins::CoachPins(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}

CoachPins::File CoachPins::read(std::string& error) const {
  File out;
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
    if (auto read = read_entry(entry)) out.matched[read->first] = {read->second, entry.value("matched_at_ms", std::int64_t{0})};
  }
  // Written by this version on: a file without it declined nothing.
  if (doc.contains("declined") && doc["declined"].is_array()) {
    for (const auto& entry : doc["declined"]) {
      if (auto read = read_entry(entry)) out.declined[read->first] = read->second;
    }
  }
  return out;
}

std::map<std::string, crypto::PublicKey> CoachPins::load(std::string& error) const {
  std::map<std::string, crypto::PublicKey> out;
  for (const auto& [id, kept] : read(error).matched) out[id] = kept.first;
  return out;
}

std::map<std::string, crypto::PublicKey> CoachPins::declined(std::string& error) const { return read(error).declined; }

std::optional<std::string> CoachPins::save(const File& all) {
  if (auto err = ensure_private_dir(identity_dir(data_dir_))) return err;
  nlohmann::json coaches = nlohmann::json::array();
  for (const auto& [id, kept] : all.matched) {
    coaches.push_back({{"device_id", id},
                       {"public_key", crypto::to_hex(crypto::view_of(kept.first))},
                       {"matched_at_ms", kept.second}});
  }
  nlohmann::json declined = nlohmann::json::array();
  for (const auto& [id, key] : all.declined)
    declined.push_back({{"device_id", id}, {"public_key", crypto::to_hex(crypto::view_of(key))}});
  const nlohmann::json doc = {{"version", kFormatVersion}, {"coaches", coaches}, {"declined", declined}};
  return write_private_file(coach_file(data_dir_), doc.dump(2) + "\n");
}

std::optional<std::string> CoachPins::pin(const std::string& coach_id, const crypto::PublicKey& key,
                                          std::int64_t now_ms) {
  if (!crypto::valid_device_id(coach_id)) return "That device id can't be stored.";
  std::string ignored;  // A damaged file is replaced by what is known now.
  auto all = read(ignored);
  all.matched[coach_id] = {key, now_ms};
  all.declined.erase(coach_id);  // "They match" is the newer word.
  return save(all);
}

std::optional<std::string> CoachPins::decline(const std::string& coach_id, const crypto::PublicKey& key) {
  if (!crypto::valid_device_id(coach_id)) return "That device id can't be stored.";
  std::string ignored;
  auto all = read(ignored);
  // A "no" to another key leaves the match of the one compared before.
  if (const auto it = all.matched.find(coach_id); it != all.matched.end() && it->second.first == key)
    all.matched.erase(it);
  all.declined[coach_id] = key;
  return save(all);
}

std::optional<std::string> CoachPins::forget_device(const std::string& device_id) {
  std::string ignored;
  auto all = read(ignored);
  if (all.matched.erase(device_id) + all.declined.erase(device_id) == 0) return std::nullopt;
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

void load_coach_trust(const std::filesystem::path& data_dir, crypto::CoachKeyWatch& watch, std::string& error) {
  for (const auto& [id, key] : known_coach_keys(data_dir, error)) watch.remember(id, key);
  // A "they differ" wins over a pairing pin of the same key, until "they match".
  for (const auto& [id, key] : CoachPins(data_dir).declined(error)) watch.remember_declined(id, key);
}

}  // namespace attune::identity
