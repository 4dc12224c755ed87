#include "local_flow.hpp"

#include <gtest/gtest.h>

#include "attune/intents.hpp"

namespace attune::app::test {

LocalFlow::LocalFlow(bool with_coach)
    : clock_ms_(std::make_shared<std::atomic<int64_t>>(int64_t{1'763'700'000'000})) {
  auto clock = [c = clock_ms_] { return from_ms(c->load()); };
  session = LocalSession::create("Sunday evening", default_settings(), "dev-alex", "Alex", v1::ROLE_PARTNER_A,
                                 clock);
  alex = session->host_node();
  std::string error;
  sam = session->join("dev-sam", "Sam", v1::ROLE_PARTNER_B, &error);
  if (with_coach) robin = session->join("dev-robin", "Robin", v1::ROLE_COACH, &error);
}

std::string LocalFlow::send(NodeApi& node, Intent intent) {
  const uint64_t before = node.snapshot()->refusal_serial;
  node.send(std::move(intent));
  const auto snap = node.snapshot();
  if (snap->refusal_serial != before && snap->last_refusal) return snap->last_refusal->message();
  return "";
}

std::string LocalFlow::check_in(NodeApi& node, int level) {
  const uint64_t before = node.snapshot()->refusal_serial;
  node.check_in(level);
  const auto snap = node.snapshot();
  if (snap->refusal_serial != before && snap->last_refusal) return snap->last_refusal->message();
  return "";
}

#define ATTUNE_TRY(expr)            \
  do {                              \
    std::string why_ = (expr);      \
    if (!why_.empty()) return why_; \
  } while (false)

std::string LocalFlow::admit_everyone() {
  ATTUNE_TRY(send(*alex, intents::admit("dev-sam")));
  if (robin) {
    ATTUNE_TRY(send(*alex, intents::admit("dev-robin")));
    ATTUNE_TRY(send(*sam, intents::admit("dev-robin")));
  }
  return "";
}

std::string LocalFlow::start() {
  ATTUNE_TRY(send(*alex, intents::ready()));
  ATTUNE_TRY(send(*sam, intents::ready()));
  return "";
}

std::string LocalFlow::both_check_in(int a, int b) {
  advance_seconds(20);
  ATTUNE_TRY(check_in(*alex, a));
  ATTUNE_TRY(check_in(*sam, b));
  return "";
}

std::string LocalFlow::to_who_first() {
  const Intent confirm = intents::confirm();
  ATTUNE_TRY(admit_everyone());
  ATTUNE_TRY(start());
  advance_seconds(30);
  ATTUNE_TRY(send(*alex, confirm));
  ATTUNE_TRY(send(*sam, confirm));
  ATTUNE_TRY(both_check_in(2, 3));
  advance_seconds(45);
  ATTUNE_TRY(send(*alex, confirm));
  ATTUNE_TRY(send(*sam, confirm));
  ATTUNE_TRY(both_check_in(3, 2));
  return "";
}

std::string LocalFlow::to_share() {
  ATTUNE_TRY(to_who_first());
  ATTUNE_TRY(send(*alex, intents::offer_first()));
  ATTUNE_TRY(send(*sam, intents::accept_first()));
  ATTUNE_TRY(both_check_in(2, 2));
  return "";
}

std::string LocalFlow::finish_pause() {
  if (session->state().phase() != v1::PHASE_PAUSED) return "the session isn't paused";
  const int64_t until = session->state().pause().min_until_ms();
  if (until > now_ms()) advance_seconds((until - now_ms() + 999) / 1000);
  if (session->tick() == 0) return "no pause timer was due";
  return "";
}

std::string LocalFlow::share_to_complete() {
  const Intent pass = intents::pass_floor();
  const Intent reflected = intents::finish_reflection();
  const Intent heard = intents::heard();
  // Round 1: Alex shares, Sam reflects.
  advance_seconds(240);
  ATTUNE_TRY(send(*alex, pass));
  ATTUNE_TRY(both_check_in(2, 2));
  advance_seconds(180);
  ATTUNE_TRY(send(*sam, reflected));
  ATTUNE_TRY(send(*alex, heard));
  ATTUNE_TRY(both_check_in(2, 3));
  // Round 2: Sam shares, Alex reflects.
  advance_seconds(240);
  ATTUNE_TRY(send(*sam, pass));
  ATTUNE_TRY(both_check_in(1, 2));
  advance_seconds(150);
  ATTUNE_TRY(send(*alex, reflected));
  ATTUNE_TRY(send(*sam, heard));
  ATTUNE_TRY(both_check_in(1, 2));
  // Own your part, then reassure: Alex first, then Sam.
  for (int step = 0; step < 2; ++step) {
    advance_seconds(120);
    ATTUNE_TRY(send(*alex, pass));
    advance_seconds(120);
    ATTUNE_TRY(send(*sam, pass));
    ATTUNE_TRY(both_check_in(1, 1));
  }
  // Reconnect.
  advance_seconds(60);
  ATTUNE_TRY(send(*sam, intents::propose_gesture("A long hug")));
  const uint32_t id = session->state().gestures(0).id();
  ATTUNE_TRY(send(*alex, intents::accept_gesture(id)));
  return "";
}

NodeApi& LocalFlow::node(attune::test::Who who) {
  switch (who) {
    case attune::test::Who::A:
      return *alex;
    case attune::test::Who::B:
      return *sam;
    case attune::test::Who::Coach:
      break;
  }
  return *robin;
}

void LocalFlow::play(const attune::test::Line& line) {
  NodeApi& by = node(line.who);
  const State state = by.snapshot()->state;
  const std::string command = attune::test::expand(line.command, state);
  const attune::test::Move move = attune::test::move_for(command, state, now_ms());
  const std::string refusal = move.intent ? send(by, *move.intent) : check_in(by, move.check_in_level);
  EXPECT_EQ(refusal, "") << command;
  attune::test::check_after(line, session->state());
}

}  // namespace attune::app::test
