// This device's long-term identity on disk: <data_dir>/identity/device.json,
// 0600 in a 0700 folder, created on first start. Holds a random device id
// and the 32-byte Ed25519 seed. Never overwritten once it exists: a lost or
// replaced key makes every paired peer refuse this device (by design), so a
// damaged file is reported, not silently regenerated.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "attune/crypto/device_identity.hpp"
#include "attune/crypto/sodium_init.hpp"

namespace attune::identity {

struct DeviceKeyResult {
  std::optional<crypto::DeviceIdentity> identity;
  std::string error;       // Set when identity is nullopt: say it to the user as is.
  bool created = false;    // First start: a new key was made.
  bool tightened = false;  // The file was readable by others and is now private again.
};

std::filesystem::path identity_dir(const std::filesystem::path& data_dir);

DeviceKeyResult load_or_create_device_key(const std::filesystem::path& data_dir,
                                          const crypto::RandomFn& random);

}  // namespace attune::identity
