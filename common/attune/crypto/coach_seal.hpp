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

// A partner's memory of the coach keys it was told about, and the checks it
// makes before sealing to one. The host says who the coach is; this binds
// what it can say:
//  - a coach id keeps the key it first had for as long as this device runs;
//  - a key equal to the host's own handshake-proven key is refused unless
//    the host's device is that coach (a host cannot name itself the coach);
//  - when the coach is the host's device, its key must be that proven key.
class CoachKeyWatch {
 public:
  // `host` is the host as proven in this link's handshake.
  explicit CoachKeyWatch(std::optional<PeerIdentity> host = std::nullopt) : host_(std::move(host)) {}
  void set_host(PeerIdentity host) { host_ = std::move(host); }
  // The coaches it is safe to seal to; `problems` gets a sentence for each
  // one left out (for the log, never shown with a number).
  std::vector<CoachKey> vet(const std::vector<CoachKey>& named, std::vector<std::string>& problems);

 private:
  std::optional<PeerIdentity> host_;
  std::map<std::string, PublicKey> first_seen_;
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
