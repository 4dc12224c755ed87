#include "attune/pairing/handshake.hpp"

#include <sodium.h>

#include <utility>

#include "attune/pairing/pairing_code.hpp"

namespace attune::pairing {

using crypto::Bytes;
using crypto::ByteView;

namespace {

constexpr std::string_view kTranscriptLabel = "attune.v1 handshake";
constexpr std::string_view kCodeCi = "attune.v1 code pairing";
constexpr std::string_view kClientProofLabel = "attune.v1 client proof";
constexpr std::string_view kServerProofLabel = "attune.v1 server proof";

ByteView view(const std::string& s) { return crypto::as_bytes(s); }

// Everything both sides said before the keys exist, hashed with a
// prefix-free encoding (see HANDSHAKE.md, "Transcript hash").
Bytes transcript_hash(const v1::ClientHello& ch, const v1::ServerHello& sh, ByteView client_finish_share) {
  const auto cv = crypto::be32(ch.protocol_version());
  const auto mode = crypto::be32(static_cast<std::uint32_t>(ch.mode()));
  const auto sv = crypto::be32(sh.protocol_version());
  const Bytes input =
      crypto::lv_cat({crypto::as_bytes(kTranscriptLabel), crypto::view_of(cv), crypto::view_of(mode),
                      view(ch.client_nonce()), view(ch.key_share()), crypto::view_of(sv),
                      view(sh.server_nonce()), view(sh.key_share()), client_finish_share});
  Bytes th(crypto_hash_sha512_BYTES);
  crypto_hash_sha512(th.data(), input.data(), input.size());
  return th;
}

struct KeySchedule {
  crypto::Key client_confirm;
  crypto::Key server_confirm;
  crypto::Key client_proof;
  crypto::Key server_proof;
  crypto::Key client_to_server;
  crypto::Key server_to_client;
};

KeySchedule derive_keys(ByteView shared, ByteView th) {
  const auto prk = crypto::hkdf_extract(th, shared);
  return KeySchedule{
      crypto::hkdf_expand_key(prk.view(), "attune.v1 client confirm"),
      crypto::hkdf_expand_key(prk.view(), "attune.v1 server confirm"),
      crypto::hkdf_expand_key(prk.view(), "attune.v1 client proof"),
      crypto::hkdf_expand_key(prk.view(), "attune.v1 server proof"),
      crypto::hkdf_expand_key(prk.view(), "attune.v1 client to server"),
      crypto::hkdf_expand_key(prk.view(), "attune.v1 server to client"),
  };
}

std::string confirm_mac(const crypto::Key& key, ByteView th) {
  const crypto::Mac mac = crypto::hmac_sha512(key.view(), th);
  return std::string(mac.begin(), mac.end());
}

Bytes proof_message(std::string_view label, ByteView th, const std::string& device_id,
                    const crypto::PublicKey& key) {
  return crypto::lv_cat({crypto::as_bytes(label), th, view(device_id), crypto::view_of(key)});
}

// Each proof key seals exactly one message, so an all-zero nonce is safe.
std::string seal_proof(const crypto::DeviceIdentity& self, std::string_view label, const crypto::Key& key,
                       ByteView th) {
  v1::IdentityProof proof;
  proof.set_device_id(self.device_id());
  proof.set_public_key(std::string(self.public_key().begin(), self.public_key().end()));
  const crypto::Signature sig = self.sign(proof_message(label, th, self.device_id(), self.public_key()));
  proof.set_signature(std::string(sig.begin(), sig.end()));
  const std::string plain = proof.SerializeAsString();

  std::string sealed(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  const std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<std::uint8_t*>(sealed.data()), &len,
                                             reinterpret_cast<const std::uint8_t*>(plain.data()),
                                             plain.size(), th.data(), th.size(), nullptr, nonce.data(),
                                             key.data());
  sealed.resize(static_cast<std::size_t>(len));
  return sealed;
}

std::optional<crypto::PeerIdentity> open_proof(const std::string& sealed, std::string_view label,
                                               const crypto::Key& key, ByteView th) {
  if (sealed.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES ||
      sealed.size() > kMaxHandshakeMessageBytes) {
    return std::nullopt;
  }
  std::string plain(sealed.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  const std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<std::uint8_t*>(plain.data()), &len, nullptr,
                                                 reinterpret_cast<const std::uint8_t*>(sealed.data()),
                                                 sealed.size(), th.data(), th.size(), nonce.data(),
                                                 key.data()) != 0) {
    return std::nullopt;
  }
  plain.resize(static_cast<std::size_t>(len));
  v1::IdentityProof proof;
  if (!proof.ParseFromString(plain)) return std::nullopt;
  if (!crypto::valid_device_id(proof.device_id()) || proof.public_key().size() != crypto::kPublicKeyBytes ||
      proof.signature().size() != crypto::kSignatureBytes) {
    return std::nullopt;
  }
  crypto::PeerIdentity peer;
  peer.device_id = proof.device_id();
  std::copy(proof.public_key().begin(), proof.public_key().end(), peer.public_key.begin());
  if (!crypto::verify_signature(peer.public_key, proof_message(label, th, peer.device_id, peer.public_key),
                                view(proof.signature()))) {
    return std::nullopt;
  }
  return peer;
}

bool mac_matches(const std::string& got, const std::string& expected) {
  return crypto::equal_macs(view(got), view(expected));
}

std::string random_string(const crypto::RandomFn& random, std::size_t n) {
  std::string out(n, '\0');
  random(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(out.data()), n));
  return out;
}

