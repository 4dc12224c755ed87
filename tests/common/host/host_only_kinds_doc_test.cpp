// proto/README.md, "A joiner that breaks the order, or sends what only a
// host sends" (issue 15, M2). The table of what a session host does with
// each Envelope kind a joiner sends after its Hello is read from the
// document and tried, row by row, against a real HostCore; the table must
// name every kind wire.proto has. The sentence about the kinds before the
// Hello is read the same way and tried with every kind.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "doc_between.hpp"
#include "doc_section.hpp"
#include "host_core_room.hpp"
#include "session_driver.hpp"

namespace attune::host::test {
namespace {

using contract::between;
using contract::source_dir;
using contract::unquoted;

const std::filesystem::path kProtoReadme = source_dir() / "proto" / "README.md";
constexpr const char* kNoKind = "(no kind)";

// An Envelope of the kind wire.proto names `name` (its field name), with an
// empty message (or a short `sealed`) inside; kNoKind is an empty Envelope.
v1::Envelope with_kind(const std::string& name) {
  v1::Envelope envelope;
  if (name == kNoKind) return envelope;
  const auto* field = v1::Envelope::descriptor()->FindFieldByName(name);
  if (field == nullptr) {
    ADD_FAILURE() << "wire.proto's Envelope has no kind " << name;
    return envelope;
  }
  const auto* reflection = envelope.GetReflection();
  if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
    reflection->MutableMessage(&envelope, field);
  } else {
    reflection->SetString(&envelope, field, "x");
  }
  return envelope;
}

std::set<std::string> every_kind() {
  std::set<std::string> kinds{kNoKind};
  const auto* oneof = v1::Envelope::descriptor()->FindOneofByName("kind");
  for (int i = 0; i < oneof->field_count(); ++i) kinds.insert(oneof->field(i)->name());
  return kinds;
}

// What a cell says the host answers: an Error's code (empty when none) and
// its words (empty when the cell quotes none).
struct Expected {
  std::string code;
  std::string words;
  bool judged = false;
};

Expected expected_from(const std::string& cell) {
  Expected e;
  e.judged = cell.starts_with("judged");
  if (!cell.starts_with("`Error{")) return e;
  e.code = between(cell, "`Error{", "}`");
  if (cell.find('"') != std::string::npos) e.words = between(cell, "\"", "\"");
  return e;
}

// The messages the host sent `link` from `from` on.
std::vector<v1::Envelope> since(Room& room, LinkId link, std::size_t from) {
  const auto& box = room.inbox(link);
  return {box.begin() + static_cast<std::ptrdiff_t>(std::min(from, box.size())), box.end()};
}

void expect_answer(Room& room, LinkId link, std::size_t from, const Expected& expected,
                   const std::string& what) {
  const auto sent = since(room, link, from);
  if (expected.code.empty()) {
    EXPECT_FALSE(room.closed(link)) << what << ": the link was closed";
    for (const auto& e : sent) {
      EXPECT_FALSE(e.has_error()) << what << ": an Error was sent";
    }
    const bool answered = std::any_of(
        sent.begin(), sent.end(), [](const auto& e) { return e.has_intent_ack() || e.has_intent_refused(); });
    EXPECT_EQ(answered, expected.judged) << what;
    return;
  }
  EXPECT_TRUE(room.closed(link)) << what << ": the link stayed open";
  ASSERT_EQ(sent.size(), 1u) << what << ": the Error alone";
  ASSERT_TRUE(sent[0].has_error()) << what;
  EXPECT_EQ(v1::ErrorCode_Name(sent[0].error().code()), expected.code) << what;
  if (!expected.words.empty()) {
    EXPECT_EQ(sent[0].error().message(), expected.words) << what;
  }
}

TEST(HostOnlyKindsDoc, EachKindFromAJoinerIsTreatedAsTheTableSays) {
  std::string problem;
  const auto rows = contract::contract_table(kProtoReadme, "joiner-kinds", 2, 10, &problem);
  ASSERT_TRUE(rows) << problem;
  std::set<std::string> listed;
  for (const auto& row : *rows) {
    const std::string kind = unquoted(row[0]);
    EXPECT_TRUE(listed.insert(kind).second) << kind << " is listed twice";
    Room room;
    const LinkId b = room.join_partner_b();
    const LinkId other = room.connect("device-x");
    const std::string state = room.core.state().SerializeAsString();
    const std::uint64_t seq = room.core.seq();
    const std::size_t stored = room.changes.size() + room.refusals.size();
    const std::size_t before = room.inbox(b).size();
    v1::Envelope envelope = with_kind(kind);
    if (envelope.has_submit_intent()) {
      envelope.mutable_submit_intent()->set_intent_id("share-1");
      *envelope.mutable_submit_intent()->mutable_intent() = attune::test::make::share_with_coach(true);
    }
    room.send(b, envelope);
    const Expected expected = expected_from(row[1]);
    expect_answer(room, b, before, expected, kind);
    EXPECT_FALSE(room.closed(other)) << kind << ": another device's link ended";
    if (expected.judged) continue;
    // Nothing the session holds is touched, and B is still shown as here.
    EXPECT_EQ(room.core.state().SerializeAsString(), state) << kind;
    EXPECT_EQ(room.core.seq(), seq) << kind;
    EXPECT_EQ(room.changes.size() + room.refusals.size(), stored) << kind;
    const auto* seat = find_participant(room.host_view(), attune::test::kB);
    EXPECT_TRUE(seat && seat->connected()) << kind << ": B was shown away at once";
  }
  EXPECT_EQ(listed, every_kind()) << "the table must name every Envelope kind of wire.proto, and only those";
}

TEST(HostOnlyKindsDoc, BeforeTheHelloEveryOtherKindEndsTheLink) {
  const std::string doc = contract::read_squeezed(kProtoReadme);
  const std::string rule =
      between(doc, "Then, before the joiner's `Hello`, every other kind but ", ", then the close frame.");
  ASSERT_FALSE(rule.empty());
  // The kinds the sentence spares, each in `backticks` before "is answered".
  std::set<std::string> spared;
  const std::string names = between(rule, "", " is answered");
  for (std::size_t at = names.find('`'); at != std::string::npos; at = names.find('`', at)) {
    const std::size_t end = names.find('`', at + 1);
    if (end == std::string::npos) break;
    spared.insert(names.substr(at + 1, end - at - 1));
    at = end + 1;
  }
  EXPECT_TRUE(spared.count("hello")) << "a Hello is what a link must start with: " << rule;
  Expected expected;
  expected.code = between(rule, "is answered `Error{", "}`");
  expected.words = between(rule, "(\"", "\"");
  ASSERT_FALSE(expected.code.empty() || expected.words.empty()) << rule;
  Room room;
  const LinkId b = room.join_partner_b();
  LinkId next = 100;
  for (const std::string& kind : every_kind()) {
    if (kind == "hello") continue;  // The Hello itself: the first test's second Hello.
    const LinkId link = next++;
    room.carry_out(
        room.core
            .link_opened(link, "127.0.1." + std::to_string(link), "a device yet to say Hello", room.now())
            .actions);
    room.send(link, with_kind(kind));
    // A handshake or sealed inside a sealed frame: the link layer's words.
    Expected here = spared.count(kind) ? Expected{} : expected;
    if (kind == "handshake" || kind == "sealed") here.words.clear();
    expect_answer(room, link, 0, here, kind + " before the Hello");
  }
  EXPECT_FALSE(room.closed(b));
}

}  // namespace
}  // namespace attune::host::test
