#include "attune/crypto/cpace.hpp"

#include <sodium.h>

#include <algorithm>

namespace attune::crypto {

Bytes generator_string(ByteView dsi, ByteView prs, ByteView ci, ByteView sid, std::size_t s_in_bytes) {
  const std::size_t used = prepend_len(prs).size() + prepend_len(dsi).size() + 1;
  const std::size_t len_zpad = s_in_bytes > used ? s_in_bytes - used : 0;
  const Bytes zpad(len_zpad, 0);
  return lv_cat({dsi, prs, zpad, ci, sid});
}

CpaceShare calculate_generator(ByteView prs, ByteView ci, ByteView sid) {
  Bytes gen_str = generator_string(as_bytes(kCpaceDsi), prs, ci, sid, kSha512BlockBytes);
  SecretBytes<crypto_hash_sha512_BYTES> hash;
  crypto_hash_sha512(hash.data(), gen_str.data(), gen_str.size());
  sodium_memzero(gen_str.data(), gen_str.size());  // It contains the code.
  CpaceShare g{};
  crypto_core_ristretto255_from_hash(g.data(), hash.data());
  return g;
}

std::optional<CpaceShare> scalar_mult_vfy(ByteView scalar, ByteView point) {
  if (scalar.size() != kCpaceScalarBytes || point.size() != kCpaceShareBytes) return std::nullopt;
  CpaceShare out{};
  // libsodium refuses (returns -1) both a point that does not decode and an
  // identity result: exactly the draft's two abort conditions.
  if (crypto_scalarmult_ristretto255(out.data(), scalar.data(), point.data()) != 0) return std::nullopt;
  return out;
}

Bytes transcript_ir(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b) {
  Bytes out = lv_cat({ya, ad_a});
  append(out, lv_cat({yb, ad_b}));
  return out;
}

Bytes transcript_oc(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b) {
  const Bytes a = lv_cat({ya, ad_a});
  const Bytes b = lv_cat({yb, ad_b});
  // Lexicographic comparison, longer wins on a common prefix (draft A.3.1).
  const bool a_larger = std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end());
  Bytes out{'o', 'c'};
  append(out, a_larger ? a : b);
  append(out, a_larger ? b : a);
  return out;
}

std::optional<Cpace> Cpace::start(CpaceRole role, ByteView prs, ByteView ci, ByteView sid, ByteView own_ad,
                                  std::span<const std::uint8_t, kCpaceScalarBytes> scalar_random) {
  Cpace run;
  run.role_ = role;
  std::copy(scalar_random.begin(), scalar_random.end(), run.scalar_.bytes.begin());
  run.scalar_.bytes[31] &= 0x0f;  // Keep 252 bits (draft 8.3, sample_scalar).
  const CpaceShare g = calculate_generator(prs, ci, sid);
  if (crypto_scalarmult_ristretto255(run.share_.data(), run.scalar_.data(), g.data()) != 0)
    return std::nullopt;
  run.sid_.assign(sid.begin(), sid.end());
  run.own_ad_.assign(own_ad.begin(), own_ad.end());
  return run;
}

std::optional<CpaceIsk> Cpace::finish(ByteView peer_share, ByteView peer_ad) const {
  std::optional<CpaceShare> k = scalar_mult_vfy(scalar_.view(), peer_share);
  if (!k) return std::nullopt;
  Bytes input = lv_cat({as_bytes(kCpaceIskDsi), sid_, view_of(*k)});
  switch (role_) {
    case CpaceRole::A:
      append(input, transcript_ir(view_of(share_), own_ad_, peer_share, peer_ad));
      break;
    case CpaceRole::B:
      append(input, transcript_ir(peer_share, peer_ad, view_of(share_), own_ad_));
      break;
  }
  CpaceIsk isk;
  crypto_hash_sha512(isk.data(), input.data(), input.size());
  sodium_memzero(input.data(), input.size());  // It contains K.
  sodium_memzero(k->data(), k->size());
  return isk;
}

}  // namespace attune::crypto
