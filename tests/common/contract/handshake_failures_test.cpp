// proto/HANDSHAKE.md section 9, "Which answer for which failure": each row of
// the handshake part is provoked here against the real state machines, and
// the answer they give must be the one the document names.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "attune/pairing/handshake.hpp"
#include "attune/pairing/host_pairing.hpp"
#include "doc_section.hpp"
#include "handshake_doc.hpp"

namespace attune::contract {
namespace {

using pairing::HandshakeStep;
using pairing::HostHandshake;
using pairing::HostHandshakeConfig;
using pairing::JoinerHandshake;

const TimePoint kNow = from_ms(1'700'000'000'000);
const std::string kCode = "482913";

// The rows checked against a real host process (tests/peer/net/hello_failures_test.cpp).
const std::set<std::string> kAfterHandshake = {"first-not-hello", "second-hello",  "hello-other-id",
                                               "hello-host-id",   "hello-version", "clear-after-handshake",
                                               "sealed-in-sealed"};

// The answer as the document writes it.
std::string answer(const HandshakeStep& step) {
  if (step.send && step.send->has_refusal()) return refusal_of(step);
  if (step.error && !step.send) return "nothing";
  return step.success ? "(accepted)" : "(something else was sent)";
}

// Runs a joiner against a host up to the host's judgement of ClientFinish,
// letting `tamper` change the ClientFinish first.
HandshakeStep host_judges_finish(JoinerHandshake joiner, HostHandshake host,
                                 const std::function<void(v1::ClientFinish&)>& tamper) {
  const HandshakeStep hello = host.receive(joiner.hello());
  if (!hello.send || !hello.send->has_server_hello()) return hello;
  HandshakeStep finish = joiner.receive(*hello.send);
  if (!finish.send) return finish;
  tamper(*finish.send->mutable_client_finish());
  return host.receive(*finish.send);
}

// The joiner's judgement of the host's ServerHello (or ServerFinish, if `finish`).
HandshakeStep joiner_judges(JoinerHandshake joiner, HostHandshake host, bool finish,
                            const std::function<void(v1::HandshakeMessage&)>& tamper) {
  HandshakeStep hello = host.receive(joiner.hello());
  if (!finish) {
    tamper(*hello.send);
    return joiner.receive(*hello.send);
  }
  const HandshakeStep client_finish = joiner.receive(*hello.send);
  HandshakeStep server_finish = host.receive(*client_finish.send);
  if (!server_finish.send) return server_finish;
  tamper(*server_finish.send);
  return joiner.receive(*server_finish.send);
}

HandshakeStep host_on_hello(const Pair& p, HostHandshakeConfig config,
                            const std::function<void(v1::ClientHello&)>& tamper, bool pinned = false) {
  auto joiner = pinned ? JoinerHandshake::with_pin(p.joiner, p.host.peer_identity(), p.random)
                       : JoinerHandshake::with_code(p.joiner, kCode, p.random);
  v1::HandshakeMessage hello = joiner.hello();
  tamper(*hello.mutable_client_hello());
  HostHandshake host(p.host, std::move(config), p.random);
  return host.receive(hello);
}

void no_change(v1::ClientFinish&) {}
void flip_confirm(v1::ClientFinish& f) { f.mutable_confirm()->at(0) ^= 1; }

// Code-mode ClientHellos from one source, one connection each, until the
// host answers one with a refusal (section 7: judged at the ClientHello).
HandshakeStep rate_limited(std::size_t attempts) {
  const Pair p;
  pairing::HostPairing host(p.host, pairing::PairingPolicyConfig{}, p.random);
  const std::string code = host.policy().open_code(2, kNow);
  for (pairing::ConnectionId id = 1; id <= attempts; ++id) {
    if (host.on_connect(id, "source-1", kNow)) return {};  // Section 7: never refused at the door.
    auto joiner = JoinerHandshake::with_code(p.joiner, code, p.random);
    HandshakeStep step = host.on_message(id, joiner.hello(), kNow);
    if (step.error) return step;
  }
  return {};
}

HandshakeStep code_replaced() {
  const Pair p;
  pairing::HostPairing host(p.host, pairing::PairingPolicyConfig{}, p.random);
  const std::string code = host.policy().open_code(2, kNow);
  auto joiner = JoinerHandshake::with_code(p.joiner, code, p.random);
  if (host.on_connect(1, "source-1", kNow)) return {};
  const HandshakeStep hello = host.on_message(1, joiner.hello(), kNow);
  const HandshakeStep finish = joiner.receive(*hello.send);
  host.policy().open_code(2, kNow);  // The host's user opens a new code meanwhile.
  return host.on_message(1, *finish.send, kNow);
}

using Case = std::function<HandshakeStep()>;

// Failures the host notices.
std::map<std::string, Case> host_cases(const std::shared_ptr<Pair>& p) {
  std::map<std::string, Case> c;
  const HostHandshakeConfig code_open{kCode, {}};
  c["client-version"] = [=] {
    return host_on_hello(*p, code_open, [](auto& h) { h.set_protocol_version(2); });
  };
  c["client-nonce-size"] = [=] {
    return host_on_hello(*p, code_open, [](auto& h) { h.mutable_client_nonce()->pop_back(); });
  };
  c["unknown-mode"] = [=] {
    return host_on_hello(*p, code_open, [](auto& h) { h.set_mode(v1::PAIRING_MODE_UNSPECIFIED); });
  };
  c["code-key-share"] = [=] {
    return host_on_hello(*p, code_open, [](auto& h) { h.set_key_share(std::string(32, 'k')); });
  };
  c["no-open-code"] = [=] { return host_on_hello(*p, HostHandshakeConfig{std::nullopt, {}}, [](auto&) {}); };
  c["pinned-key-share"] = [=] {
    return host_on_hello(
        *p, HostHandshakeConfig{std::nullopt, p->joiner_pinned()},
        [](auto& h) { h.mutable_key_share()->pop_back(); }, true);
  };
  c["out-of-order"] = [=] {
    HostHandshake host(p->host, code_open, p->random);
    v1::HandshakeMessage finish;
    finish.mutable_client_finish()->set_confirm(std::string(64, 'c'));
    return host.receive(finish);
  };
  auto code_finish = [=](pairing::PinnedKeys pins, std::function<void(v1::ClientFinish&)> tamper,
                         const crypto::DeviceIdentity* joiner = nullptr, std::string typed = kCode) {
    return host_judges_finish(JoinerHandshake::with_code(joiner ? *joiner : p->joiner, typed, p->random),
                              HostHandshake(p->host, HostHandshakeConfig{kCode, std::move(pins)}, p->random),
                              tamper);
  };
  auto pinned_finish = [=](pairing::PinnedKeys pins, std::function<void(v1::ClientFinish&)> tamper) {
    return host_judges_finish(
        JoinerHandshake::with_pin(p->joiner, p->host.peer_identity(), p->random),
        HostHandshake(p->host, HostHandshakeConfig{std::nullopt, std::move(pins)}, p->random), tamper);
  };
  c["finish-share-size"] = [=] {
    return code_finish({}, [](auto& f) { f.mutable_key_share()->pop_back(); });
  };
  c["wrong-code"] = [=] { return code_finish({}, no_change, nullptr, "111111"); };
  c["code-replaced"] = code_replaced;
  c["pinned-confirm"] = [=] { return pinned_finish(p->joiner_pinned(), flip_confirm); };
  c["bad-proof"] = [=] { return code_finish({}, [](auto& f) { f.mutable_sealed_proof()->at(5) ^= 1; }); };
  c["proof-is-host"] = [=] {
    const crypto::DeviceIdentity impostor = device(p->host.device_id());
    return code_finish({}, no_change, &impostor);
  };
  c["code-key-changed"] = [=] { return code_finish(p->other_key_pinned(), no_change); };
  c["unknown-device"] = [=] { return pinned_finish({}, no_change); };
  c["pinned-key-changed"] = [=] { return pinned_finish(p->other_key_pinned(), no_change); };
  // 32 bytes that are not a ristretto255 encoding (not canonical), and the
  // identity element (decodes, but K would be the identity): both abort CPace.
  c["finish-share-invalid"] = [=] {
    return code_finish({}, [](auto& f) { f.set_key_share(std::string(32, '\xff')); });
  };
  c["finish-share-identity"] = [=] {
    return code_finish({}, [](auto& f) { f.set_key_share(std::string(32, '\0')); });
  };
  c["pinned-finish-share"] = [=] {
    return pinned_finish(p->joiner_pinned(), [](auto& f) { f.set_key_share(std::string(32, 'k')); });
  };
  c["pinned-low-order"] = [=] {
    // A low-order joiner key: X25519 gives all zeros, which the host refuses.
    auto joiner = JoinerHandshake::with_pin(p->joiner, p->host.peer_identity(), p->random);
    HostHandshake host(p->host, HostHandshakeConfig{std::nullopt, p->joiner_pinned()}, p->random);
    v1::HandshakeMessage hello = joiner.hello();
    hello.mutable_client_hello()->set_key_share(std::string(32, '\0'));
    const HandshakeStep server_hello = host.receive(hello);
    if (!server_hello.send || !server_hello.send->has_server_hello()) return server_hello;
    const HandshakeStep finish = joiner.receive(*server_hello.send);
    if (!finish.send) return finish;
    return host.receive(*finish.send);
  };
  c["rate-limited"] = [] { return rate_limited(pairing::PairingPolicyConfig{}.attempts_per_source + 1); };
  return c;
}

// Failures the joiner notices.
std::map<std::string, Case> joiner_cases(const std::shared_ptr<Pair>& p) {
  std::map<std::string, Case> c;
  const HostHandshakeConfig code_open{kCode, {}};
  auto code_pair = [=] {
    return std::pair{JoinerHandshake::with_code(p->joiner, kCode, p->random),
                     HostHandshake(p->host, code_open, p->random)};
  };
  c["server-version"] = [=] {
    auto [j, h] = code_pair();
    return joiner_judges(std::move(j), std::move(h), false,
                         [](auto& m) { m.mutable_server_hello()->set_protocol_version(2); });
  };
  c["server-nonce-size"] = [=] {
    auto [j, h] = code_pair();
    return joiner_judges(std::move(j), std::move(h), false,
                         [](auto& m) { m.mutable_server_hello()->mutable_server_nonce()->pop_back(); });
  };
  c["server-confirm-code"] = [=] {
    auto [j, h] = code_pair();
    return joiner_judges(std::move(j), std::move(h), true,
                         [](auto& m) { m.mutable_server_finish()->mutable_confirm()->at(0) ^= 1; });
  };
  c["server-share-size"] = [=] {
    auto [j, h] = code_pair();
    return joiner_judges(std::move(j), std::move(h), false,
                         [](auto& m) { m.mutable_server_hello()->mutable_key_share()->pop_back(); });
  };
  c["server-share-invalid"] = [=] {
    auto [j, h] = code_pair();
    return joiner_judges(std::move(j), std::move(h), false,
                         [](auto& m) { m.mutable_server_hello()->set_key_share(std::string(32, '\xff')); });
  };
  c["server-share-identity"] = [=] {
    auto [j, h] = code_pair();
    return joiner_judges(std::move(j), std::move(h), false,
                         [](auto& m) { m.mutable_server_hello()->set_key_share(std::string(32, '\0')); });
  };
  auto pinned_pair = [=] {
    return std::pair{
        JoinerHandshake::with_pin(p->joiner, p->host.peer_identity(), p->random),
        HostHandshake(p->host, HostHandshakeConfig{std::nullopt, p->joiner_pinned()}, p->random)};
  };
  c["server-low-order"] = [=] {
    auto [j, h] = pinned_pair();
    return joiner_judges(std::move(j), std::move(h), false,
                         [](auto& m) { m.mutable_server_hello()->set_key_share(std::string(32, '\0')); });
  };
  c["server-confirm-pinned"] = [=] {
    auto [j, h] = pinned_pair();
    return joiner_judges(std::move(j), std::move(h), true,
                         [](auto& m) { m.mutable_server_finish()->mutable_confirm()->at(0) ^= 1; });
  };
  c["server-bad-proof"] = [=] {
    auto [j, h] = pinned_pair();
    return joiner_judges(std::move(j), std::move(h), true,
                         [](auto& m) { m.mutable_server_finish()->mutable_sealed_proof()->at(5) ^= 1; });
  };
  c["server-key-changed"] = [=] {
    crypto::PeerIdentity expected = p->host.peer_identity();
    expected.public_key = device("x").public_key();
    return joiner_judges(
        JoinerHandshake::with_pin(p->joiner, expected, p->random),
        HostHandshake(p->host, HostHandshakeConfig{std::nullopt, p->joiner_pinned()}, p->random), true,
        [](auto&) {});
  };
  return c;
}

std::map<std::string, Case> cases() {
  const auto p = std::make_shared<Pair>();
  auto c = host_cases(p);
  c.merge(joiner_cases(p));
  return c;
}

std::map<std::string, std::vector<std::string>> documented() {
  std::map<std::string, std::vector<std::string>> out;
  const auto table = read_contract(source_dir() / "proto" / "HANDSHAKE.md", "handshake-failures");
  if (!table) return out;
  for (auto& row : markdown_rows(*table)) {
    if (row.size() != 4 || row[0].size() < 2) continue;
    out[row[0].substr(1, row[0].size() - 2)] = row;  // `case` without the backticks.
  }
  return out;
}

class HandshakeFailureDoc : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::init_crypto()); }
};

