// The connection handshake as two pure state machines, one per side:
// messages in, messages out, no sockets or clocks. The joiner (the side that
// connects) runs JoinerHandshake, the host runs HostHandshake.
//
//   joiner                                   host
//   ClientHello{version, mode, nonce_c, [eph_c]} ->
//                 <- ServerHello{version, nonce_s, share_s}   (or HandshakeRefusal)
//   ClientFinish{[Yb], confirm_c, sealed proof_c} ->
//                 <- ServerFinish{confirm_s, sealed proof_s}  (or HandshakeRefusal)
//
// Code mode runs CPace (host = party A, joiner = party B) on the typed code;
// pinned mode runs an ephemeral X25519 exchange. Either way, keys come from
// HKDF over the shared secret salted with the transcript hash, each side
// confirms the keys with an HMAC, and each proves its long-term Ed25519 key
// by signing the transcript inside an encrypted proof. proto/HANDSHAKE.md has
// the byte-level rules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "attune/crypto/cpace.hpp"
#include "attune/crypto/device_identity.hpp"
#include "attune/crypto/kdf.hpp"
#include "attune/crypto/secure_channel.hpp"
#include "attune/crypto/sodium_init.hpp"
#include "attune/v1/pairing.pb.h"

namespace attune::pairing {

namespace v1 = ::attune::v1;

// The secure handshake's version, carried in ClientHello and ServerHello
// (proto/HANDSHAKE.md); not the session protocol's (wire_codec.hpp).
inline constexpr std::uint32_t kHandshakeVersion = 1;
inline constexpr std::size_t kNonceBytes = 32;
inline constexpr std::size_t kX25519Bytes = 32;
// Handshake messages are small; anything bigger is refused before parsing.
inline constexpr std::size_t kMaxHandshakeMessageBytes = 1024;

// Why a handshake failed, from the point of view of the side reporting it.
enum class HandshakeError {
  WrongCode,        // The typed code and the host's code differ.
  CodeExpired,      // The host has no open code (expired, rotated, or seats full).
  RateLimited,      // Too many attempts from this address for now.
  KeyChanged,       // The peer's key is not the one pinned for its device id.
  KeyRefused,       // The host told us our key no longer matches its pin.
  UnknownDevice,    // Reconnect from a device that never paired with this host.
  VersionMismatch,  // The peer speaks a protocol version we do not.
  ProtocolError,    // Malformed, out-of-order or unverifiable message.
};

enum class HandshakeSide { Joiner, Host };

// Text for the person at this device, written to be shown as is.
std::string user_message(HandshakeError error, HandshakeSide side);

// Whether a joiner's automatic reconnect loop may try again by itself.
// Never after a wrong code (that would spend the host's guesses without the
// person retyping) or a key problem; after RateLimited, only once the host's
// retry_after_seconds have passed.
bool retry_automatically(HandshakeError error);

// Code-mode protocol errors in a row a joiner retries by itself: each may
// have cost one of the code's 5 guesses (proto/HANDSHAKE.md, section 9).
inline constexpr int kMaxCodeModeProtocolRetries = 2;
// The same, for the `failures_in_a_row`-th failure of this kind in a row
// (1 for the first): a code-mode ProtocolError is retried at most
// kMaxCodeModeProtocolRetries times, so a damaged link can't use up the code.
bool retry_automatically(HandshakeError error, bool code_mode, int failures_in_a_row);

v1::HandshakeRefusalReason refusal_reason(HandshakeError error);
HandshakeError error_for_refusal(v1::HandshakeRefusalReason reason);
v1::HandshakeMessage make_refusal(v1::HandshakeRefusalReason reason, std::uint32_t retry_after_seconds = 0);

// Keys the host has pinned: device id -> Ed25519 public key.
using PinnedKeys = std::map<std::string, crypto::PublicKey, std::less<>>;

struct HandshakeSuccess {
  crypto::PeerIdentity peer;  // Verified: the peer signed our transcript with this key.
  crypto::ChannelKeys keys;   // For SecureChannel.
  v1::PairingMode mode = v1::PAIRING_MODE_UNSPECIFIED;
};

// What one received message led to.
struct HandshakeStep {
  std::optional<v1::HandshakeMessage> send;  // Send this (also on failure, when it is a refusal).
  std::optional<HandshakeError> error;       // Failed: send `send` if set, then close.
  std::optional<HandshakeSuccess> success;   // Done: switch the connection to SecureChannel.
  bool code_guess_checked = false;           // Host: a code guess was judged in this step.
  std::uint32_t retry_after_seconds = 0;     // Joiner, RateLimited: as the host said.
};

class JoinerHandshake {
 public:
  // First pairing with the code the person typed (spaces and dashes are ignored).
  static JoinerHandshake with_code(crypto::DeviceIdentity self, std::string code, crypto::RandomFn random);
  // Reconnect to a host whose identity we pinned at first pairing.
  static JoinerHandshake with_pin(crypto::DeviceIdentity self, crypto::PeerIdentity host,
                                  crypto::RandomFn random);

  // The first message; call once.
  v1::HandshakeMessage hello();
  HandshakeStep receive(const v1::HandshakeMessage& message);

  bool finished() const { return state_ == State::Done || state_ == State::Failed; }

 private:
  enum class State { Start, HelloSent, FinishSent, Done, Failed };

  JoinerHandshake(crypto::DeviceIdentity self, v1::PairingMode mode, crypto::RandomFn random);
  HandshakeStep on_server_hello(const v1::ServerHello& hello);
  HandshakeStep on_server_finish(const v1::ServerFinish& finish);
  HandshakeStep fail(HandshakeError error);

  crypto::DeviceIdentity self_;
  v1::PairingMode mode_;
  crypto::RandomFn random_;
  State state_ = State::Start;
  std::string code_;
  std::optional<crypto::PeerIdentity> expected_host_;
  v1::ClientHello hello_;
  crypto::SecretBytes<kX25519Bytes> ephemeral_secret_;
  crypto::Bytes transcript_hash_;
  crypto::Key server_confirm_key_;
  crypto::Key server_proof_key_;
  crypto::ChannelKeys channel_keys_;
};

struct HostHandshakeConfig {
  std::optional<std::string> code;  // The open code from PairingPolicy; nullopt = code pairing closed.
  PinnedKeys pinned;                // Devices allowed to reconnect without a code.
};

class HostHandshake {
 public:
  HostHandshake(crypto::DeviceIdentity self, HostHandshakeConfig config, crypto::RandomFn random);

  HandshakeStep receive(const v1::HandshakeMessage& message);

  // Known once ClientHello arrived.
  v1::PairingMode mode() const { return mode_; }
  bool finished() const { return state_ == State::Done || state_ == State::Failed; }

 private:
  enum class State { AwaitHello, AwaitFinish, Done, Failed };

  HandshakeStep on_client_hello(const v1::ClientHello& hello);
  HandshakeStep on_client_finish(const v1::ClientFinish& finish);
  HandshakeStep fail(HandshakeError error, bool code_guess = false);

  crypto::DeviceIdentity self_;
  HostHandshakeConfig config_;
  crypto::RandomFn random_;
  State state_ = State::AwaitHello;
  v1::PairingMode mode_ = v1::PAIRING_MODE_UNSPECIFIED;
  v1::ClientHello client_hello_;
  v1::ServerHello server_hello_;
  std::optional<crypto::Cpace> cpace_;
  crypto::SecretBytes<kX25519Bytes> ephemeral_secret_;
};

}  // namespace attune::pairing
