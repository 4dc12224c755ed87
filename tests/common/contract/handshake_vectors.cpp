#include "handshake_vectors.hpp"

#include <sodium.h>

#include <deque>
#include <sstream>

#include "attune/crypto/cpace.hpp"
#include "attune/crypto/kdf.hpp"
#include "attune/crypto/secure_channel.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/v1/wire.pb.h"
#include "attune/wire_codec.hpp"

namespace attune::contract {

namespace {

using crypto::Bytes;
using crypto::ByteView;
namespace v1 = ::attune::v1;

// 32 bytes counting up from `first` (wrapping), so every input is easy to retype.
Bytes counting(std::uint8_t first) {
  Bytes out(32);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(first + i);
  return out;
}

ByteView view(const std::string& s) { return crypto::as_bytes(s); }
ByteView view_of_bytes(const Bytes& b) { return ByteView(b.data(), b.size()); }
std::string hex(ByteView b) { return crypto::to_hex(b); }
std::string hex(const std::string& s) { return hex(view(s)); }

// Hands out fixed byte strings in order; each draw must ask for the next one's size.
class FixedRandom {
 public:
  FixedRandom(std::vector<Bytes> draws, std::vector<std::string>& problems, std::string who)
      : draws_(draws.begin(), draws.end()), problems_(problems), who_(std::move(who)) {}
  crypto::RandomFn fn() {
    return [this](std::span<std::uint8_t> out) {
      if (draws_.empty() || draws_.front().size() != out.size()) {
        problems_.push_back(who_ + " drew random bytes the vectors do not describe");
        std::fill(out.begin(), out.end(), 0);
        return;
      }
      std::copy(draws_.front().begin(), draws_.front().end(), out.begin());
      draws_.pop_front();
    };
  }