// X25519 key pair from fresh randomness.
std::string make_ephemeral(const crypto::RandomFn& random, crypto::SecretBytes<kX25519Bytes>& secret) {
  random(std::span<std::uint8_t>(secret.data(), secret.size()));
  std::string pub(kX25519Bytes, '\0');
  crypto_scalarmult_base(reinterpret_cast<std::uint8_t*>(pub.data()), secret.data());
  return pub;
}

// X25519; nullopt for a low-order peer key (all-zero result).
std::optional<crypto::SecretBytes<kX25519Bytes>> x25519(const crypto::SecretBytes<kX25519Bytes>& secret,
                                                        const std::string& peer) {
  if (peer.size() != kX25519Bytes) return std::nullopt;
  crypto::SecretBytes<kX25519Bytes> shared;
  if (crypto_scalarmult(shared.data(), secret.data(), reinterpret_cast<const std::uint8_t*>(peer.data())) !=
      0) {
    return std::nullopt;
  }
  return shared;
}

Bytes sid_of(const v1::ClientHello& ch, const v1::ServerHello& sh) {
  Bytes sid(ch.client_nonce().begin(), ch.client_nonce().end());
  sid.insert(sid.end(), sh.server_nonce().begin(), sh.server_nonce().end());
  return sid;
}

}  // namespace

std::string user_message(HandshakeError error, HandshakeSide side) {
  const bool joiner = side == HandshakeSide::Joiner;
  switch (error) {
    case HandshakeError::WrongCode:
      return joiner ? "That code didn't match. Please check the code on the host's screen and try again."
                    : "Someone tried to join with a code that didn't match.";
    case HandshakeError::CodeExpired:
      return joiner ? "That code is no longer open. Please ask the host for the code on their screen now."
                    : "Someone tried to join, but no code is open right now.";
    case HandshakeError::RateLimited:
      return joiner ? "There have been a lot of tries in a short time. Please wait a moment, then try again."
                    : "A device was asked to slow down after many tries.";
    case HandshakeError::KeyChanged:
      return joiner
                 ? "This host's security key has changed since you last connected, so we didn't reconnect. "
                   "If the host set Attune up again, pair with a new code."
                 : "A device we already know tried to connect with a different security key, so we kept "
                   "it out. If it was set up again, forget it here (run: attune devices) and pair it with a "
                   "new code.";
    case HandshakeError::KeyRefused:
      return joiner
                 ? "The host knows this device by a different security key, so it didn't let it in. The host "
                   "can forget it on their computer (run: attune devices), and then you can pair again with "
                   "a new code."
                 : "The other device doesn't recognise this host's key any more.";
    case HandshakeError::UnknownDevice:
      return joiner ? "The host doesn't know this device yet. Please pair with the code on the host's screen."
                    : "A device we haven't paired with tried to reconnect, so we kept it out.";
    case HandshakeError::VersionMismatch:
      return "The two devices run different versions of Attune. Please update both, then try again.";
    case HandshakeError::ProtocolError:
      return "We couldn't set up a safe connection. Please try again.";
  }
  return "We couldn't set up a safe connection. Please try again.";
}

