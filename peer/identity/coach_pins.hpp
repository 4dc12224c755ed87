// The coach keys this partner compared and matched: a coach's device id and
// the key whose check number the person said matched the coach's screen,
// kept in <data_dir>/identity/coach_pins.json (0600). A coach matched once
// is recognised in later sessions with no new comparison; the host naming
// another key for it is refused until the person compares again. Separate
// from pinned_peers.json on purpose: a matched coach is not a paired device
// and cannot reconnect to this one without a code.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "attune/crypto/coach_seal.hpp"

namespace attune::identity {

class CoachPins {
 public:
  explicit CoachPins(std::filesystem::path data_dir);
  // The matched keys on disk, by coach device id; a missing file is none.
  // A damaged file gives an error text and no keys (every coach is compared again).
  std::map<std::string, crypto::PublicKey> load(std::string& error) const;
  // Keeps (or replaces) coach_id's matched key; saves.
  std::optional<std::string> pin(const std::string& coach_id, const crypto::PublicKey& key, std::int64_t now_ms);
  // Forgets coach_id's match if it is `key` (a "no" to another key leaves it); saves.
  std::optional<std::string> forget(const std::string& coach_id, const crypto::PublicKey& key);

 private:
  std::optional<std::string> save(const std::map<std::string, std::pair<crypto::PublicKey, std::int64_t>>& all);
  std::map<std::string, std::pair<crypto::PublicKey, std::int64_t>> read(std::string& error) const;

  std::filesystem::path data_dir_;
};

// Every key a partner may take as already matched for a coach: the ones
// compared before (CoachPins) and those of devices it paired with by code
// (pinned_peers.json), which the code proved.
std::map<std::string, crypto::PublicKey> known_coach_keys(const std::filesystem::path& data_dir, std::string& error);

}  // namespace attune::identity