TEST_P(HandshakeFailureDoc, AnswerIsTheOneTheDocumentNames) {
  const auto rows = documented();
  const auto row = rows.find(GetParam());
  ASSERT_NE(row, rows.end()) << "proto/HANDSHAKE.md has no row for " << GetParam();
  const HandshakeStep step = cases().at(GetParam())();
  ASSERT_TRUE(step.error) << GetParam() << ": the failure was not noticed at all";
  EXPECT_EQ(answer(step), row->second[3]) << GetParam() << ": " << row->second[2];
  // Joiner-side failures are noticed by the joiner, and it sends nothing.
  EXPECT_EQ(row->second[1] == "joiner", answer(step) == "nothing") << GetParam();
}

std::vector<std::string> case_names() {
  std::vector<std::string> out;
  for (const auto& [name, fn] : cases()) out.push_back(name);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Rows, HandshakeFailureDoc, ::testing::ValuesIn(case_names()), [](const auto& info) {
  std::string n = info.param;
  std::replace(n.begin(), n.end(), '-', '_');
  return n;
});

TEST(HandshakeFailureTable, EveryRowHasATest) {
  const auto rows = documented();
  ASSERT_FALSE(rows.empty()) << "proto/HANDSHAKE.md lost its handshake-failures table";
  const auto checked = cases();
  for (const auto& [name, row] : rows) {
    EXPECT_TRUE(checked.count(name) || kAfterHandshake.count(name)) << "no test provokes " << name;
  }
  for (const auto& name : kAfterHandshake) EXPECT_TRUE(rows.count(name)) << "no row for " << name;
}

