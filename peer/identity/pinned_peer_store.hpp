// The peers this device has paired with, and the key each one showed:
// <data_dir>/identity/pinned_peers.json (0600). A reconnect is accepted only
// with the pinned key; a changed key is refused with a clear message until
// the person pairs again with a code.
//
// Each pin also remembers the seat that device took with this one, and the
// seat this device took then (partner A or B, or coach), and its name:
// invitations go only to a device seen as the other partner, never to a
// coach's. Pins written before seats were kept have no seat: they still
// reconnect, and until the device is seen in a session again they are shown
// as "paired before", never taken for a partner's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "attune/crypto/device_identity.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/v1/session.pb.h"

namespace attune::identity {

enum class PinCheck {
  Unknown,  // Never paired.
  Matches,  // Same key as pinned.
  Changed,  // Known id, different key: refuse.
};

// The part this device took in the latest code pairing with that device
// (the one handshake writes both pins, so the two devices agree on it).
enum class PairedAs { Unknown, Host, Joiner };  // Unknown: a pin kept before this was.

struct PinnedPeer {
  crypto::PublicKey public_key{};
  std::int64_t pinned_at_ms = 0;
  v1::Role role = v1::ROLE_UNSPECIFIED;     // The seat it took with this device; unspecified: not known.
  v1::Role my_role = v1::ROLE_UNSPECIFIED;  // The seat this device took then.
  std::string name;                         // Its display name then (as typed; sanitize to show).
  PairedAs paired_as = PairedAs::Unknown;
};

// Partner with partner: the device an invitation may go to.
bool paired_as_other_partner(const PinnedPeer& peer);
// Either side sat as a coach: never sent an invitation.
bool paired_with_a_coach(const PinnedPeer& peer);
// Kept before seats were: shown as "paired before".
bool seat_unknown(const PinnedPeer& peer);
// "partner A", "partner B", "a coach", or "" for a seat not known.
std::string seat_words(v1::Role role);

class PinnedPeerStore {
 public:
  explicit PinnedPeerStore(std::filesystem::path data_dir);

  // Reads the file; a missing file is an empty store. Returns an error text.
  std::optional<std::string> load();
  // Reads the file again if it changed since this store last read or wrote
  // it (another process, e.g. `attune devices forget`, edited it). True when
  // it did.
  bool reload_if_changed();

  PinCheck check(const crypto::PeerIdentity& peer) const;
  std::optional<PinnedPeer> find(std::string_view device_id) const;

  // Host: pins (or, after a successful code pairing, re-pins) a peer and saves.
  std::optional<std::string> pin(const crypto::PeerIdentity& peer, std::int64_t now_ms);
  // Records the seats seen in a session with a pinned device, and its name,
  // and saves when they differ from what is kept. Does nothing for a device
  // not pinned, or for a seat not taken yet.
  std::optional<std::string> note_seat(std::string_view device_id, v1::Role role, v1::Role my_role,
                                       const std::string& name);
  // Forgets a peer and saves; it must pair with a code again.
  std::optional<std::string> forget(std::string_view device_id);

  // Joiner: the host this device paired with last (reconnects go there
  // without a code). nullopt if none, or if its pin is gone.
  std::optional<crypto::PeerIdentity> host() const;
  // The pinned (id, key) of device_id, for a pinned-mode join to that device.
  std::optional<crypto::PeerIdentity> pinned(std::string_view device_id) const;
  std::optional<std::string> set_host(const crypto::PeerIdentity& host, std::int64_t now_ms);
  // Joiner, code mode succeeded: the words refusing the proven host when it
  // would take over a paired device's id (proto/HANDSHAKE.md, section 5).
  // Only the host pin whose seat was never seen may give way to a new key;
  // any other entry with the same id and another key stays (reloads first).
  std::optional<std::string> code_pairing_refusal(const crypto::PeerIdentity& host);

  // Every pinned device, ordered by id (for `attune devices`).
  std::vector<std::pair<std::string, PinnedPeer>> list() const;

  // For HostHandshakeConfig / HostPairing.
  pairing::PinnedKeys keys() const;
  std::size_t size() const { return peers_.size(); }

  // The message for a refused reconnect, naming the key fingerprints so the
  // person can compare if they want to.
  static std::string changed_key_message(const crypto::PeerIdentity& peer, const crypto::PublicKey& pinned);

 private:
  std::optional<std::string> save();
  // Every change starts from what is on disk, so a change made by another
  // process meanwhile is kept, never overwritten from memory. On a damaged
  // or unreadable file, memory stays as it was.
  void merge_from_disk();
  std::optional<std::filesystem::file_time_type> file_time() const;

  std::filesystem::path data_dir_;
  std::map<std::string, PinnedPeer, std::less<>> peers_;
  std::string host_device_id_;
  std::optional<std::filesystem::file_time_type> seen_time_;  // Of the file as last read or written.
};

}  // namespace attune::identity
