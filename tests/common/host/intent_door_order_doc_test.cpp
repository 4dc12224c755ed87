// proto/README.md, "The host's checks on an arriving intent, in order"
// (issue 15, M4). Each step of the table is provoked alone and together
// with every later step, through a real HostCore (its rate limit, its
// apply-once memory, its store), and the first failing step must be the one
// that answers, with the table's words; alone, it must be remembered exactly
// when the table says so.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "attune/frame_decoder.hpp"
#include "attune/refusals.hpp"
#include "doc_section.hpp"
#include "host_core_room.hpp"
#include "session_driver.hpp"

namespace attune::host::test {
namespace {

using namespace std::chrono_literals;
namespace make = attune::test::make;
using contract::unquoted;

const std::filesystem::path kProtoReadme = contract::source_dir() / "proto" / "README.md";
constexpr const char* kSender = "device-x";

// What the intent meets: the host's stored session (its memory and its
// declined devices too), and the intent as it comes.
struct Setup {
  StoredHost stored{
      0,
      new_session("session-1", "Sunday", default_settings(), kHostId, "Alex", v1::ROLE_PARTNER_A, kStart),
      {},
      {}};
  std::string id = "join-1";
  Intent intent = make::join("Robin", v1::ROLE_PARTNER_B);
  std::optional<IntentAnswer> remembered;  // The memory's answer to `id`.
  bool repaired = false;
  bool too_fast = false;
  bool store_fails = false;
};

using Tamper = std::function<void(Setup&)>;

std::map<std::string, std::vector<Tamper>> failures() {
  std::map<std::string, std::vector<Tamper>> f;
  f["unreadable-text"] = {[](Setup& s) { s.repaired = true; }};
  f["intent-id"] = {[](Setup& s) { s.id.clear(); }, [](Setup& s) { s.id = std::string(129, 'i'); }};
  f["answered-before"] = {
      [](Setup& s) {
        s.remembered = IntentAnswer{7, std::nullopt};
      },
      [](Setup& s) {
        s.remembered = IntentAnswer{0, refuse(v1::REFUSAL_CODE_SEAT_TAKEN, "Someone has it.")};
      }};
  f["too-fast"] = {[](Setup& s) { s.too_fast = true; }};
  f["declined"] = {[](Setup& s) { s.stored.declined.push_back(kSender); }};
  f["engine"] = {[](Setup& s) { s.intent = make::join("Robin", v1::ROLE_UNSPECIFIED); },
                 [](Setup& s) { s.intent = make::join(" ", v1::ROLE_PARTNER_B); }};
  f["state-budget"] = {[](Setup& s) {
    // Just under the budget: the Join's seat tips it over.
    constexpr std::size_t kBudget = kMaxFramePayload - 512;
    State& state = s.stored.state;
    state.set_session_name(std::string(kBudget - state.ByteSizeLong() - 8, 'x'));
  }};
  f["not-saved"] = {[](Setup& s) { s.store_fails = true; }};
  return f;
}

std::string describe(const IntentAnswer& answer) {
  v1::Envelope e;
  if (answer.refusal) {
    *e.mutable_intent_refused()->mutable_refusal() = *answer.refusal;
  } else {
    e.mutable_intent_ack()->set_seq(answer.seq);
  }
  return answer_line(e);
}

// The device spends its whole bucket on Joins the engine refuses.
void spend_bucket(Room& room, LinkId link) {
  for (int i = 0; i < 20; ++i) {
    const auto answer =
        room.submit(link, "spend-" + std::to_string(i), make::join("Robin", v1::ROLE_UNSPECIFIED));
    if (answer && answer->has_intent_refused() &&
        answer->intent_refused().refusal().code() == v1::REFUSAL_CODE_TOO_FAST)
      return;
  }
  ADD_FAILURE() << "the bucket never ran dry";
}

struct Outcome {
  std::string answer;
  bool kept = false;        // The host stored something for it.
  std::string engine_says;  // What the engine alone answers the intent.
  std::string memory_says;  // The memory's answer, when it holds one.
};

// The host's answer to the intent after `tampers`, as the table writes it.
// The tampers run last step first.
Outcome run(const std::vector<const Tamper*>& tampers) {
  Setup setup;
  for (auto it = tampers.rbegin(); it != tampers.rend(); ++it) (**it)(setup);
  Outcome out;
  const Result judged = apply(setup.stored.state, setup.intent, Actor::participant(kSender), kStart);
  out.engine_says = judged.accepted() ? "(accepted)" : describe(IntentAnswer{0, judged.refusal});
  if (setup.remembered) {
    setup.stored.answers.emplace_back(setup.id, *setup.remembered);
    out.memory_says = describe(*setup.remembered);
  }
  DeviceLimitsConfig limits;
  limits.intent_burst = 4;
  limits.intent_every = 1h;
  Room room(setup.stored, limits);
  const LinkId link = room.connect(kSender);
  if (setup.too_fast) spend_bucket(room, link);
  room.store_fails = setup.store_fails;
  const std::size_t kept = room.changes.size() + room.refusals.size();
  const std::size_t before = room.inbox(link).size();
  v1::Envelope envelope;
  envelope.mutable_submit_intent()->set_intent_id(setup.id);
  *envelope.mutable_submit_intent()->mutable_intent() = setup.intent;
  room.carry_out(room.core.message(link, envelope, setup.repaired, room.now()));
  out.answer = "(no answer)";
  const auto& box = room.inbox(link);
  for (std::size_t i = before; i < box.size(); ++i) {
    if (!box[i].has_intent_ack() && !box[i].has_intent_refused()) continue;
    const std::string& id =
        box[i].has_intent_ack() ? box[i].intent_ack().intent_id() : box[i].intent_refused().intent_id();
    EXPECT_EQ(id, setup.id) << "the answer names another intent";
    out.answer = answer_line(box[i]);
    break;
  }
  EXPECT_FALSE(room.closed(link)) << "the link ended";
  out.kept = room.changes.size() + room.refusals.size() > kept;
  return out;
}

// What the table's answer cell means for a case provoked alone.
std::string expected_alone(const std::string& cell, const Outcome& alone) {
  if (cell == "the first answer again") return alone.memory_says;
  if (cell == "the engine's refusal") return alone.engine_says;
  return cell;
}

TEST(IntentDoorOrderDoc, AnIntentThatFailsNothingIsApplied) {
  const Outcome ok = run({});
  EXPECT_EQ(ok.answer, "`IntentAck` seq 1");
  EXPECT_TRUE(ok.kept);
}

TEST(IntentDoorOrderDoc, TheFirstFailingCheckAnswers) {
  std::string problem;
  const auto order = contract::contract_table(kProtoReadme, "intent-door-order", 5, 8, &problem);
  ASSERT_TRUE(order) << problem;
  const auto all = failures();
  EXPECT_EQ(order->size(), all.size()) << "a case the table lacks, or one this test can't provoke";
  for (std::size_t i = 0; i < order->size(); ++i) {
    const auto& row = (*order)[i];
    const std::string first = unquoted(row[1]);
    ASSERT_TRUE(all.count(first)) << "no way to provoke " << first;
    EXPECT_EQ(row[0], std::to_string(i + 1));
    ASSERT_TRUE(row[4] == "yes" || row[4] == "no" || row[4] == "already") << first << ": " << row[4];
    for (const Tamper& a : all.at(first)) {
      const Outcome alone = run({&a});
      EXPECT_EQ(alone.answer, expected_alone(row[3], alone)) << first << " alone";
      EXPECT_EQ(alone.kept, row[4] == "yes") << first << " alone: remembered is " << row[4];
      for (std::size_t j = i + 1; j < order->size(); ++j) {
        const std::string later = unquoted((*order)[j][1]);
        ASSERT_TRUE(all.count(later)) << "no way to provoke " << later;
        for (const Tamper& b : all.at(later)) {
          EXPECT_EQ(run({&a, &b}).answer, alone.answer)
              << first << " and " << later << " both fail: the document says " << first << " answers";
        }
      }
    }
  }
}

}  // namespace
}  // namespace attune::host::test