bool retry_automatically(HandshakeError error) {
  switch (error) {
    case HandshakeError::RateLimited:
    case HandshakeError::ProtocolError:  // Often a damaged link; the backoff bounds it.
      return true;
    case HandshakeError::WrongCode:
    case HandshakeError::CodeExpired:
    case HandshakeError::KeyChanged:
    case HandshakeError::KeyRefused:
    case HandshakeError::UnknownDevice:
    case HandshakeError::VersionMismatch:
      return false;
  }
  return false;
}

bool retry_automatically(HandshakeError error, bool code_mode, int failures_in_a_row) {
  if (code_mode && error == HandshakeError::ProtocolError) return failures_in_a_row <= kMaxCodeModeProtocolRetries;
  return retry_automatically(error);
}

v1::HandshakeRefusalReason refusal_reason(HandshakeError error) {
  switch (error) {
    case HandshakeError::WrongCode:
      return v1::HANDSHAKE_REFUSAL_REASON_WRONG_CODE;
    case HandshakeError::CodeExpired:
      return v1::HANDSHAKE_REFUSAL_REASON_CODE_EXPIRED;
    case HandshakeError::RateLimited:
      return v1::HANDSHAKE_REFUSAL_REASON_RATE_LIMITED;
    case HandshakeError::KeyChanged:
      return v1::HANDSHAKE_REFUSAL_REASON_KEY_CHANGED;
    case HandshakeError::UnknownDevice:
      return v1::HANDSHAKE_REFUSAL_REASON_UNKNOWN_DEVICE;
    case HandshakeError::VersionMismatch:
      return v1::HANDSHAKE_REFUSAL_REASON_VERSION_MISMATCH;
    case HandshakeError::KeyRefused:
    case HandshakeError::ProtocolError:
      return v1::HANDSHAKE_REFUSAL_REASON_PROTOCOL_ERROR;
  }
  return v1::HANDSHAKE_REFUSAL_REASON_PROTOCOL_ERROR;
}

HandshakeError error_for_refusal(v1::HandshakeRefusalReason reason) {
  switch (reason) {
    case v1::HANDSHAKE_REFUSAL_REASON_WRONG_CODE:
      return HandshakeError::WrongCode;
    case v1::HANDSHAKE_REFUSAL_REASON_CODE_EXPIRED:
      return HandshakeError::CodeExpired;
    case v1::HANDSHAKE_REFUSAL_REASON_RATE_LIMITED:
      return HandshakeError::RateLimited;
    case v1::HANDSHAKE_REFUSAL_REASON_KEY_CHANGED:
      return HandshakeError::KeyRefused;  // The host refused *our* key.
    case v1::HANDSHAKE_REFUSAL_REASON_UNKNOWN_DEVICE:
      return HandshakeError::UnknownDevice;
    case v1::HANDSHAKE_REFUSAL_REASON_VERSION_MISMATCH:
      return HandshakeError::VersionMismatch;
    case v1::HANDSHAKE_REFUSAL_REASON_UNSPECIFIED:
    case v1::HANDSHAKE_REFUSAL_REASON_PROTOCOL_ERROR:
    case v1::HandshakeRefusalReason_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::HandshakeRefusalReason_INT_MAX_SENTINEL_DO_NOT_USE_:
      return HandshakeError::ProtocolError;
  }
  return HandshakeError::ProtocolError;
}

