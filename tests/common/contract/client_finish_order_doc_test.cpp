// proto/HANDSHAKE.md section 5, the order of the host's checks on a
// ClientFinish (issue 15, gap M1). The table is read from the document; each
// row's answer must be section 9's for its case, and each row is provoked
// alone and together with every later row of its mode that can fail in the
// same ClientFinish. It all runs through a real pairing::HostPairing, so the
// replaced code and the count of guesses are the host's own: the first row
// that fails must answer, and cost a guess exactly when the table says so.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "attune/pairing/host_pairing.hpp"
#include "attune/pairing/secure_link.hpp"
#include "doc_section.hpp"
#include "handshake_doc.hpp"

namespace attune::contract {
namespace {

using pairing::HandshakeStep;
using pairing::JoinerHandshake;
using Row = std::vector<std::string>;  // step, case, mode, check, answer, counts as a guess.

const std::filesystem::path kHandshakeDoc = source_dir() / "proto" / "HANDSHAKE.md";
const TimePoint kNow = from_ms(1'700'000'000'000);
constexpr const char* kSource = "192.0.2.7";

// What the host holds for the joiner's id.
enum class Pin { Own, OtherKey, None };

// One attempt at a ClientFinish, as the failures below shape it.
struct Attempt {
  bool wrong_code = false;
  bool impostor = false;      // The joiner proves the host's own id (under a key of its own).
  bool replace_code = false;  // The host's user opens a new code between ClientHello and ClientFinish.
  bool hello_again = false;   // A second ClientHello goes where the ClientFinish belongs.
  Pin pin = Pin::None;
  std::vector<std::function<void(v1::ClientHello&)>> hello;
  std::vector<std::function<void(v1::ClientFinish&)>> finish;
};

// One way a ClientFinish fails: what it changes, and how.
struct Failure {
  std::string changes;
  std::function<void(Attempt&)> apply;
};

Failure on_finish(std::string changes, std::function<void(v1::ClientFinish&)> tamper) {
  return {std::move(changes), [tamper](Attempt& a) { a.finish.push_back(tamper); }};
}

// Every case of the table, by its section 9 name. bad-proof and
// proof-is-host are rows of both modes and fail the same way in each.
std::map<std::string, Failure> failures() {
  std::map<std::string, Failure> f;
  f["code-replaced"] = {"the code", [](Attempt& a) { a.replace_code = true; }};
  f["finish-share-size"] = on_finish("key_share", [](auto& m) { m.mutable_key_share()->pop_back(); });
  // 32 bytes that are not a ristretto255 encoding, and the identity element.
  f["finish-share-invalid"] =
      on_finish("key_share", [](auto& m) { m.set_key_share(std::string(32, '\xff')); });
  f["finish-share-identity"] =
      on_finish("key_share", [](auto& m) { m.set_key_share(std::string(32, '\0')); });
  f["wrong-code"] = {"the typed code", [](Attempt& a) { a.wrong_code = true; }};
  f["bad-proof"] = on_finish("sealed_proof", [](auto& m) { m.mutable_sealed_proof()->at(5) ^= 1; });
  f["proof-is-host"] = {"the proven id", [](Attempt& a) { a.impostor = true; }};
  f["code-key-changed"] = {"the pin", [](Attempt& a) { a.pin = Pin::OtherKey; }};
  f["pinned-finish-share"] = on_finish("key_share", [](auto& m) { m.set_key_share(std::string(32, 'k')); });
  f["pinned-low-order"] = {"ClientHello.key_share", [](Attempt& a) {
                             a.hello.push_back([](auto& h) { h.set_key_share(std::string(32, '\0')); });
                           }};
  f["pinned-confirm"] = on_finish("confirm", [](auto& m) { m.mutable_confirm()->at(0) ^= 1; });
  f["pinned-key-changed"] = {"the pin", [](Attempt& a) { a.pin = Pin::OtherKey; }};
  f["unknown-device"] = {"the pin", [](Attempt& a) { a.pin = Pin::None; }};
  return f;
}

// Whether two failures of one mode can both happen in one ClientFinish.
bool together(const std::string& a, const std::string& b, const std::map<std::string, Failure>& all) {
  // One thing cannot be changed two ways at once: two different key_share
  // values, or the joiner's id pinned with another key and not pinned at all.
  if (all.at(a).changes == all.at(b).changes) return false;
  // The host never pins its own id, so a joiner proving it is never pinned
  // with another key. (In pinned mode it is always unknown-device as well:
  // that pair is tried, and proof-is-host alone brings unknown-device along.)
  const std::set<std::string> key_changed = {"code-key-changed", "pinned-key-changed"};
  if (a == "proof-is-host" && key_changed.count(b)) return false;
  if (b == "proof-is-host" && key_changed.count(a)) return false;
  return true;
}

struct Judged {
  std::string answer;
  int guesses = 0;  // How far host.policy().wrong_codes() went up.
};

// A fresh host, with a code open, judging one ClientFinish that fails every
// check in `failing`.
Judged judge(bool pinned, const std::vector<const Failure*>& failing) {
  Attempt a;
  a.pin = pinned ? Pin::Own : Pin::None;
  for (const Failure* f : failing) f->apply(a);
  const Pair p;
  pairing::HostPairing host(p.host, pairing::PairingPolicyConfig{}, p.random);
  const std::string code = host.policy().open_code(2, kNow);
  if (a.pin == Pin::Own) host.set_pinned(p.joiner_pinned());
  if (a.pin == Pin::OtherKey) host.set_pinned(p.other_key_pinned());
  std::string typed = code;
  if (a.wrong_code) typed[0] = typed[0] == '9' ? '0' : static_cast<char>(typed[0] + 1);
  const crypto::DeviceIdentity self = a.impostor ? device(p.host.device_id()) : p.joiner;
  auto joiner = pinned ? JoinerHandshake::with_pin(self, p.host.peer_identity(), p.random)
                       : JoinerHandshake::with_code(self, typed, p.random);
  EXPECT_FALSE(host.on_connect(1, kSource, kNow));
  v1::HandshakeMessage hello = joiner.hello();
  for (const auto& tamper : a.hello) tamper(*hello.mutable_client_hello());
  const HandshakeStep server_hello = host.on_message(1, hello, kNow);
  if (!server_hello.send || !server_hello.send->has_server_hello()) {
    return {"(no ServerHello: " + refusal_of(server_hello) + ")"};
  }
  HandshakeStep finish = joiner.receive(*server_hello.send);
  if (!finish.send) return {"(the joiner sent no ClientFinish)"};
  for (const auto& tamper : a.finish) tamper(*finish.send->mutable_client_finish());
  if (a.hello_again) *finish.send = hello;
  if (a.replace_code) host.policy().open_code(2, kNow);
  const int before = host.policy().wrong_codes();
  const HandshakeStep judged = host.on_message(1, *finish.send, kNow);
  return {refusal_of(judged), host.policy().wrong_codes() - before};
}

// Section 9's answer for each case.
std::map<std::string, std::string> section9_answers() {
  std::string problem;
  const auto rows = contract_table(kHandshakeDoc, "handshake-failures", 4, 30, &problem);
  EXPECT_TRUE(rows) << problem;
  std::map<std::string, std::string> out;
  for (const auto& row : rows.value_or(std::vector<Row>{})) out[unquoted(row[0])] = row[3];
  return out;
}

// `failing`, all in one ClientFinish, must get `first`'s answer and cost
// a guess exactly when `first` does.
void expect_first(bool pinned, const std::vector<std::string>& failing, const Row& first,
                  const std::map<std::string, Failure>& all) {
  std::vector<const Failure*> shaped;
  std::string named;
  for (const auto& name : failing) {
    shaped.push_back(&all.at(name));
    named += (named.empty() ? "" : " and ") + name;
  }
  const Judged judged = judge(pinned, shaped);
  const std::string mode = pinned ? "pinned" : "code";
  EXPECT_EQ(judged.answer, first[4]) << mode << " mode, failing " << named << ": the document says "
                                     << unquoted(first[1]) << " answers";
  EXPECT_EQ(judged.guesses, first[5] == "yes" ? 1 : 0)
      << mode << " mode, failing " << named << ": does it count as a guess? The document says " << first[5];
}

void check_mode(const std::string& mode, const std::vector<Row>& rows,
                const std::map<std::string, Failure>& all) {
  const auto section9 = section9_answers();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string name = unquoted(rows[i][1]);
    EXPECT_EQ(rows[i][0], std::to_string(i + 1)) << mode << " mode, " << name << ": steps run 1..n";
    ASSERT_TRUE(section9.count(name)) << name << " is not a case of section 9";
    EXPECT_EQ(rows[i][4], section9.at(name)) << name << ": the two tables give different answers";
    ASSERT_TRUE(rows[i][5] == "yes" || rows[i][5] == "no") << name << ": counts as a guess? " << rows[i][5];
    ASSERT_TRUE(all.count(name)) << "no way to provoke " << name;
    expect_first(mode == "pinned", {name}, rows[i], all);
    for (std::size_t j = i + 1; j < rows.size(); ++j) {
      const std::string later = unquoted(rows[j][1]);
      ASSERT_TRUE(all.count(later)) << "no way to provoke " << later;
      if (together(name, later, all)) expect_first(mode == "pinned", {name, later}, rows[i], all);
    }
  }
}

TEST(ClientFinishOrderDoc, TheFirstFailingCheckAnswers) {
  ASSERT_TRUE(crypto::init_crypto());
  std::string problem;
  const auto order = contract_table(kHandshakeDoc, "client-finish-order", 6, 10, &problem);
  ASSERT_TRUE(order) << problem;
  std::map<std::string, std::vector<Row>> by_mode;
  std::set<std::string> listed;
  for (const Row& row : *order) {
    ASSERT_TRUE(row[2] == "code" || row[2] == "pinned") << "no such mode: " << row[2];
    by_mode[row[2]].push_back(row);
    listed.insert(unquoted(row[1]));
  }
  const auto all = failures();
  for (const auto& [name, failure] : all) EXPECT_TRUE(listed.count(name)) << "the table lacks " << name;
  for (const auto& [mode, rows] : by_mode) check_mode(mode, rows, all);
  EXPECT_EQ(by_mode.size(), 2u) << "a table for both modes";
}

// The sentence before the table: only a ClientFinish is judged, and anything
// else is out-of-order at no guess, even after the code was replaced.
TEST(ClientFinishOrderDoc, AnythingButAClientFinishIsOutOfOrder) {
  ASSERT_TRUE(crypto::init_crypto());
  std::string doc = read_text(kHandshakeDoc);
  std::replace(doc.begin(), doc.end(), '\n', ' ');
  ASSERT_NE(doc.find("any other handshake message is `out-of-order` (`PROTOCOL_ERROR`, no guess), even when "
                     "the code was replaced meanwhile."),
            std::string::npos);
  const Failure hello_again{"the message", [](Attempt& a) { a.hello_again = true; }};
  const auto all = failures();
  const std::string expected = section9_answers()["out-of-order"];
  for (const bool replaced : {false, true}) {
    std::vector<const Failure*> failing = {&hello_again};
    if (replaced) failing.push_back(&all.at("code-replaced"));
    const Judged judged = judge(false, failing);
    EXPECT_EQ(judged.answer, expected) << (replaced ? "after the code was replaced" : "");
    EXPECT_EQ(judged.guesses, 0);
  }
}

// Reader 12, L1: section 2's 1024-byte limit is judged before step 1 of
// either table, so an oversize ClientFinish never costs a guess.
TEST(ClientFinishOrderDoc, AnOversizeFinishIsRefusedBeforeAnyStepAndCostsNoGuess) {
  ASSERT_TRUE(crypto::init_crypto());
  const std::string doc = read_squeezed(kHandshakeDoc);
  ASSERT_NE(doc.find("The 1024-byte limit of section 2 comes before step 1 of either table "
                     "(`SecureLink::on_handshake_payload`): a `ClientFinish` over it is answered "
                     "`PROTOCOL_ERROR` and costs no guess, even when the code was replaced meanwhile or "
                     "the code it carries is wrong"),
            std::string::npos);
  for (const bool replaced : {false, true}) {
    pairing::HostPairing host(device("host-laptop"), {}, test::test_random());
    const std::string code = host.policy().open_code(2, kNow);
    ASSERT_FALSE(host.on_connect(1, kSource, kNow));
    auto link = pairing::SecureLink::for_host(host, 1);
    auto joiner =
        JoinerHandshake::with_code(device("joiner-laptop"), replaced ? code : "000000", test::test_random());
    const auto server_hello = link.on_payload(joiner.hello().SerializeAsString(), kNow);
    ASSERT_EQ(server_hello.send.size(), 1u);
    v1::HandshakeMessage reply;
    ASSERT_TRUE(reply.ParseFromString(server_hello.send[0]));
    HandshakeStep finish = joiner.receive(reply);
    ASSERT_TRUE(finish.send);
    auto* padded = finish.send->mutable_client_finish();
    padded->GetReflection()->MutableUnknownFields(padded)->AddLengthDelimited(15, std::string(1024, 'p'));
    ASSERT_GT(finish.send->ByteSizeLong(), pairing::kMaxHandshakeMessageBytes);
    if (replaced) host.policy().open_code(2, kNow);
    const auto judged = link.on_payload(finish.send->SerializeAsString(), kNow);
    ASSERT_EQ(judged.send.size(), 1u);
    ASSERT_TRUE(reply.ParseFromString(judged.send[0]));
    HandshakeStep answered;
    answered.send = reply;
    EXPECT_EQ(refusal_of(answered), section9_answers()["finish-share-size"])
        << (replaced ? "after the code was replaced" : "with a wrong code");
    EXPECT_EQ(host.policy().wrong_codes(), 0) << "an oversize ClientFinish cost a guess";
  }
}

}  // namespace
}  // namespace attune::contract
