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
  // The keys the person said differ, by coach device id ("declined").
  std::map<std::string, crypto::PublicKey> declined(std::string& error) const;
  // Keeps (or replaces) coach_id's matched key and drops its decline; saves.
  std::optional<std::string> pin(const std::string& coach_id, const crypto::PublicKey& key, std::int64_t now_ms);
  // The person said coach_id's `key` differs: kept as declined (it wins over
  // a pairing pin of that key at the next start), and coach_id's match is
  // forgotten if it is `key` (a "no" to another key leaves it); saves.
  std::optional<std::string> decline(const std::string& coach_id, const crypto::PublicKey& key);
  // `attune devices forget`: every match and decline of device_id goes.
  std::optional<std::string> forget_device(const std::string& device_id);

 private:
  struct File {
    std::map<std::string, std::pair<crypto::PublicKey, std::int64_t>> matched;
    std::map<std::string, crypto::PublicKey> declined;
  };
  std::optional<std::string> save(const File& all);
  File read(std::string& error) const;

  std::filesystem::path data_dir_;
};

// Every key a partner may take as already matched for a coach: the ones
// compared before (CoachPins) and those of devices it paired with by code
// (pinned_peers.json), which the code proved.
std::map<std::string, crypto::PublicKey> known_coach_keys(const std::filesystem::path& data_dir, std::string& error);

// What a joining partner starts with: known_coach_keys as matched, then each
// kept decline, which wins over a match of the same key.
void load_coach_trust(const std::filesystem::path& data_dir, crypto::CoachKeyWatch& watch, std::string& error);

}  // namespace attune::identity
