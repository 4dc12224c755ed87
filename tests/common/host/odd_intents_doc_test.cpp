// proto/README.md, "An intent the host can't make out" (issue 15, M3): a
// SubmitIntent with no intent, no kind, a kind from a newer version, or an
// enum number this version lacks. Each row of the document's table is sent
// to a real HostCore in the situation it names; the answer must be the
// table's code and words, remembered for good (a resend gets it again),
// with the link left open and the session untouched.
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "doc_between.hpp"
#include "doc_section.hpp"
#include "host_core_room.hpp"
#include "session_driver.hpp"

namespace attune::host::test {
namespace {

namespace make = attune::test::make;
using attune::test::kB;
using attune::test::kCoach;
using contract::between;
using contract::unquoted;

const std::filesystem::path kProtoReadme = contract::source_dir() / "proto" / "README.md";

// A host in the situation a row names, the link the odd intent comes on,
// and the SubmitIntent itself.
struct Scene {
  std::unique_ptr<Room> room;
  LinkId link = 0;
  v1::Envelope submit;
};

v1::Envelope submit_of(const Intent& intent) {
  v1::Envelope envelope;
  envelope.mutable_submit_intent()->set_intent_id("odd-1");
  *envelope.mutable_submit_intent()->mutable_intent() = intent;
  return envelope;
}

// From B, admitted, in the lobby.
Scene from_b(const Intent& intent) {
  Scene scene{std::make_unique<Room>(), 0, submit_of(intent)};
  scene.link = scene.room->join_partner_b();
  return scene;
}

v1::Role unknown_role() { return static_cast<v1::Role>(7); }

Intent with_unknown_field(Intent intent, int number) {
  intent.GetReflection()->MutableUnknownFields(&intent)->AddVarint(number, 1);
  return intent;
}

// The coach of a session at step 4 whose partners asked it to choose, back
// on its pinned key after the host resumed the session.
Scene coach_asked(const Intent& intent) {
  attune::test::SessionDriver driver;
  driver.to_who_first();
  driver.ok(attune::test::kA, make::ask_coach());
  driver.ok(kB, make::accept_first());
  Scene scene{std::make_unique<Room>(StoredHost{1, driver.state(), {}, {}}), 0, submit_of(intent)};
  scene.room->core.set_pinned({{kCoach, device_identity(kCoach).public_key()}});
  scene.link = scene.room->connect(kCoach);
  return scene;
}

std::map<std::string, std::function<Scene()>> scenes() {
  std::map<std::string, std::function<Scene()>> s;
  s["no-intent"] = [] {
    Scene scene = from_b({});
    scene.submit.mutable_submit_intent()->clear_intent();
    return scene;
  };
  s["no-kind"] = [] {
    Scene scene{std::make_unique<Room>(), 0, submit_of({})};
    scene.link = scene.room->connect("device-x");
    return scene;
  };
  s["unknown-kind"] = [] { return from_b(with_unknown_field({}, 99)); };
  s["join-unknown-role"] = [] {
    Scene scene{std::make_unique<Room>(), 0, submit_of(make::join("Robin", unknown_role()))};
    scene.link = scene.room->connect("device-x");
    return scene;
  };
  s["assign-unknown-partner"] = [] { return coach_asked(make::assign_first(unknown_role())); };
  s["settings-unknown-kind"] = [] {
    v1::Settings settings = default_settings();
    settings.set_kind(static_cast<v1::RepairKind>(9));
    return from_b(make::settings(settings));
  };
  s["settings-unknown-repairer"] = [] {
    return from_b(make::settings(make::quick_settings(unknown_role())));
  };
  s["newer-field"] = [] {
    Intent intent = make::share_with_coach(true);
    v1::ShareWithCoach* share = intent.mutable_share_with_coach();
    share->GetReflection()->MutableUnknownFields(share)->AddVarint(99, 1);
    return from_b(intent);
  };
  return s;
}

// The host's answer to the scene's SubmitIntent, as the table writes it.
std::string answer(Scene& scene) {
  Room& room = *scene.room;
  const std::size_t before = room.inbox(scene.link).size();
  room.send(scene.link, scene.submit);
  const auto& box = room.inbox(scene.link);
  for (std::size_t i = before; i < box.size(); ++i) {
    if (box[i].has_intent_ack()) return "judged as without it: `IntentAck`";
    if (box[i].has_intent_refused()) return answer_line(box[i]);
  }
  return "(no answer)";
}

TEST(OddIntentsDoc, EachIntentTheHostCantMakeOutGetsItsAnswer) {
  std::string problem;
  const auto rows = contract::contract_table(kProtoReadme, "odd-intents", 3, 8, &problem);
  ASSERT_TRUE(rows) << problem;
  const auto all = scenes();
  EXPECT_EQ(rows->size(), all.size()) << "a case the table lacks, or one this test can't send";
  for (const auto& row : *rows) {
    const std::string name = unquoted(row[0]);
    ASSERT_TRUE(all.count(name)) << "no way to send " << name;
    Scene scene = all.at(name)();
    Room& room = *scene.room;
    const std::string state = room.core.state().SerializeAsString();
    const std::size_t refusals = room.refusals.size();
    EXPECT_EQ(answer(scene), row[2]) << name;
    EXPECT_FALSE(room.closed(scene.link)) << name << ": the link was closed";
    if (row[2].starts_with("judged")) continue;
    EXPECT_EQ(room.core.state().SerializeAsString(), state) << name << ": the session changed";
    EXPECT_EQ(room.refusals.size(), refusals + 1) << name << ": the refusal was not kept for good";
    EXPECT_EQ(answer(scene), row[2]) << name << ", sent again";
  }
}

// The prose names the test and the order the table's first rows rely on.
TEST(OddIntentsDoc, TheProseSaysWhenAnEmptyIntentIsAnswered) {
  const std::string doc = contract::read_squeezed(kProtoReadme);
  const std::string rule =
      between(doc, "**An intent the host can't make out**", "<!-- contract: odd-intents -->");
  EXPECT_NE(
      rule.find("right after `SYSTEM_ONLY` and the `Join` rule, so before `NOT_IN_SESSION`, `NOT_ADMITTED` "
                "and `SESSION_OVER`"),
      std::string::npos)
      << rule;
  EXPECT_NE(rule.find("`OddIntentsDoc.EachIntentTheHostCantMakeOutGetsItsAnswer`"), std::string::npos);
  // Once the session is over, an admitted partner's empty intent is still
  // the empty-intent answer, not SESSION_OVER.
  Scene scene = from_b({});
  ASSERT_TRUE(scene.room->local(make::exit()));
  ASSERT_EQ(scene.room->core.state().phase(), v1::PHASE_ENDED);
  EXPECT_EQ(answer(scene), "`BAD_INPUT` \"That request was empty.\"");
}

}  // namespace
}  // namespace attune::host::test