v1::HandshakeMessage make_refusal(v1::HandshakeRefusalReason reason, std::uint32_t retry_after_seconds) {
  v1::HandshakeMessage msg;
  msg.mutable_refusal()->set_reason(reason);
  msg.mutable_refusal()->set_retry_after_seconds(retry_after_seconds);
  return msg;
}

// ---- Joiner ---------------------------------------------------------------

JoinerHandshake::JoinerHandshake(crypto::DeviceIdentity self, v1::PairingMode mode, crypto::RandomFn random)
    : self_(std::move(self)), mode_(mode), random_(std::move(random)) {}

JoinerHandshake JoinerHandshake::with_code(crypto::DeviceIdentity self, std::string code,
                                           crypto::RandomFn random) {
  JoinerHandshake hs(std::move(self), v1::PAIRING_MODE_CODE, std::move(random));
  // "123 456" and "123-456" are the code the host shows; anything that is not
  // six digits is used as typed and will simply not match.
  hs.code_ = normalize_code(code).value_or(std::move(code));
  return hs;
}

JoinerHandshake JoinerHandshake::with_pin(crypto::DeviceIdentity self, crypto::PeerIdentity host,
                                          crypto::RandomFn random) {
  JoinerHandshake hs(std::move(self), v1::PAIRING_MODE_PINNED, std::move(random));
  hs.expected_host_ = std::move(host);
  return hs;
}

v1::HandshakeMessage JoinerHandshake::hello() {
  hello_.set_protocol_version(kHandshakeVersion);
  hello_.set_mode(mode_);
  hello_.set_client_nonce(random_string(random_, kNonceBytes));
  if (mode_ == v1::PAIRING_MODE_PINNED) hello_.set_key_share(make_ephemeral(random_, ephemeral_secret_));
  state_ = State::HelloSent;
  v1::HandshakeMessage msg;
  *msg.mutable_client_hello() = hello_;
  return msg;
}

HandshakeStep JoinerHandshake::fail(HandshakeError error) {
  state_ = State::Failed;
  HandshakeStep step;
  step.error = error;
  return step;
}

HandshakeStep JoinerHandshake::receive(const v1::HandshakeMessage& message) {
  // A refusal may come at any point before the end, even before our hello
  // went out (the host can turn an address away as soon as it connects).
  if (message.has_refusal() && !finished()) {
    HandshakeStep step = fail(error_for_refusal(message.refusal().reason()));
    step.retry_after_seconds = message.refusal().retry_after_seconds();
    return step;
  }
  if (state_ == State::HelloSent && message.has_server_hello())
    return on_server_hello(message.server_hello());
  if (state_ == State::FinishSent && message.has_server_finish())
    return on_server_finish(message.server_finish());
  return fail(HandshakeError::ProtocolError);
}

