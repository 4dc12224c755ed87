#include "attune/crypto/coach_seal.hpp"

#include <algorithm>

#include "attune/crypto/check_number.hpp"

namespace attune::crypto {

namespace {

using BoxKey = std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES>;

std::optional<BoxKey> box_key_of(const PublicKey& ed25519) {
  BoxKey out{};
  if (crypto_sign_ed25519_pk_to_curve25519(out.data(), ed25519.data()) != 0) return std::nullopt;
  return out;
}

// libsodium's sealed box with the ephemeral key drawn from `random` (the
// core takes its randomness as an argument): epk || box(m, n, pk, esk),
// n = BLAKE2b-192(epk || pk). crypto_box_seal_open opens it.
std::optional<Bytes> seal_box(const BoxKey& to, ByteView message, const RandomFn& random) {
  SecretBytes<crypto_box_SEEDBYTES> seed;
  random(std::span<std::uint8_t>(seed.data(), seed.size()));
  BoxKey ephemeral{};
  SecretBytes<crypto_box_SECRETKEYBYTES> ephemeral_secret;
  crypto_box_seed_keypair(ephemeral.data(), ephemeral_secret.data(), seed.data());
  std::array<std::uint8_t, crypto_box_NONCEBYTES> nonce{};
  crypto_generichash_state hash;
  crypto_generichash_init(&hash, nullptr, 0, nonce.size());
  crypto_generichash_update(&hash, ephemeral.data(), ephemeral.size());
  crypto_generichash_update(&hash, to.data(), to.size());
  crypto_generichash_final(&hash, nonce.data(), nonce.size());
  Bytes out(crypto_box_SEALBYTES + message.size());
  std::copy(ephemeral.begin(), ephemeral.end(), out.begin());
  if (crypto_box_easy(out.data() + ephemeral.size(), message.data(), message.size(), nonce.data(), to.data(),
                      ephemeral_secret.data()) != 0) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<Bytes> seal_coach_record(const PublicKey& coach_key, const v1::CoachLevelRecord& record,
                                       const RandomFn& random) {
  const auto to = box_key_of(coach_key);
  if (!to) return std::nullopt;
  const std::string plain = record.SerializeAsString();
  if (plain.size() >= kCoachRecordPadded) return std::nullopt;
  SecretBytes<kCoachRecordPadded> padded;
  std::copy(plain.begin(), plain.end(), padded.bytes.begin());
  std::size_t padded_size = 0;
  if (sodium_pad(&padded_size, padded.bytes.data(), plain.size(), kCoachRecordPadded, padded.bytes.size()) != 0 ||
      padded_size != kCoachRecordPadded) {
    return std::nullopt;
  }
  return seal_box(*to, ByteView(padded.bytes.data(), padded_size), random);
}

std::optional<v1::CoachLevelRecord> open_coach_record(const DeviceIdentity& me, ByteView blob) {
  if (blob.size() != kSealedCoachLevelBytes) return std::nullopt;
  auto plain = me.open_sealed_box(blob);
  if (!plain) return std::nullopt;
  std::size_t size = 0;
  std::optional<v1::CoachLevelRecord> out;
  v1::CoachLevelRecord record;
  if (sodium_unpad(&size, plain->data(), plain->size(), kCoachRecordPadded) == 0 &&
      record.ParseFromArray(plain->data(), static_cast<int>(size)) && record.has_level() && record.has_at_ms()) {
    out = std::move(record);
  }
  sodium_memzero(plain->data(), plain->size());
  return out;
}

std::vector<CoachKey> coach_keys(const State& view) {
  std::vector<CoachKey> out;
  for (const auto& p : view.participants()) {
    if (p.role() != v1::ROLE_COACH || !p.admitted() || p.device_key().size() != kPublicKeyBytes) continue;
    CoachKey key{p.id(), {}};
    std::copy(p.device_key().begin(), p.device_key().end(), key.key.begin());
    out.push_back(std::move(key));
  }
  return out;
}

std::vector<v1::SealedCoachLevel> seal_for_coaches(const std::vector<CoachKey>& coaches, const State& view,
                                                   const std::string& partner_id, const v1::CoachLevel& level,
                                                   const RandomFn& random) {
  std::vector<v1::SealedCoachLevel> out;
  for (const auto& coach : coaches) {
    v1::CoachLevelRecord record;
    record.set_session_id(view.session_id());
    record.set_partner_id(partner_id);
    record.set_coach_id(coach.coach_id);
    record.set_level(level.level());
    record.set_at_ms(level.at_ms());
    record.set_step(level.step());
    auto blob = seal_coach_record(coach.key, record, random);
    if (!blob) continue;
    v1::SealedCoachLevel sealed;
    sealed.set_coach_id(coach.coach_id);
    sealed.set_sealed(blob->data(), blob->size());
    out.push_back(std::move(sealed));
  }
  return out;
}

bool sealable(CoachTrust trust) { return trust == CoachTrust::Matched || trust == CoachTrust::Proven; }

void CoachKeyWatch::remember(const std::string& coach_id, const PublicKey& key) { matched_[coach_id] = key; }

void CoachKeyWatch::remember_declined(const std::string& coach_id, const PublicKey& key) {
  declined_[coach_id] = key;
  if (const auto it = matched_.find(coach_id); it != matched_.end() && it->second == key) matched_.erase(it);
}

bool CoachKeyWatch::compare(const CoachKey& shown, bool match) {
  std::string before;
  const CoachTrust now = trust_of(shown, before);
  if (now == CoachTrust::Refused || now == CoachTrust::Proven) return false;
  if (!match) {
    declined_[shown.coach_id] = shown.key;
    if (const auto it = matched_.find(shown.coach_id); it != matched_.end() && it->second == shown.key)
      matched_.erase(it);
    return true;
  }
  matched_[shown.coach_id] = shown.key;
  first_seen_[shown.coach_id] = shown.key;
  declined_.erase(shown.coach_id);
  return true;
}

CoachTrust CoachKeyWatch::trust_of(const CoachKey& coach, std::string& before) {
  const bool host_is_coach = host_ && host_->device_id == coach.coach_id;
  if (host_is_coach) return coach.key == host_->public_key ? CoachTrust::Proven : CoachTrust::Refused;
  if (host_ && coach.key == host_->public_key) return CoachTrust::Refused;
  const auto matched = matched_.find(coach.coach_id);
  const auto [seen, fresh] = first_seen_.emplace(coach.coach_id, coach.key);
  const PublicKey& earlier = matched != matched_.end() ? matched->second : seen->second;
  if (earlier != coach.key) {
    before = check_number(earlier);
    return CoachTrust::Changed;
  }
  if (matched != matched_.end()) return CoachTrust::Matched;
  const auto declined = declined_.find(coach.coach_id);
  if (declined != declined_.end() && declined->second == coach.key) return CoachTrust::Declined;
  return CoachTrust::Unchecked;
}

std::vector<CoachCheck> CoachKeyWatch::checks(const std::vector<CoachKey>& named) {
  std::vector<CoachCheck> out;
  for (const auto& coach : named) {
    CoachCheck check{coach.coach_id, coach.key, check_number(coach.key), CoachTrust::Unchecked, ""};
    check.trust = trust_of(coach, check.before);
    out.push_back(std::move(check));
  }
  return out;
}

std::vector<CoachKey> CoachKeyWatch::vet(const std::vector<CoachKey>& named, std::vector<std::string>& problems) {
  std::vector<CoachKey> out;
  for (const auto& check : checks(named)) {
    switch (check.trust) {
      case CoachTrust::Matched:
      case CoachTrust::Proven: out.push_back(CoachKey{check.coach_id, check.key}); continue;
      case CoachTrust::Unchecked:
        problems.push_back("coach " + check.coach_id + "'s check number has not been compared yet; not sharing");
        continue;
      case CoachTrust::Declined:
        problems.push_back("the person said coach " + check.coach_id + "'s check number does not match; not sharing");
        continue;
      case CoachTrust::Changed:
        problems.push_back("coach " + check.coach_id + "'s key differs from the one compared or seen before; not sharing");
        continue;
      case CoachTrust::Refused:
        problems.push_back("the host named a key it did not prove for coach " + check.coach_id + "; not sharing");
        continue;
    }
  }
  return out;
}

std::optional<v1::CoachLevel> CoachInbox::take(const DeviceIdentity& me, const State& view,
                                               const v1::SealedCoachLevel& sealed, std::string& why) {
  const auto* sender = find_participant(view, sealed.partner_id());
  if (!sender || !is_partner(sender->role()) || sender->role() != sealed.partner()) {
    why = "a sealed rating named a sender who is not a partner here";
    return std::nullopt;
  }
  const auto record = open_coach_record(
      me, ByteView(reinterpret_cast<const std::uint8_t*>(sealed.sealed().data()), sealed.sealed().size()));
  if (!record) {
    why = "a sealed rating could not be opened with this device's key";
    return std::nullopt;
  }
  if (record->session_id() != view.session_id() || record->coach_id() != me.device_id() ||
      record->partner_id() != sealed.partner_id() || record->level() > 10) {
    why = "a sealed rating was for another session, coach or sender";
    return std::nullopt;
  }
  auto& newest = newest_[{record->session_id(), record->partner_id()}];
  if (record->at_ms() <= newest) {
    why = "a sealed rating arrived again (or out of order) and was not shown twice";
    return std::nullopt;
  }
  newest = record->at_ms();
  v1::CoachLevel level;
  level.set_level(record->level());
  level.set_at_ms(record->at_ms());
  level.set_step(record->step());
  level.set_partner(sender->role());
  return level;
}

}  // namespace attune::crypto
