// CPace over ristretto255 with SHA-512 (CPACE-RISTR255-SHA512), as specified
// in the IRTF CFRG draft draft-irtf-cfrg-cpace (checked against -21, whose
// appendix B.3 test vectors the unit tests replay).
//
// CPace is a balanced PAKE: both sides know the same short code (PRS). An
// eavesdropper learns nothing that allows an offline guess, and an active
// attacker tests exactly one guess per run. The output ISK is equal on both
// sides only if PRS, CI, sid and both messages matched; it is not yet
// confirmed (see secure_channel.hpp for key confirmation).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "attune/crypto/bytes.hpp"

namespace attune::crypto {

inline constexpr std::size_t kCpaceShareBytes = 32;  // Encoded ristretto255 element.
inline constexpr std::size_t kCpaceIskBytes = 64;    // SHA-512 output.
inline constexpr std::size_t kCpaceScalarBytes = 32;
inline constexpr std::size_t kSha512BlockBytes = 128;  // H.s_in_bytes for SHA-512.
inline constexpr std::string_view kCpaceDsi = "CPaceRistretto255";
inline constexpr std::string_view kCpaceIskDsi = "CPaceRistretto255_ISK";

using CpaceShare = std::array<std::uint8_t, kCpaceShareBytes>;
using CpaceIsk = SecretBytes<kCpaceIskBytes>;

// lv_cat(DSI, PRS, zero_bytes(len_zpad), CI, sid): the padding fills the first
// hash block so hashing time does not depend on the code's length.
Bytes generator_string(ByteView dsi, ByteView prs, ByteView ci, ByteView sid, std::size_t s_in_bytes);

// The session generator g: SHA-512 of the generator string, mapped to the group
// with ristretto255's element derivation (crypto_core_ristretto255_from_hash).
// Returned in its public encoding.
CpaceShare calculate_generator(ByteView prs, ByteView ci, ByteView sid);

// scalar * decode(point), or nullopt (the draft's G.I) when the point does not
// decode or the product is the identity. Callers must abort on nullopt.
std::optional<CpaceShare> scalar_mult_vfy(ByteView scalar, ByteView point);

// Transcripts (draft A.3.4, A.3.6). We use the initiator-responder form:
// our roles are fixed by who speaks first in the pairing handshake.
Bytes transcript_ir(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b);
Bytes transcript_oc(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b);

// A = the party whose share comes first in the transcript, B = the other.
enum class CpaceRole { A, B };

// One CPace run. Start it, send share() with your associated data, and call
// finish() with the peer's share and associated data.
class Cpace {
 public:
  // scalar_random: 32 uniformly random bytes. Following the draft's
  // recommended sample_scalar, bits from 252 up are cleared. Returns nullopt
  // only in the negligible case that the scalar is zero.
  static std::optional<Cpace> start(CpaceRole role, ByteView prs, ByteView ci, ByteView sid, ByteView own_ad,
                                    std::span<const std::uint8_t, kCpaceScalarBytes> scalar_random);

  const CpaceShare& share() const { return share_; }

  // The ISK, or nullopt if the peer's share is invalid (not a group element
  // encoding, or the identity): the run must then be aborted.
  std::optional<CpaceIsk> finish(ByteView peer_share, ByteView peer_ad) const;

 private:
  Cpace() = default;

  CpaceRole role_ = CpaceRole::A;
  SecretBytes<kCpaceScalarBytes> scalar_;
  CpaceShare share_{};
  Bytes sid_;
  Bytes own_ad_;
};

}  // namespace attune::crypto
