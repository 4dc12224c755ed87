// proto/README.md, "A `Join`, exactly" (issue 15, L1): the order in which the
// engine judges a Join. Each case of the join-order table is provoked alone
// and then together with every later case that can fail at the same time,
// through the real engine, and the first failing case must be the one that
// answers.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "attune/engine.hpp"
#include "attune/intents.hpp"
#include "doc_section.hpp"

namespace attune::contract {
namespace {

const std::filesystem::path kProtoReadme = source_dir() / "proto" / "README.md";
const TimePoint kNow = from_ms(1'700'000'000'000);

// What a Join is judged on: the session, who sends it and what it asks.
struct Setup {
  State s = new_session("s", "Join order", default_settings(), "dev-0", "Alex", v1::ROLE_PARTNER_A, kNow);
  std::string sender = "dev-new";
  std::string name = "Robin";
  v1::Role role = v1::ROLE_PARTNER_B;
};

using Tamper = std::function<void(Setup&)>;

// One way a Join fails. Cases of one `group` change the same thing, so they
// can't fail together; `variants` are each way the document names.
struct Failure {
  std::string group;
  std::vector<Tamper> variants;
};

void seat(Setup& setup, const std::string& id, v1::Role role) {
  auto* p = setup.s.add_participants();
  p->set_id(id);
  p->set_display_name("Seated " + std::to_string(setup.s.participants_size()));
  p->set_role(role);
}

Tamper phase(v1::Phase p) {
  return [p](Setup& setup) { setup.s.set_phase(p); };
}
Tamper sender(std::string id) {
  return [id](Setup& setup) { setup.sender = id; };
}
Tamper name(std::string text) {
  return [text](Setup& setup) { setup.name = text; };
}
Tamper role(v1::Role r) {
  return [r](Setup& setup) { setup.role = r; };
}

std::map<std::string, Failure> failures() {
  std::map<std::string, Failure> f;
  f["already-joined"] = {"seated", {[](Setup& setup) { seat(setup, setup.sender, v1::ROLE_COACH); }}};
  f["session-over"] = {"phase", {phase(v1::PHASE_COMPLETE), phase(v1::PHASE_ENDED)}};
  f["begun"] = {"phase",
                {phase(v1::PHASE_CHECK_IN), phase(v1::PHASE_ACTIVE), phase(v1::PHASE_PAUSED),
                 phase(v1::PHASE_LONG_BREAK)}};
  f["device-id"] = {"sender", {sender(""), sender("dev-\xff"), sender(std::string(129, 'd'))}};
  f["name-not-utf8"] = {"name", {name("Jos\xE9")}};
  f["name-empty-or-long"] = {"name",
                             {name(""), name(" \t "), name("\u200b\u200d"), name(std::string(65, 'x'))}};
  f["no-seat"] = {"role", {role(v1::ROLE_UNSPECIFIED), role(static_cast<v1::Role>(7))}};
  f["seat-taken"] = {"role", {role(v1::ROLE_PARTNER_A), [](Setup& setup) {
                                seat(setup, "dev-c1", v1::ROLE_COACH);
                                seat(setup, "dev-c2", v1::ROLE_COACH);
                                setup.role = v1::ROLE_COACH;
                              }}};
  return f;
}

// The engine's answer to a Join after `tampers`, as the table writes it:
// `SEAT_TAKEN`. The tampers run last step first, so `already-joined` seats
// the sender the others chose.
std::string answer(const std::vector<const Tamper*>& tampers) {
  Setup setup;
  for (auto it = tampers.rbegin(); it != tampers.rend(); ++it) (**it)(setup);
  const Result r =
      apply(setup.s, intents::join(setup.name, setup.role), Actor::participant(setup.sender), kNow);
  if (r.accepted()) return "(accepted)";
  return "`" + v1::RefusalCode_Name(r.refusal->code()).substr(std::string("REFUSAL_CODE_").size()) + "`";
}

TEST(JoinOrderDoc, AJoinThatFailsNothingIsAccepted) { EXPECT_EQ(answer({}), "(accepted)"); }

TEST(JoinOrderDoc, TheFirstFailingCheckAnswers) {
  std::string problem;
  const auto order = contract_table(kProtoReadme, "join-order", 4, 8, &problem);
  ASSERT_TRUE(order) << problem;
  const auto all = failures();
  EXPECT_EQ(order->size(), all.size()) << "a case the table lacks, or one this test can't provoke";
  for (std::size_t i = 0; i < order->size(); ++i) {
    const std::string first = unquoted((*order)[i][1]);
    ASSERT_TRUE(all.count(first)) << "no way to provoke " << first;
    EXPECT_EQ((*order)[i][0], std::to_string(i + 1));
    const std::string& expected = (*order)[i][3];
    for (const Tamper& a : all.at(first).variants) {
      EXPECT_EQ(answer({&a}), expected) << first << " alone";
      for (std::size_t j = i + 1; j < order->size(); ++j) {
        const std::string later = unquoted((*order)[j][1]);
        ASSERT_TRUE(all.count(later)) << "no way to provoke " << later;
        if (all.at(later).group == all.at(first).group) continue;
        for (const Tamper& b : all.at(later).variants) {
          EXPECT_EQ(answer({&a, &b}), expected)
              << first << " and " << later << " both fail: the document says " << first << " answers";
        }
      }
    }
  }
}

}  // namespace
}  // namespace attune::contract