// Section 9, "Retries and the code's 5 guesses": a joiner whose code-mode
// handshakes keep failing after ClientFinish (a damaged link) retries by
// itself only as long as retry_automatically says, and by then the host's
// code must still be open: the retries never use up its 5 guesses.
TEST(HandshakeRetry, CodeModeProtocolErrorsStopBeforeTheyUseUpTheCode) {
  ASSERT_TRUE(crypto::init_crypto());
  const Pair p;
  pairing::HostPairing host(p.host, pairing::PairingPolicyConfig{}, p.random);
  const std::string code = host.policy().open_code(2, kNow);
  int attempts = 0;
  for (pairing::ConnectionId id = 1; id <= 20; ++id) {
    ++attempts;
    ASSERT_FALSE(host.on_connect(id, "source-" + std::to_string(id), kNow));
    auto joiner = JoinerHandshake::with_code(p.joiner, code, p.random);
    const HandshakeStep hello = host.on_message(id, joiner.hello(), kNow);
    ASSERT_TRUE(hello.send && hello.send->has_server_hello());
    HandshakeStep finish = joiner.receive(*hello.send);
    ASSERT_TRUE(finish.send);
    finish.send->mutable_client_finish()->mutable_sealed_proof()->at(3) ^= 1;  // Damaged on the way.
    const HandshakeStep judged = host.on_message(id, *finish.send, kNow);
    ASSERT_EQ(judged.error, pairing::HandshakeError::ProtocolError);
    if (!pairing::retry_automatically(pairing::HandshakeError::ProtocolError, true, attempts)) break;
  }
  EXPECT_EQ(attempts, pairing::kMaxCodeModeProtocolRetries + 1) << "the joiner should stop after its retries";
  EXPECT_LT(host.policy().wrong_codes(), 5);
  EXPECT_EQ(host.policy().code(kNow), code) << "the retries used up the code and the host replaced it";
  // Pinned mode spends no guess: its protocol errors are retried without a limit.
  EXPECT_TRUE(pairing::retry_automatically(pairing::HandshakeError::ProtocolError, false, 100));
}

}  // namespace
}  // namespace attune::contract