 private:
  std::deque<Bytes> draws_;
  std::vector<std::string>& problems_;
  std::string who_;
};

crypto::DeviceIdentity device(const std::string& id, const Bytes& seed_bytes) {
  crypto::Seed seed;
  std::copy(seed_bytes.begin(), seed_bytes.end(), seed.bytes.begin());
  return crypto::DeviceIdentity(id, seed);
}

Bytes sha512(ByteView in) {
  Bytes out(crypto_hash_sha512_BYTES);
  crypto_hash_sha512(out.data(), in.data(), in.size());
  return out;
}

Bytes seal_aead(ByteView key, ByteView nonce, ByteView ad, ByteView plain) {
  Bytes out(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &len, plain.data(), plain.size(), ad.data(),
                                             ad.size(), nullptr, nonce.data(), key.data());
  out.resize(static_cast<std::size_t>(len));
  return out;
}

struct Run {
  std::string prefix;
  HandshakeVectors& out;
  void put(const std::string& name, const std::string& value) {
    out.values.emplace_back(prefix + name, value);
  }
  void check(bool ok, const std::string& what) {
    if (!ok) out.problems.push_back(prefix + what + ": the code differs from the documented formula");
  }
};

// Everything after the shared secret: transcript, keys, confirmations, proofs, frames.
void after_secret(Run& r, ByteView secret, const v1::ClientHello& ch, const v1::ServerHello& sh,
                  const std::string& finish_share, const v1::ClientFinish& cf, const v1::ServerFinish& sf,
                  const crypto::DeviceIdentity& joiner, const crypto::DeviceIdentity& host,
                  const pairing::HandshakeStep& joiner_done, const pairing::HandshakeStep& host_done) {
  const auto v = crypto::be32(ch.protocol_version());
  const auto mode = crypto::be32(static_cast<std::uint32_t>(ch.mode()));
  const auto sv = crypto::be32(sh.protocol_version());
  const Bytes th_input =
      crypto::lv_cat({crypto::as_bytes("attune.v1 handshake"), crypto::view_of(v), crypto::view_of(mode),
                      view(ch.client_nonce()), view(ch.key_share()), crypto::view_of(sv),
                      view(sh.server_nonce()), view(sh.key_share()), view(finish_share)});
  const Bytes th = sha512(th_input);
  r.put("transcript_input", hex(th_input));
  r.put("th", hex(th));
  const auto prk = crypto::hkdf_extract(th, secret);
  r.put("prk", hex(prk.view()));
  std::map<std::string, crypto::Key> keys;
  for (const char* label : {"client confirm", "server confirm", "client proof", "server proof",
                            "client to server", "server to client"}) {
    keys[label] = crypto::hkdf_expand_key(prk.view(), std::string("attune.v1 ") + label);
    std::string name = label;
    std::replace(name.begin(), name.end(), ' ', '_');
    r.put(name + "_key", hex(keys[label].view()));
  }
  const crypto::Mac client_confirm = crypto::hmac_sha512(keys["client confirm"].view(), th);
  const crypto::Mac server_confirm = crypto::hmac_sha512(keys["server confirm"].view(), th);
  r.put("ClientFinish.confirm", hex(crypto::view_of(client_confirm)));
  r.put("ServerFinish.confirm", hex(crypto::view_of(server_confirm)));
  r.check(cf.confirm() == std::string(client_confirm.begin(), client_confirm.end()), "ClientFinish.confirm");
  r.check(sf.confirm() == std::string(server_confirm.begin(), server_confirm.end()), "ServerFinish.confirm");

  const Bytes zero_nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, 0);
  struct Side {
    const char* who;
    const char* label;
    const crypto::DeviceIdentity& id;
    const char* key;
    const std::string& sealed_on_wire;
  };
  for (const Side& s : {Side{"joiner", "attune.v1 client proof", joiner, "client proof", cf.sealed_proof()},
                        Side{"host", "attune.v1 server proof", host, "server proof", sf.sealed_proof()}}) {
    const Bytes signed_bytes = crypto::lv_cat(
        {crypto::as_bytes(s.label), th, view(s.id.device_id()), crypto::view_of(s.id.public_key())});
    const crypto::Signature sig = s.id.sign(signed_bytes);
    v1::IdentityProof proof;
    proof.set_device_id(s.id.device_id());
    proof.set_public_key(std::string(s.id.public_key().begin(), s.id.public_key().end()));
    proof.set_signature(std::string(sig.begin(), sig.end()));
    const std::string plain = proof.SerializeAsString();
    const Bytes sealed = seal_aead(keys[s.key].view(), zero_nonce, th, view(plain));
    const std::string w = s.who;
    r.put(w + "_proof.signed", hex(signed_bytes));
    r.put(w + "_proof.signature", hex(crypto::view_of(sig)));
    r.put(w + "_proof.IdentityProof", hex(plain));
    r.put(w + "_proof.sealed_proof", hex(sealed));
    r.check(s.sealed_on_wire == std::string(sealed.begin(), sealed.end()), w + " sealed_proof");
  }