HandshakeStep JoinerHandshake::on_server_hello(const v1::ServerHello& hello) {
  if (hello.protocol_version() != kHandshakeVersion) return fail(HandshakeError::VersionMismatch);
  if (hello.server_nonce().size() != kNonceBytes) return fail(HandshakeError::ProtocolError);

  v1::ClientFinish finish;
  Bytes th;
  KeySchedule keys;
  switch (mode_) {
    case v1::PAIRING_MODE_CODE: {
      if (hello.key_share().size() != crypto::kCpaceShareBytes) return fail(HandshakeError::ProtocolError);
      std::array<std::uint8_t, crypto::kCpaceScalarBytes> scalar{};
      random_(scalar);
      const Bytes sid = sid_of(hello_, hello);
      auto cpace =
          crypto::Cpace::start(crypto::CpaceRole::B, view(code_), crypto::as_bytes(kCodeCi), sid, {}, scalar);
      sodium_memzero(scalar.data(), scalar.size());
      if (!cpace) return fail(HandshakeError::ProtocolError);
      const auto isk = cpace->finish(view(hello.key_share()), {});
      if (!isk) return fail(HandshakeError::ProtocolError);
      const crypto::CpaceShare& yb = cpace->share();
      finish.set_key_share(std::string(yb.begin(), yb.end()));
      th = transcript_hash(hello_, hello, view(finish.key_share()));
      keys = derive_keys(isk->view(), th);
      break;
    }
    case v1::PAIRING_MODE_PINNED: {
      const auto shared = x25519(ephemeral_secret_, hello.key_share());
      if (!shared) return fail(HandshakeError::ProtocolError);
      th = transcript_hash(hello_, hello, {});
      keys = derive_keys(shared->view(), th);
      break;
    }
    case v1::PAIRING_MODE_UNSPECIFIED:
    case v1::PairingMode_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::PairingMode_INT_MAX_SENTINEL_DO_NOT_USE_:
      return fail(HandshakeError::ProtocolError);
  }

  finish.set_confirm(confirm_mac(keys.client_confirm, th));
  finish.set_sealed_proof(seal_proof(self_, kClientProofLabel, keys.client_proof, th));
  transcript_hash_ = th;
  server_confirm_key_ = keys.server_confirm;
  server_proof_key_ = keys.server_proof;
  channel_keys_ = crypto::ChannelKeys{keys.client_to_server, keys.server_to_client};
  state_ = State::FinishSent;

  HandshakeStep step;
  step.send.emplace();
  *step.send->mutable_client_finish() = std::move(finish);
  return step;
}

HandshakeStep JoinerHandshake::on_server_finish(const v1::ServerFinish& finish) {
  const bool code = mode_ == v1::PAIRING_MODE_CODE;
  if (!mac_matches(finish.confirm(), confirm_mac(server_confirm_key_, transcript_hash_))) {
    // In code mode a host that cannot confirm does not know our code: either
    // it was mistyped or this is not the real host. Same words either way.
    return fail(code ? HandshakeError::WrongCode : HandshakeError::ProtocolError);
  }
  auto peer = open_proof(finish.sealed_proof(), kServerProofLabel, server_proof_key_, transcript_hash_);
  if (!peer || peer->device_id == self_.device_id()) return fail(HandshakeError::ProtocolError);
  if (expected_host_) {
    if (peer->device_id != expected_host_->device_id || peer->public_key != expected_host_->public_key) {
      return fail(HandshakeError::KeyChanged);
    }
  }
  state_ = State::Done;
  HandshakeStep step;
  step.success = HandshakeSuccess{std::move(*peer), channel_keys_, mode_};
  return step;
}

// ---- Host -----------------------------------------------------------------

HostHandshake::HostHandshake(crypto::DeviceIdentity self, HostHandshakeConfig config, crypto::RandomFn random)
    : self_(std::move(self)), config_(std::move(config)), random_(std::move(random)) {}

HandshakeStep HostHandshake::fail(HandshakeError error, bool code_guess) {
  state_ = State::Failed;
  HandshakeStep step;
  step.error = error;
  step.send = make_refusal(refusal_reason(error));
  step.code_guess_checked = code_guess;
  return step;
}

HandshakeStep HostHandshake::receive(const v1::HandshakeMessage& message) {
  if (state_ == State::AwaitHello && message.has_client_hello())
    return on_client_hello(message.client_hello());
  if (state_ == State::AwaitFinish && message.has_client_finish())
    return on_client_finish(message.client_finish());
  return fail(HandshakeError::ProtocolError);
}

