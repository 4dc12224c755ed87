#include "session_driver.hpp"

#include <gtest/gtest.h>

namespace attune::test {

namespace make {
Intent join(std::string name, v1::Role role) {
  Intent i;
  i.mutable_join()->set_display_name(std::move(name));
  i.mutable_join()->set_role(role);
  return i;
}
Intent admit(std::string id) {
  Intent i;
  i.mutable_admit()->set_participant_id(std::move(id));
  return i;
}
Intent decline(std::string id) {
  Intent i;
  i.mutable_decline()->set_participant_id(std::move(id));
  return i;
}
Intent ready(bool r) {
  Intent i;
  i.mutable_set_ready()->set_ready(r);
  return i;
}
Intent settings(const v1::Settings& s) {
  Intent i;
  *i.mutable_propose_settings()->mutable_settings() = s;
  return i;
}
Intent share_with_coach(bool share) {
  Intent i;
  i.mutable_share_with_coach()->set_share(share);
  return i;
}
Intent confirm() {
  Intent i;
  i.mutable_confirm();
  return i;
}
Intent check_in(bool above, bool long_break_hint) {
  Intent i;
  i.mutable_check_in()->set_above_threshold(above);
  i.mutable_check_in()->set_long_break_hint(long_break_hint);
  return i;
}
Intent offer_first() {
  Intent i;
  i.mutable_offer_first();
  return i;
}
Intent request_draw() {
  Intent i;
  i.mutable_request_draw();
  return i;
}
Intent ask_coach() {
  Intent i;
  i.mutable_ask_coach();
  return i;
}
Intent accept_first() {
  Intent i;
  i.mutable_accept_first();
  return i;
}
Intent assign_first(v1::Role partner) {
  Intent i;
  i.mutable_assign_first()->set_partner(partner);
  return i;
}
Intent write(std::string text) {
  Intent i;
  i.mutable_write_text()->set_text(std::move(text));
  return i;
}
Intent skip_part() {
  Intent i;
  i.mutable_skip_part();
  return i;
}
Intent whole_conversation() {
  Intent i;
  i.mutable_whole_conversation();
  return i;
}
v1::Settings quick_settings(v1::Role repairer) {
  v1::Settings s = default_settings();
  s.set_kind(v1::REPAIR_KIND_QUICK);
  s.set_repairer(repairer);
  return s;
}
Intent ask_more() {
  Intent i;
  i.mutable_ask_more();
  return i;
}
Intent answer_more(bool more) {
  Intent i;
  i.mutable_answer_more()->set_more(more);
  return i;
}
Intent write_listening(std::string validation, std::string empathy) {
  Intent i;
  i.mutable_write_listening()->set_validation(std::move(validation));
  i.mutable_write_listening()->set_empathy(std::move(empathy));
  return i;
}
Intent pass_floor() {
  Intent i;
  i.mutable_pass_floor();
  return i;
}
Intent finish_reflection() {
  Intent i;
  i.mutable_finish_reflection();
  return i;
}
Intent heard() {
  Intent i;
  i.mutable_answer_heard();
  return i;
}
Intent not_quite() {
  Intent i;
  i.mutable_answer_not_quite();
  return i;
}
Intent propose_gesture(std::string text) {
  Intent i;
  i.mutable_propose_gesture()->set_text(std::move(text));
  return i;
}
Intent accept_gesture(uint32_t id) {
  Intent i;
  i.mutable_accept_gesture()->set_gesture_id(id);
  return i;
}
Intent pause() {
  Intent i;
  i.mutable_call_pause();
  return i;
}
Intent extend(uint32_t seconds) {
  Intent i;
  i.mutable_extend_pause()->set_seconds(seconds);
  return i;
}
Intent propose_long_break(int64_t return_ms) {
  Intent i;
  i.mutable_propose_long_break()->set_return_ms(return_ms);
  return i;
}
Intent accept_long_break() {
  Intent i;
  i.mutable_accept_long_break();
  return i;
}
Intent return_from_break() {
  Intent i;
  i.mutable_return_from_break();
  return i;
}
Intent exit() {
  Intent i;
  i.mutable_exit();
  return i;
}
Intent leave() {
  Intent i;
  i.mutable_leave();
  return i;
}
Intent presence(std::string id, bool connected) {
  Intent i;
  i.mutable_set_presence()->set_participant_id(std::move(id));
  i.mutable_set_presence()->set_connected(connected);
  return i;
}
Intent timer(int64_t due_ms) {
  Intent i;
  i.mutable_timer_fired()->set_due_ms(due_ms);
  return i;
}
}  // namespace make

SessionDriver::SessionDriver() : now_(from_ms(1'790'000'000'000)) {
  state_ = new_session("session-1", "Sunday talk", default_settings(), kA, "Alex", v1::ROLE_PARTNER_A, now_);
}

Result SessionDriver::send(const std::string& actor, const Intent& intent) {
  Result r = apply(state_, intent, Actor::participant(actor), now_);
  if (r.accepted()) {
    state_ = r.state;
    effects_ = r.effects;
  }
  return r;
}

Result SessionDriver::shell(const Intent& intent) {
  Result r = apply(state_, intent, Actor::shell(), now_);
  if (r.accepted()) {
    state_ = r.state;
    effects_ = r.effects;
  }
  return r;
}

void SessionDriver::ok(const std::string& actor, const Intent& intent) {
  const Result r = send(actor, intent);
  ASSERT_TRUE(r.accepted()) << actor << " was refused: " << r.refusal->message()
                            << "\nintent: " << intent.ShortDebugString();
}

std::string SessionDriver::refused(const std::string& actor, const Intent& intent, v1::RefusalCode code) {
  const uint64_t before = state_.version();
  const Result r = send(actor, intent);
  EXPECT_FALSE(r.accepted()) << actor << " should have been refused: " << intent.ShortDebugString();
  if (r.accepted()) return {};
  EXPECT_EQ(r.refusal->code(), code) << r.refusal->message();
  EXPECT_FALSE(r.refusal->message().empty());
  EXPECT_EQ(state_.version(), before);
  return r.refusal->message();
}

void SessionDriver::join_b_and_coach() {
  ok(kB, make::join("Blake", v1::ROLE_PARTNER_B));
  ok(kA, make::admit(kB));
  ok(kCoach, make::join("Casey", v1::ROLE_COACH));
  ok(kA, make::admit(kCoach));
  ok(kB, make::admit(kCoach));
}

void SessionDriver::start() {
  ok(kA, make::ready());
  ok(kB, make::ready());
}

void SessionDriver::both_check_in_calm() {
  ok(kA, make::check_in(false));
  ok(kB, make::check_in(false));
}

void SessionDriver::to_who_first() {
  join_b_and_coach();
  start();
  ok(kA, make::confirm());
  ok(kB, make::confirm());
  both_check_in_calm();
  ok(kA, make::confirm());
  ok(kB, make::confirm());
  both_check_in_calm();
}

void SessionDriver::to_share() {
  to_who_first();
  ok(kA, make::offer_first());
  ok(kB, make::accept_first());
  both_check_in_calm();
}

void SessionDriver::start_quick(v1::Role repairer) {
  join_b_and_coach();
  ok(kA, make::settings(make::quick_settings(repairer)));
  start();
}

void SessionDriver::to_acknowledge(v1::Role repairer) {
  start_quick(repairer);
  ok(kA, make::confirm());
  ok(kB, make::confirm());
  both_check_in_calm();
}

void SessionDriver::to_reflect() {
  to_share();
  ok(kA, make::write("I felt alone when the plans changed."));
  ok(kA, make::pass_floor());
  both_check_in_calm();
}

void SessionDriver::finish_pause() {
  now_ = from_ms(state_.pause().min_until_ms());
  const Result r = shell(make::timer(state_.pause().min_until_ms()));
  ASSERT_TRUE(r.accepted()) << r.refusal->message();
}

}  // namespace attune::test