  if (!joiner_done.success || !host_done.success) {
    r.out.problems.push_back(r.prefix + "the handshake did not succeed for the fixed inputs");
    return;
  }
  const crypto::ChannelKeys& jk = joiner_done.success->keys;
  const crypto::ChannelKeys& hk = host_done.success->keys;
  r.check(jk.send.bytes == keys["client to server"].bytes && hk.receive.bytes == jk.send.bytes,
          "client_to_server key");
  r.check(hk.send.bytes == keys["server to client"].bytes && jk.receive.bytes == hk.send.bytes,
          "server_to_client key");
  // One data frame each way, the first (counter 0) in its direction, as SecureChannel seals it.
  crypto::SecureChannel joiner_channel(jk), host_channel(hk);
  const std::string up = "attune test vector: joiner to host";
  const std::string down = "attune test vector: host to joiner";
  const Bytes up_frame = joiner_channel.seal(view(up));
  const Bytes down_frame = host_channel.seal(view(down));
  r.put("frame_joiner_to_host.payload", "\"" + up + "\"");
  r.put("frame_joiner_to_host", hex(up_frame));
  r.put("frame_host_to_joiner.payload", "\"" + down + "\"");
  r.put("frame_host_to_joiner", hex(down_frame));
  // The same bytes as they travel: a 4-byte length, then Envelope{sealed = frame};
  // and the joiner's first handshake message, Envelope{handshake{client_hello}}.
  v1::Envelope hello_env;
  *hello_env.mutable_handshake()->mutable_client_hello() = ch;
  v1::Envelope up_env;
  up_env.set_sealed(std::string(up_frame.begin(), up_frame.end()));
  const auto hello_wire = encode_envelope(hello_env);
  const auto up_wire = encode_envelope(up_env);
  r.check(hello_wire.has_value() && up_wire.has_value(), "wire framing");
  r.put("wire.ClientHello", hello_wire ? hex(*hello_wire) : "");
  r.put("wire.frame_joiner_to_host", up_wire ? hex(*up_wire) : "");
  // The joiner's close frame, right after its data frame (counter 1).
  v1::Close goodbye;
  goodbye.set_reason(v1::CLOSE_REASON_GOING_AWAY);
  goodbye.set_message("This device closed Attune for now.");
  const std::string goodbye_bytes = goodbye.SerializeAsString();
  const Bytes close_frame = joiner_channel.seal_close(view(goodbye_bytes));
  r.put("close_joiner_to_host.Close", hex(goodbye_bytes));
  r.put("close_joiner_to_host", hex(close_frame));
  const auto up_open = host_channel.open(up_frame);
  const auto down_open = joiner_channel.open(down_frame);
  r.check(up_open.ok() && std::string(up_open.payload.begin(), up_open.payload.end()) == up,
          "frame joiner to host (opening)");
  r.check(down_open.ok() && std::string(down_open.payload.begin(), down_open.payload.end()) == down,
          "frame host to joiner (opening)");
}

struct Inputs {
  std::string host_id = "host-laptop";
  std::string joiner_id = "joiner-laptop";
  std::string code = "482913";
  Bytes host_seed = counting(0x10);
  Bytes joiner_seed = counting(0x30);
  Bytes client_nonce = counting(0x50);
  Bytes server_nonce = counting(0x70);
  Bytes host_scalar = counting(0x90);       // Code mode: host's CPace scalar draw.
  Bytes joiner_scalar = counting(0xb0);     // Code mode: joiner's CPace scalar draw.
  Bytes joiner_ephemeral = counting(0xd0);  // Pinned mode: X25519 secret keys.
  Bytes host_ephemeral = counting(0xf0);
};

// Runs both state machines over the fixed inputs; returns the four messages.
struct Exchange {
  v1::ClientHello ch;
  v1::ServerHello sh;
  v1::ClientFinish cf;
  v1::ServerFinish sf;
  pairing::HandshakeStep joiner_done;
  pairing::HandshakeStep host_done;
};

Exchange exchange(pairing::JoinerHandshake& joiner, pairing::HostHandshake& host) {
  Exchange e;
  const v1::HandshakeMessage hello = joiner.hello();
  e.ch = hello.client_hello();
  const pairing::HandshakeStep s1 = host.receive(hello);
  if (!s1.send || !s1.send->has_server_hello()) return e;
  e.sh = s1.send->server_hello();
  const pairing::HandshakeStep s2 = joiner.receive(*s1.send);
  if (!s2.send || !s2.send->has_client_finish()) return e;
  e.cf = s2.send->client_finish();
  e.host_done = host.receive(*s2.send);
  if (!e.host_done.send || !e.host_done.send->has_server_finish()) return e;
  e.sf = e.host_done.send->server_finish();
  e.joiner_done = joiner.receive(*e.host_done.send);
  return e;
}

void code_mode(const Inputs& in, HandshakeVectors& out) {
  Run r{"code.", out};
  const auto host = device(in.host_id, in.host_seed);
  const auto joiner = device(in.joiner_id, in.joiner_seed);
  FixedRandom host_random({in.server_nonce, in.host_scalar}, out.problems, "code mode host");
  FixedRandom joiner_random({in.client_nonce, in.joiner_scalar}, out.problems, "code mode joiner");
  auto jh = pairing::JoinerHandshake::with_code(joiner, in.code, joiner_random.fn());
  pairing::HostHandshake hh(host, pairing::HostHandshakeConfig{in.code, {}}, host_random.fn());
  const Exchange e = exchange(jh, hh);

  Bytes sid = in.client_nonce;
  sid.insert(sid.end(), in.server_nonce.begin(), in.server_nonce.end());
  const auto ci = crypto::as_bytes("attune.v1 code pairing");
  const auto g = crypto::calculate_generator(view(in.code), ci, sid);
  const auto a = crypto::Cpace::start(crypto::CpaceRole::A, view(in.code), ci, sid, {},
                                      std::span<const std::uint8_t, 32>(in.host_scalar.data(), 32));
  const auto b = crypto::Cpace::start(crypto::CpaceRole::B, view(in.code), ci, sid, {},
                                      std::span<const std::uint8_t, 32>(in.joiner_scalar.data(), 32));
  if (!a || !b) {
    out.problems.push_back("code mode: CPace did not start for the fixed scalars");
    return;
  }
  const auto isk = a->finish(b->share(), {});
  const auto isk_b = b->finish(a->share(), {});
  if (!isk || !isk_b || isk->bytes != isk_b->bytes) {
    out.problems.push_back("code mode: the two CPace parties disagree");
    return;
  }
  const Bytes gen_str = crypto::generator_string(crypto::as_bytes(crypto::kCpaceDsi), view(in.code), ci, sid,
                                                 crypto::kSha512BlockBytes);
  r.put("sid", hex(sid));
  r.put("gen_str", hex(gen_str));
  r.put("g", hex(crypto::view_of(g)));
  r.put("Ya", hex(crypto::view_of(a->share())));
  r.put("Yb", hex(crypto::view_of(b->share())));
  // K, the product both parties reach (joiner's side: yb * Ya).
  Bytes yb = in.joiner_scalar;
  yb[31] &= 0x0f;
  const auto k = crypto::scalar_mult_vfy(view_of_bytes(yb), crypto::view_of(a->share()));
  r.check(k.has_value(), "K");
  if (k) r.put("K", hex(crypto::view_of(*k)));
  r.put("ISK", hex(isk->view()));
  r.check(e.sh.key_share() == std::string(a->share().begin(), a->share().end()),
          "ServerHello.key_share (Ya)");
  r.check(e.cf.key_share() == std::string(b->share().begin(), b->share().end()),
          "ClientFinish.key_share (Yb)");
  after_secret(r, isk->view(), e.ch, e.sh, e.cf.key_share(), e.cf, e.sf, joiner, host, e.joiner_done,
               e.host_done);
}

void pinned_mode(const Inputs& in, HandshakeVectors& out) {
  Run r{"pinned.", out};
  const auto host = device(in.host_id, in.host_seed);
  const auto joiner = device(in.joiner_id, in.joiner_seed);
  FixedRandom host_random({in.server_nonce, in.host_ephemeral}, out.problems, "pinned mode host");
  FixedRandom joiner_random({in.client_nonce, in.joiner_ephemeral}, out.problems, "pinned mode joiner");
  auto jh = pairing::JoinerHandshake::with_pin(joiner, host.peer_identity(), joiner_random.fn());
  pairing::PinnedKeys pins{{joiner.device_id(), joiner.public_key()}};
  pairing::HostHandshake hh(host, pairing::HostHandshakeConfig{std::nullopt, pins}, host_random.fn());
  const Exchange e = exchange(jh, hh);

  Bytes joiner_pub(32), host_pub(32), shared(32);
  crypto_scalarmult_base(joiner_pub.data(), in.joiner_ephemeral.data());
  crypto_scalarmult_base(host_pub.data(), in.host_ephemeral.data());
  if (crypto_scalarmult(shared.data(), in.joiner_ephemeral.data(), host_pub.data()) != 0) {
    out.problems.push_back("pinned mode: X25519 failed for the fixed keys");
    return;
  }
  r.put("ClientHello.key_share", hex(joiner_pub));
  r.put("ServerHello.key_share", hex(host_pub));
  r.put("S", hex(shared));
  r.check(e.ch.key_share() == std::string(joiner_pub.begin(), joiner_pub.end()), "ClientHello.key_share");
  r.check(e.sh.key_share() == std::string(host_pub.begin(), host_pub.end()), "ServerHello.key_share");
  after_secret(r, shared, e.ch, e.sh, {}, e.cf, e.sf, joiner, host, e.joiner_done, e.host_done);
}

// README.md, "Ratings for the coach": the record a partner seals, and its
// padding. The sealed box itself is random (an ephemeral key), so it has no vector.
void coach_record(const Inputs& in, HandshakeVectors& out) {
  Run r{"coach.", out};
  v1::CoachLevelRecord record;
  record.set_session_id("0123456789abcdef0123456789abcdef");
  record.set_partner_id(in.joiner_id);
  record.set_coach_id(in.host_id);
  record.set_level(7);
  record.set_at_ms(1'700'000'000'000);
  record.set_step(v1::STEP_GAUGE);
  const std::string plain = record.SerializeAsString();
  Bytes padded(192);
  std::copy(plain.begin(), plain.end(), padded.begin());
  std::size_t padded_size = 0;
  const bool ok = sodium_pad(&padded_size, padded.data(), plain.size(), 192, padded.size()) == 0;
  r.check(ok && padded_size == 192, "the padded record");
  r.put("CoachLevelRecord", hex(plain));
  r.put("padded", hex(padded));
}

}  // namespace

