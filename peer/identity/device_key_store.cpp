#include "identity/device_key_store.hpp"

#include <nlohmann/json.hpp>

#include "identity/private_file.hpp"

namespace attune::identity {
namespace {

constexpr int kFormatVersion = 1;
constexpr std::size_t kDeviceIdBytes = 16;

std::filesystem::path key_file(const std::filesystem::path& data_dir) {
  return identity_dir(data_dir) / "device.json";
}

std::string damaged(const std::filesystem::path& file, const std::string& why) {
  return "This device's security key file (" + file.string() + ") can't be used: " + why +
         ". We left it untouched. If you move it away, Attune makes a new key, and you'll need to pair "
         "again with a code.";
}

}  // namespace

std::filesystem::path identity_dir(const std::filesystem::path& data_dir) { return data_dir / "identity"; }

DeviceKeyResult load_or_create_device_key(const std::filesystem::path& data_dir,
                                          const crypto::RandomFn& random) {
  DeviceKeyResult result;
  // The first crypto call of a run usually comes through here: start libsodium.
  if (!crypto::init_crypto()) {
    result.error = "This device has no usable source of secure randomness, so Attune can't make its key.";
    return result;
  }
  if (auto err = ensure_private_dir(identity_dir(data_dir))) {
    result.error = *err;
    return result;
  }
  const std::filesystem::path file = key_file(data_dir);
  ReadResult read = read_private_file(file);
  if (!read.error.empty()) {
    result.error = damaged(file, read.error);
    return result;
  }
  result.tightened = read.tightened;

  if (read.contents) {
    const nlohmann::json doc = nlohmann::json::parse(*read.contents, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      result.error = damaged(file, "it is not valid JSON");
      return result;
    }
    if (doc.value("version", 0) != kFormatVersion) {
      result.error = damaged(file, "it was written by a different version of Attune");
      return result;
    }
    const std::string id = doc.value("device_id", std::string{});
    const auto seed_bytes = crypto::from_hex(doc.value("seed", std::string{}));
    if (!crypto::valid_device_id(id) || !seed_bytes || seed_bytes->size() != crypto::kSeedBytes) {
      result.error = damaged(file, "its contents are incomplete");
      return result;
    }
    crypto::Seed seed;
    std::copy(seed_bytes->begin(), seed_bytes->end(), seed.bytes.begin());
    result.identity.emplace(id, seed);
    return result;
  }

  // First start on this device.
  std::array<std::uint8_t, kDeviceIdBytes> id_bytes{};
  random(id_bytes);
  crypto::Seed seed;
  random(std::span<std::uint8_t>(seed.data(), seed.size()));
  crypto::DeviceIdentity identity(crypto::to_hex(crypto::view_of(id_bytes)), seed);
  nlohmann::json doc = {{"version", kFormatVersion},
                        {"device_id", identity.device_id()},
                        {"seed", crypto::to_hex(seed.view())}};
  std::string text = doc.dump(2) + "\n";
  auto err = write_private_file(file, text);
  sodium_memzero(text.data(), text.size());
  if (err) {
    result.error = *err;
    return result;
  }
  result.identity.emplace(std::move(identity));
  result.created = true;
  return result;
}

}  // namespace attune::identity
