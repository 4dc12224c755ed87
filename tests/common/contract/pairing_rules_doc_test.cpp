// proto/HANDSHAKE.md's pairing rules stated in words (reader 10): the order
// of the host's checks on a ClientHello (L3), the code-mode rate limit and
// its retry_after_seconds (L4), what each side holds after a code handshake
// that fails late (L5), and what a typed code may hold (L9). Each is read
// from the document and checked against the code that keeps it.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "attune/host/host_core.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/pairing/host_pairing.hpp"
#include "attune/pairing/pairing_code.hpp"
#include "doc_between.hpp"
#include "doc_section.hpp"
#include "handshake_doc.hpp"

namespace attune::contract {
namespace {

using pairing::HandshakeStep;
using pairing::JoinerHandshake;

const std::filesystem::path kHandshakeDoc = source_dir() / "proto" / "HANDSHAKE.md";
const TimePoint kNow = from_ms(1'700'000'000'000);
constexpr const char* kSource = "192.0.2.7";

// HANDSHAKE.md's text from `from` up to `to`, whitespace squeezed.
std::string in_handshake(const std::string& from, const std::string& to) {
  return between(read_squeezed(kHandshakeDoc), from, to);
}

// ---- L3: the order of the host's checks on a ClientHello ----

enum class Needs { Any, Code, Pinned, BadMode };

// One way a ClientHello fails: what it needs, and what it changes.
struct Failure {
  Needs needs;
  std::function<void(v1::ClientHello&)> tamper;  // Empty: the ClientHello as sent.
  bool spend_budget = false;
  bool close_code = false;
};

std::map<std::string, Failure> failures(v1::PairingMode bad_mode) {
  std::map<std::string, Failure> f;
  f["rate-limited"] = {Needs::Code, {}, true};
  f["client-version"] = {Needs::Any, [](auto& h) { h.set_protocol_version(2); }};
  f["client-nonce-size"] = {Needs::Any, [](auto& h) { h.mutable_client_nonce()->pop_back(); }};
  f["unknown-mode"] = {Needs::BadMode, [bad_mode](auto& h) { h.set_mode(bad_mode); }};
  f["code-key-share"] = {Needs::Code, [](auto& h) { h.set_key_share(std::string(32, 'k')); }};
  f["no-open-code"] = {Needs::Code, {}, false, true};
  f["pinned-key-share"] = {Needs::Pinned, [](auto& h) { h.mutable_key_share()->pop_back(); }};
  return f;
}

bool together(Needs a, Needs b) { return a == Needs::Any || b == Needs::Any || a == b; }

// A fresh host judging one ClientHello that fails every check in `all`.
HandshakeStep judge(const std::vector<const Failure*>& all) {
  const auto host_id = device("host-laptop");
  const auto joiner_id = device("joiner-laptop");
  const auto random = test::test_random();
  pairing::HostPairing host(host_id, pairing::PairingPolicyConfig{}, random);
  Needs needs = Needs::Any;
  bool close = false;
  bool spend = false;
  for (const Failure* f : all) {
    if (f->needs != Needs::Any) needs = f->needs;
    close = close || f->close_code;
    spend = spend || f->spend_budget;
  }
  if (!close) host.policy().open_code(2, kNow);
  for (int i = 0; spend && host.policy().admit(kSource, kNow).allowed(); ++i) EXPECT_LT(i, 100);
  host.set_pinned({{joiner_id.device_id(), joiner_id.public_key()}});
  auto joiner = needs == Needs::Pinned ? JoinerHandshake::with_pin(joiner_id, host_id.peer_identity(), random)
                                       : JoinerHandshake::with_code(joiner_id, "482913", random);
  v1::HandshakeMessage hello = joiner.hello();
  for (const Failure* f : all) {
    if (f->tamper) f->tamper(*hello.mutable_client_hello());
  }
  EXPECT_FALSE(host.on_connect(1, kSource, kNow));
  return host.on_message(1, hello, kNow);
}

void check_order(v1::PairingMode bad_mode) {
  std::string problem;
  const auto order = contract_table(kHandshakeDoc, "client-hello-order", 4, 7, &problem);
  ASSERT_TRUE(order) << problem;
  const auto answers = contract_table(kHandshakeDoc, "handshake-failures", 4, 30, &problem);
  ASSERT_TRUE(answers) << problem;
  std::map<std::string, std::string> section9;
  for (const auto& row : *answers) section9[unquoted(row[0])] = row[3];
  const auto all = failures(bad_mode);
  for (std::size_t i = 0; i < order->size(); ++i) {
    const std::string name = unquoted((*order)[i][1]);
    ASSERT_TRUE(all.count(name)) << "no way to provoke " << name;
    EXPECT_EQ((*order)[i][0], std::to_string(i + 1));
    EXPECT_EQ((*order)[i][3], section9[name]) << name << ": the two tables give different answers";
    const Failure& first = all.at(name);
    EXPECT_EQ(refusal_of(judge({&first})), (*order)[i][3]) << name << " alone";
    for (std::size_t j = i + 1; j < order->size(); ++j) {
      const std::string later = unquoted((*order)[j][1]);
      ASSERT_TRUE(all.count(later)) << "no way to provoke " << later;
      if (!together(first.needs, all.at(later).needs)) continue;
      EXPECT_EQ(refusal_of(judge({&first, &all.at(later)})), (*order)[i][3])
          << name << " and " << later << " both fail: the document says " << name << " answers";
    }
  }
}

TEST(ClientHelloOrderDoc, TheFirstFailingCheckAnswers) {
  check_order(v1::PAIRING_MODE_UNSPECIFIED);
  check_order(static_cast<v1::PairingMode>(7));  // A number the enum lacks: "neither CODE nor PINNED" too.
}

// ---- L4: the code-mode bucket and retry_after_seconds ----

TEST(RateLimitDoc, TheBucketAndRetryAfterAreWhatTheHostUses) {
  const std::string rule =
      in_handshake("**The code-mode rate limit, exactly**", "Pinned-mode handshakes guess nothing");
  const int capacity = std::stoi(in_handshake("a token bucket that holds at most **", "** attempts"));
  const int refill_s = std::stoi(in_handshake("gets one attempt back every **", " s**"));
  ASSERT_NE(rule.find("in seconds rounded **up**, and at least 1"), std::string::npos) << rule;
  const pairing::PairingPolicyConfig defaults;
  EXPECT_EQ(defaults.attempts_per_source, capacity);
  EXPECT_EQ(defaults.refill_every, std::chrono::seconds(refill_s));

  // The document's bucket, in milliseconds of credit.
  const std::int64_t cost = refill_s * 1000LL;
  std::int64_t credit = capacity * cost;
  std::int64_t last = 0;
  pairing::PairingPolicy policy(defaults, test::test_random());
  std::vector<std::uint32_t> refused_with;
  for (const std::int64_t t :
       {0,     0,     0,      0,      0,      0,      5200,   11999,  12000,  12000, 12001,
        30000, 30500, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 159999}) {
    credit = std::min(capacity * cost, credit + (t - last));
    last = t;
    const pairing::Admission a = policy.admit(kSource, kNow + std::chrono::milliseconds(t));
    const bool room = credit >= cost;
    ASSERT_EQ(a.allowed(), room) << "at +" << t << " ms";
    if (room) {
      credit -= cost;
    } else {
      const auto wait_s = static_cast<std::uint32_t>(std::max<std::int64_t>(1, (cost - credit + 999) / 1000));
      EXPECT_EQ(a.retry_after_seconds, wait_s) << "at +" << t << " ms";
      refused_with.push_back(a.retry_after_seconds);
    }
  }
  ASSERT_GE(refused_with.size(), 2u);
  // The document's two examples: the 6th try at once, then 5.2 s later.
  EXPECT_EQ(std::to_string(refused_with[0]) + "; 5.2 s later, " + std::to_string(refused_with[1]),
            in_handshake("and at least 1: right after 5 at once, ", ". Pinned"));
  // An attempt that ends in a proven device is given back.
  policy.give_back_attempt(kSource);
  EXPECT_TRUE(policy.admit(kSource, kNow + std::chrono::milliseconds(159999)).allowed());
}

// ---- Reader 11, L5: when an attempt is given back, and the cap ----

// Code-mode ClientHellos from kSource on fresh connections `first`.., at
// `now`, until one is refused: how many were let in (at most `most`).
int let_in(pairing::HostPairing& host, pairing::ConnectionId first, int most, TimePoint now) {
  for (int n = 0; n < most; ++n) {
    EXPECT_FALSE(host.on_connect(first + n, kSource, now));
    auto joiner = JoinerHandshake::with_code(device("someone"), "000000", test::test_random());
    if (host.on_message(first + n, joiner.hello(), now).error) return n;
  }
  return most;
}

// One code handshake on connection `id` up to the host's ServerFinish (or refusal).
HandshakeStep run_to_server_finish(pairing::HostPairing& host, pairing::ConnectionId id,
                                   const std::string& code, TimePoint now) {
  EXPECT_FALSE(host.on_connect(id, kSource, now));
  auto joiner = JoinerHandshake::with_code(device("joiner-laptop"), code, test::test_random());
  const HandshakeStep server_hello = host.on_message(id, joiner.hello(), now);
  EXPECT_TRUE(server_hello.send && server_hello.send->has_server_hello());
  const HandshakeStep finish = joiner.receive(*server_hello.send);
  return host.on_message(id, *finish.send, now);
}

TEST(RateLimitDoc, AProvenAttemptIsGivenBackAtServerFinishAndTheBucketStaysCapped) {
  ASSERT_NE(in_handshake("An attempt that ends in a proven device", "(a source")
                .find("given back the moment the host accepts that `ClientFinish` and sends `ServerFinish`, "
                      "whatever then happens to the link, exactly as if it had never been taken, so the "
                      "bucket still holds at most 5"),
            std::string::npos);
  const int capacity = pairing::PairingPolicyConfig{}.attempts_per_source;
  {
    // Given back at ServerFinish: the link then drops before any Hello.
    pairing::HostPairing host(device("host-laptop"), {}, test::test_random());
    const std::string code = host.policy().open_code(2, kNow);
    EXPECT_TRUE(run_to_server_finish(host, 1, code, kNow).success);
    host.on_disconnect(1);
    EXPECT_EQ(let_in(host, 10, capacity + 1, kNow), capacity) << "the proven attempt was not given back";
    // A wrong code gives nothing back.
    pairing::HostPairing other(device("host-laptop"), {}, test::test_random());
    other.policy().open_code(2, kNow);
    EXPECT_EQ(refusal_of(run_to_server_finish(other, 1, "000000", kNow)), "`HandshakeRefusal{WRONG_CODE}`");
    EXPECT_EQ(let_in(other, 10, capacity + 1, kNow), capacity - 1);
  }
  {
    // Refilled meanwhile: giving back can't lift the bucket above its size.
    pairing::HostPairing host(device("host-laptop"), {}, test::test_random());
    const std::string code = host.policy().open_code(2, kNow);
    EXPECT_FALSE(host.on_connect(1, kSource, kNow));
    auto joiner = JoinerHandshake::with_code(device("joiner-laptop"), code, test::test_random());
    const HandshakeStep server_hello = host.on_message(1, joiner.hello(), kNow);
    const HandshakeStep finish = joiner.receive(*server_hello.send);
    const TimePoint later = kNow + std::chrono::seconds(14);  // Within the 15 s deadline, bucket full.
    EXPECT_TRUE(host.on_message(1, *finish.send, later).success);
    EXPECT_EQ(let_in(host, 10, capacity + 2, later), capacity) << "the bucket held more than its size";
  }
}

// Reader 12, L11: the bucket newcomers share once the table is full refills
// like any other; it only never gets an attempt back.
TEST(RateLimitDoc, TheSharedBucketRefillsButGetsNothingBack) {
  ASSERT_NE(
      in_handshake("newcomers share one bucket.", "so strangers")
          .find("It refills like any other (one attempt back every 12 s, at most 5); it only never gets "
                "an attempt back for a proven device"),
      std::string::npos);
  pairing::PairingPolicyConfig config;
  config.max_sources = 1;
  pairing::PairingPolicy policy(config, test::test_random());
  // One address fills the table of one, and stays in it while its bucket isn't full.
  for (int i = 0; i < config.attempts_per_source; ++i)
    ASSERT_TRUE(policy.admit("198.51.100.1", kNow).allowed());
  int at_once = 0;
  for (int i = 0; i < 10 && policy.admit("newcomer-" + std::to_string(i), kNow).allowed(); ++i) ++at_once;
  EXPECT_EQ(at_once, config.attempts_per_source);
  policy.give_back_attempt("newcomer-0");
  EXPECT_FALSE(policy.admit("newcomer-x", kNow).allowed()) << "the shared bucket got an attempt back";
  const auto refill = config.refill_every;
  EXPECT_TRUE(policy.admit("newcomer-y", kNow + refill).allowed()) << "the shared bucket doesn't refill";
  EXPECT_FALSE(policy.admit("newcomer-z", kNow + refill).allowed());
  EXPECT_EQ(policy.tracked_sources(), 1u);
}

// ---- L5: a code handshake that fails late ----

struct Held {
  bool host_pinned = false;  // The host wrote the joiner's pin (SavePin).
  bool joiner_done = false;  // The joiner accepted ServerFinish: it writes the host pin.
};

void flip_first(std::string* bytes) { bytes->at(0) ^= 1; }

Held run_code_handshake(const std::string& how) {
  const auto joiner_id = device("joiner-laptop");
  host::HostCoreConfig config;
  config.device_id = "host-laptop";
  config.display_name = "Alex";
  config.role = v1::ROLE_PARTNER_A;
  host::HostCore core(config, pairing::HostPairing(device("host-laptop"), {}, test::test_random()));
  core.resume_or_begin(std::nullopt, "session-1", kNow);
  core.open(kNow);
  core.set_pinned(how == "code-key-changed"
                      ? pairing::PinnedKeys{{joiner_id.device_id(), device("x").public_key()}}
                      : pairing::PinnedKeys{});
  core.invite(kNow);
  const std::string code = core.pairing()->policy().code(kNow).value_or("");
  auto joiner =
      JoinerHandshake::with_code(joiner_id, how == "wrong-code" ? "000000" : code, test::test_random());
  EXPECT_NE(code, "000000");
  EXPECT_TRUE(core.link_opened(1, kSource, "the joiner", kNow).secure);
  const HandshakeStep server_hello = core.pairing()->on_message(1, joiner.hello(), kNow);
  HandshakeStep client_finish = joiner.receive(*server_hello.send);
  if (how == "bad-proof") flip_first(client_finish.send->mutable_client_finish()->mutable_sealed_proof());
  HandshakeStep server_finish = core.pairing()->on_message(1, *client_finish.send, kNow);
  Held held;
  if (server_finish.success) {
    for (const auto& step : core.link_secured(1, *server_finish.success, kNow).steps) {
      const auto* pin = std::get_if<host::SavePin>(&step);
      held.host_pinned = held.host_pinned || (pin && pin->peer.device_id == joiner_id.device_id());
    }
  }
  if (how == "server-confirm-code")
    flip_first(server_finish.send->mutable_server_finish()->mutable_confirm());
  if (how == "server-bad-proof")
    flip_first(server_finish.send->mutable_server_finish()->mutable_sealed_proof());
  held.joiner_done = joiner.receive(*server_finish.send).success.has_value();
  return held;
}

TEST(LateCodeFailureDoc, EachSideHoldsWhatTheTableSays) {
  std::string problem;
  const auto rows = contract_table(kHandshakeDoc, "late-code-failure", 3, 4, &problem);
  ASSERT_TRUE(rows) << problem;
  const std::set<std::string> known = {"wrong-code",          "bad-proof",        "code-key-changed",
                                       "server-confirm-code", "server-bad-proof", "success"};
  int checked = 0;
  for (const auto& row : *rows) {
    const bool host_pins = row[1].find("`paired_as: host`") != std::string::npos;
    const bool joiner_pins = row[2].find("`paired_as: joiner`") != std::string::npos;
    EXPECT_TRUE(host_pins || row[1].starts_with("nothing new")) << row[1];
    EXPECT_TRUE(joiner_pins || row[2].starts_with("nothing new")) << row[2];
    static const std::regex span("`([a-z-]+)`");
    for (std::sregex_iterator it(row[0].begin(), row[0].end(), span), end; it != end; ++it) {
      const std::string how = (*it)[1];
      if (!known.count(how)) continue;
      const Held held = run_code_handshake(how);
      EXPECT_EQ(held.host_pinned, host_pins) << how << ": the host's pin";
      EXPECT_EQ(held.joiner_done, joiner_pins) << how << ": the joiner's pin";
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(known.size())) << "a case of the table went unchecked";
}

// ---- L9: what a typed code may hold ----

TEST(TypedCodeDoc, OnlyTheNamedSeparatorsAreDropped) {
  const std::string listed =
      in_handshake("only these separators, which are dropped: ", ". What is left must");
  std::set<int> named;
  static const std::regex cp("U\\+([0-9A-F]{4})");
  for (std::sregex_iterator it(listed.begin(), listed.end(), cp), end; it != end; ++it)
    named.insert(std::stoi((*it)[1], nullptr, 16));
  ASSERT_EQ(named.size(), 3u) << listed;
  ASSERT_NE(read_squeezed(kHandshakeDoc).find("What is left must be exactly six digits."), std::string::npos);
  std::set<int> dropped;
  for (int c = 1; c < 256; ++c) {
    if (c >= '0' && c <= '9') continue;
    const std::string one(1, static_cast<char>(c));
    const auto middle = pairing::normalize_code("123" + one + "456");
    const auto around = pairing::normalize_code(one + one + "123456" + one);
    EXPECT_EQ(middle.has_value(), around.has_value()) << c;
    if (middle) {
      EXPECT_EQ(*middle, "123456");
      dropped.insert(c);
    }
  }
  EXPECT_EQ(dropped, named) << "the separators the code drops are not the ones the document names";
  EXPECT_FALSE(pairing::normalize_code("1234567"));
  EXPECT_FALSE(pairing::normalize_code("12345"));
  EXPECT_FALSE(
      pairing::normalize_code("123\xC2\xA0"
                              "456"));  // A no-break space.

  // Not a code: used as typed, so the host answers WRONG_CODE.
  ASSERT_NE(read_squeezed(kHandshakeDoc)
                .find("uses the text **as typed** as `PRS`, which no host code "
                      "matches (`WRONG_CODE`"),
            std::string::npos);
  const auto host_id = device("host-laptop");
  pairing::HostPairing host(host_id, {}, test::test_random());
  const std::string code = host.policy().open_code(2, kNow);
  auto joiner = JoinerHandshake::with_code(device("joiner-laptop"), code + "\n", test::test_random());
  ASSERT_FALSE(host.on_connect(1, kSource, kNow));
  const HandshakeStep server_hello = host.on_message(1, joiner.hello(), kNow);
  const HandshakeStep finish = joiner.receive(*server_hello.send);
  EXPECT_EQ(refusal_of(host.on_message(1, *finish.send, kNow)), "`HandshakeRefusal{WRONG_CODE}`");
}

}  // namespace
}  // namespace attune::contract
