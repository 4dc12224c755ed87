#include "local_flow.hpp"

namespace attune::app::test {

namespace {

template <typename Fill>
Intent make(Fill fill) {
  Intent i;
  fill(i);
  return i;
}

}  // namespace

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
  ATTUNE_TRY(send(*alex, make([](Intent& i) { i.mutable_admit()->set_participant_id("dev-sam"); })));
  if (robin) {
    ATTUNE_TRY(send(*alex, make([](Intent& i) { i.mutable_admit()->set_participant_id("dev-robin"); })));
    ATTUNE_TRY(send(*sam, make([](Intent& i) { i.mutable_admit()->set_participant_id("dev-robin"); })));
  }
  return "";
}

std::string LocalFlow::start() {
  ATTUNE_TRY(send(*alex, make([](Intent& i) { i.mutable_set_ready()->set_ready(true); })));
  ATTUNE_TRY(send(*sam, make([](Intent& i) { i.mutable_set_ready()->set_ready(true); })));
  return "";
}

std::string LocalFlow::both_check_in(int a, int b) {
  advance_seconds(20);
  ATTUNE_TRY(check_in(*alex, a));
  ATTUNE_TRY(check_in(*sam, b));
  return "";
}

std::string LocalFlow::to_who_first() {
  const Intent confirm = make([](Intent& i) { i.mutable_confirm(); });
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
  ATTUNE_TRY(send(*alex, make([](Intent& i) { i.mutable_offer_first(); })));
  ATTUNE_TRY(send(*sam, make([](Intent& i) { i.mutable_accept_first(); })));
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
  const Intent pass = make([](Intent& i) { i.mutable_pass_floor(); });
  const Intent reflected = make([](Intent& i) { i.mutable_finish_reflection(); });
  const Intent heard = make([](Intent& i) { i.mutable_answer_heard(); });
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
  ATTUNE_TRY(send(*sam, make([](Intent& i) { i.mutable_propose_gesture()->set_text("A long hug"); })));
  const uint32_t id = session->state().gestures(0).id();
  ATTUNE_TRY(send(*alex, make([id](Intent& i) { i.mutable_accept_gesture()->set_gesture_id(id); })));
  return "";
}

}  // namespace attune::app::test
