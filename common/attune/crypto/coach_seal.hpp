// Ratings sealed end to end to a coach's device key (issue 15, item 9).
//
// A partner who opted in seals each rating to every admitted coach's
// Ed25519 device key (as X25519, libsodium's sealed-box format), padded so
// the blob's length never depends on the number. The host relays the blob
// unread, so no hosting device holds another partner's number in clear.
// The coach opens it and refuses a record for another session, another
// coach, another sender than the host says, or one it has already seen.
// proto/README.md, "Ratings for the coach", is the byte-level contract.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attune/crypto/bytes.hpp"
#include "attune/crypto/device_identity.hpp"
#include "attune/crypto/sodium_init.hpp"
#include "attune/engine.hpp"
#include "attune/v1/wire.pb.h"

namespace attune::crypto {

// The record is padded (ISO/IEC 7816-4, sodium_pad) to this many bytes...
inline constexpr std::size_t kCoachRecordPadded = 192;
// ...and sealed, adding an ephemeral X25519 key and a tag: every blob is this long.
inline constexpr std::size_t kSealedCoachLevelBytes = kCoachRecordPadded + crypto_box_SEALBYTES;

// Seals `record` to the coach's Ed25519 public key. nullopt when the key
// is not a usable curve point or the record does not fit the padding.
// The result opens with crypto_box_seal_open.
std::optional<Bytes> seal_coach_record(const PublicKey& coach_key, const v1::CoachLevelRecord& record,
                                       const RandomFn& random);
// Opens a blob sealed to `me`; nullopt when it is not for this key or is malformed.
std::optional<v1::CoachLevelRecord> open_coach_record(const DeviceIdentity& me, ByteView blob);

// A coach key a partner may seal to, as the host's view names it.
struct CoachKey {
  std::string coach_id;
  PublicKey key{};
};
// The admitted coaches in `view` whose device key the host passed on.
std::vector<CoachKey> coach_keys(const State& view);

// One SealedCoachLevel per admitted coach in `view` that `trusted` lets
// through, for `partner_id`'s `level`.
std::vector<v1::SealedCoachLevel> seal_for_coaches(const std::vector<CoachKey>& coaches, const State& view,
                                                   const std::string& partner_id, const v1::CoachLevel& level,
                                                   const RandomFn& random);

// Where a partner stands with one coach key the host named. Only Matched
// and Proven keys are sealed to.
enum class CoachTrust {
  Unchecked,  // The person has not compared its check number yet.
  Matched,    // The person said the numbers match (now, or in an earlier session).
  Declined,   // The person said they don't match.
  Changed,    // Not the key compared before (or first seen in this run) for this coach.
  Proven,     // The host is that coach and proved this key in the handshake.
  Refused,    // The host's own key, named for someone else.
};
struct CoachCheck {
  std::string coach_id;
  PublicKey key{};
  std::string number;  // check_number(key), as the coach's screen shows its own.
  CoachTrust trust = CoachTrust::Unchecked;
  std::string before;  // Changed: the number compared (or seen) before.
};
bool sealable(CoachTrust trust);

// A partner's memory of the coach keys it was told about, and the checks it
// makes before sealing to one. The host says who the coach is; this binds
// what it can say:
//  - a key is sealed to only once the person compared its check number with
//    the coach's screen and said they match (compare()), or it was matched
//    in an earlier session (remember(), from the pins on disk);
//  - a coach id keeps the key it was matched with, or else first had while
//    this device runs: another key is Changed and not sealed to until the
//    person compares its new number;
//  - a key equal to the host's own handshake-proven key is refused unless
//    the host's device is that coach (a host cannot name itself the coach);
//  - when the coach is the host's device, its key must be that proven key,
//    and needs no comparison: the pairing already proved it.
class CoachKeyWatch {
 public:
  // `host` is the host as proven in this link's handshake.
  explicit CoachKeyWatch(std::optional<PeerIdentity> host = std::nullopt) : host_(std::move(host)) {}
  void set_host(PeerIdentity host) { host_ = std::move(host); }
  // A key this person matched in an earlier session.
  void remember(const std::string& coach_id, const PublicKey& key);
  // A key this person said differs, in an earlier session: declined (and not
  // matched) until they say it matches.
  void remember_declined(const std::string& coach_id, const PublicKey& key);
  // The person compared `shown`'s check number with the coach's screen and
  // said they match or not (a "no" also takes back an earlier match of that
  // key). False when there was nothing to compare (Proven or Refused); the
  // caller then keeps its pins as they are, else pins or unpins the key.
  bool compare(const CoachKey& shown, bool match);
  // Each named coach with where this partner stands with it.
  std::vector<CoachCheck> checks(const std::vector<CoachKey>& named);
  // The coaches it is safe to seal to; `problems` gets a sentence for each
  // one left out (for the log, never shown with a number).
  std::vector<CoachKey> vet(const std::vector<CoachKey>& named, std::vector<std::string>& problems);

 private:
  CoachTrust trust_of(const CoachKey& coach, std::string& before);

  std::optional<PeerIdentity> host_;
  std::map<std::string, PublicKey> first_seen_;
  std::map<std::string, PublicKey> matched_;
  std::map<std::string, PublicKey> declined_;
};

// A coach's door for sealed ratings: opens, checks and drops replays.
class CoachInbox {
 public:
  // The rating to show, or nullopt (and `why`) when the blob is refused.
  std::optional<v1::CoachLevel> take(const DeviceIdentity& me, const State& view, const v1::SealedCoachLevel& sealed,
                                     std::string& why);

 private:
  // Session id + partner id -> the newest at_ms shown from them.
  std::map<std::pair<std::string, std::string>, std::int64_t> newest_;
};

}  // namespace attune::crypto
