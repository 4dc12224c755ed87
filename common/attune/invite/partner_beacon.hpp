// What a device says on the network so its partner's device can find it,
// without giving anyone else a stable identity to follow (issue 17, item 3).
//
// The two devices share a pair key nobody else can compute: an X25519
// agreement between their long-term keys (the Ed25519 keys pinned at
// pairing, converted), hashed with both public keys. A beacon is
//
//   version (1 byte, kBeaconVersion)
//   nonce   (24 random bytes, fresh for every beacon)
//   XChaCha20-Poly1305(key = BLAKE2b(pair key, "attune.v1 partner beacon"),
//                      nonce, ad = version || direction || be64(window)
//                                  || the sender's IPv4 address (4 bytes),
//                      plaintext = the port to reach it on, 2 bytes)
//
// where window = floor(utc_ms / kBeaconWindowMs) and direction says which of
// the two devices sent it (so a device never mistakes its own beacon for
// its partner's). The address is the one the datagram leaves from; the
// receiver opens with the address it came from, so a beacon recorded and
// sent again from anyone else's address no longer opens, and nobody can
// make a device dial them with it. Every byte but the version is fresh random-looking for
// every beacon: two beacons from one device share nothing an observer can
// match, within a window or across windows. Only the partner can open it,
// which also tells it the port. An old beacon replayed outside the window
// (plus or minus one, for clock drift) no longer opens.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "attune/crypto/bytes.hpp"
#include "attune/crypto/device_identity.hpp"

namespace attune::invite {

inline constexpr std::uint8_t kBeaconVersion = 0x72;
inline constexpr int64_t kBeaconWindowMs = 10 * 60 * 1000;
inline constexpr std::size_t kBeaconNonceBytes = 24;
inline constexpr std::size_t kBeaconBytes = 1 + kBeaconNonceBytes + 2 + 16;

using PairKey = crypto::SecretBytes<32>;
// An IPv4 address, in network order: the one a beacon is sent from.
using BeaconAddress = std::array<std::uint8_t, 4>;

// The key only these two devices can compute; nullopt if the partner's key
// is not a usable point.
std::optional<PairKey> pair_key(const crypto::DeviceIdentity& self, const crypto::PublicKey& partner);

int64_t beacon_window(int64_t utc_ms);

// A beacon announcing `port`, sent from `from`, with `nonce` from the
// shell's random source.
std::string make_beacon(const PairKey& key, const crypto::PublicKey& self, const crypto::PublicKey& partner,
                        std::uint16_t port, const BeaconAddress& from, int64_t utc_ms,
                        const std::array<std::uint8_t, kBeaconNonceBytes>& nonce);

// The partner's port if `packet` is a beacon the partner sent from `from`
// in the current window (or the one before or after); nullopt for anything
// else, including this device's own beacons, one sent again from another
// address, and garbage.
std::optional<std::uint16_t> open_beacon(const PairKey& key, const crypto::PublicKey& self,
                                         const crypto::PublicKey& partner, std::string_view packet,
                                         const BeaconAddress& from, int64_t utc_ms);

}  // namespace attune::invite