HandshakeVectors handshake_vectors() {
  HandshakeVectors out;
  if (sodium_init() < 0) {
    out.problems.push_back("libsodium did not start");
    return out;
  }
  const Inputs in;
  const auto host = device(in.host_id, in.host_seed);
  const auto joiner = device(in.joiner_id, in.joiner_seed);
  auto put = [&](const std::string& name, const std::string& value) { out.values.emplace_back(name, value); };
  put("host_device_id", "\"" + in.host_id + "\"");
  put("host_seed", hex(in.host_seed));
  put("host_public_key", hex(crypto::view_of(host.public_key())));
  put("joiner_device_id", "\"" + in.joiner_id + "\"");
  put("joiner_seed", hex(in.joiner_seed));
  put("joiner_public_key", hex(crypto::view_of(joiner.public_key())));
  put("code", "\"" + in.code + "\"");
  put("client_nonce", hex(in.client_nonce));
  put("server_nonce", hex(in.server_nonce));
  put("host_cpace_scalar_draw", hex(in.host_scalar));
  put("joiner_cpace_scalar_draw", hex(in.joiner_scalar));
  put("joiner_x25519_secret", hex(in.joiner_ephemeral));
  put("host_x25519_secret", hex(in.host_ephemeral));
  code_mode(in, out);
  pinned_mode(in, out);
  coach_record(in, out);
  return out;
}

std::string render(const HandshakeVectors& vectors) {
  std::ostringstream out;
  out << "```\n";
  std::string group;
  for (const auto& [name, value] : vectors.values) {
    const auto dot = name.find('.');
    const bool mode_value = name.starts_with("code.") || name.starts_with("pinned.");
    const bool coach_value = name.starts_with("coach.");
    const std::string g = mode_value || coach_value ? name.substr(0, dot) : "inputs";
    if (g != group) {
      if (!group.empty()) out << "\n";
      out << "# " << (g == "inputs" ? "fixed inputs" : coach_value ? "coach record" : g + " mode") << "\n";
      group = g;
    }
    out << name << " = " << value << "\n";
  }
  out << "```\n";
  return out.str();
}

std::map<std::string, std::string> parse_vectors(const std::string& block) {
  std::map<std::string, std::string> out;
  std::istringstream in(block);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find(" = ");
    if (eq == std::string::npos || line.starts_with("#")) continue;
    out[line.substr(0, eq)] = line.substr(eq + 3);
  }
  return out;
}

}  // namespace attune::contract