HandshakeStep HostHandshake::on_client_hello(const v1::ClientHello& hello) {
  if (hello.protocol_version() != kHandshakeVersion) return fail(HandshakeError::VersionMismatch);
  if (hello.client_nonce().size() != kNonceBytes) return fail(HandshakeError::ProtocolError);
  // A number the enum lacks (proto3 keeps it) matches no case below: refuse it
  // here rather than answer a ServerHello with no key share.
  if (!v1::PairingMode_IsValid(hello.mode())) return fail(HandshakeError::ProtocolError);
  client_hello_ = hello;
  mode_ = hello.mode();
  server_hello_.set_protocol_version(kHandshakeVersion);
  server_hello_.set_server_nonce(random_string(random_, kNonceBytes));

  switch (mode_) {
    case v1::PAIRING_MODE_CODE: {
      if (!hello.key_share().empty()) return fail(HandshakeError::ProtocolError);
      if (!config_.code) return fail(HandshakeError::CodeExpired);
      std::array<std::uint8_t, crypto::kCpaceScalarBytes> scalar{};
      random_(scalar);
      const Bytes sid = sid_of(client_hello_, server_hello_);
      cpace_ = crypto::Cpace::start(crypto::CpaceRole::A, view(*config_.code), crypto::as_bytes(kCodeCi), sid,
                                    {}, scalar);
      sodium_memzero(scalar.data(), scalar.size());
      if (!cpace_) return fail(HandshakeError::ProtocolError);
      server_hello_.set_key_share(std::string(cpace_->share().begin(), cpace_->share().end()));
      break;
    }
    case v1::PAIRING_MODE_PINNED:
      if (hello.key_share().size() != kX25519Bytes) return fail(HandshakeError::ProtocolError);
      server_hello_.set_key_share(make_ephemeral(random_, ephemeral_secret_));
      break;
    case v1::PAIRING_MODE_UNSPECIFIED:
    case v1::PairingMode_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::PairingMode_INT_MAX_SENTINEL_DO_NOT_USE_:
      return fail(HandshakeError::ProtocolError);
  }
  state_ = State::AwaitFinish;
  HandshakeStep step;
  step.send.emplace();
  *step.send->mutable_server_hello() = server_hello_;
  return step;
}

HandshakeStep HostHandshake::on_client_finish(const v1::ClientFinish& finish) {
  const bool code = mode_ == v1::PAIRING_MODE_CODE;
  Bytes th;
  KeySchedule keys;
  if (code) {
    // From here on the joiner has committed to one guess: count it whatever happens.
    if (finish.key_share().size() != crypto::kCpaceShareBytes)
      return fail(HandshakeError::ProtocolError, true);
    const auto isk = cpace_->finish(view(finish.key_share()), {});
    if (!isk) return fail(HandshakeError::ProtocolError, true);
    th = transcript_hash(client_hello_, server_hello_, view(finish.key_share()));
    keys = derive_keys(isk->view(), th);
  } else {
    if (!finish.key_share().empty()) return fail(HandshakeError::ProtocolError);
    const auto shared = x25519(ephemeral_secret_, client_hello_.key_share());
    if (!shared) return fail(HandshakeError::ProtocolError);
    th = transcript_hash(client_hello_, server_hello_, {});
    keys = derive_keys(shared->view(), th);
  }
  if (!mac_matches(finish.confirm(), confirm_mac(keys.client_confirm, th))) {
    return fail(code ? HandshakeError::WrongCode : HandshakeError::ProtocolError, code);
  }
  auto peer = open_proof(finish.sealed_proof(), kClientProofLabel, keys.client_proof, th);
  if (!peer || peer->device_id == self_.device_id()) return fail(HandshakeError::ProtocolError, code);

  // An id pinned with another key is refused in both modes. In code mode this
  // stops someone who knows the code (a coach, say) from taking over a
  // paired device's id and with it that participant's seat.
  const auto pin = config_.pinned.find(peer->device_id);
  if (pin != config_.pinned.end() && pin->second != peer->public_key)
    return fail(HandshakeError::KeyChanged, code);
  if (!code && pin == config_.pinned.end()) return fail(HandshakeError::UnknownDevice);

  state_ = State::Done;
  HandshakeStep step;
  step.code_guess_checked = code;
  step.send.emplace();
  v1::ServerFinish* out = step.send->mutable_server_finish();
  out->set_confirm(confirm_mac(keys.server_confirm, th));
  out->set_sealed_proof(seal_proof(self_, kServerProofLabel, keys.server_proof, th));
  step.success = HandshakeSuccess{std::move(*peer),
                                  crypto::ChannelKeys{keys.server_to_client, keys.client_to_server}, mode_};
  return step;
}

}  // namespace attune::pairing
