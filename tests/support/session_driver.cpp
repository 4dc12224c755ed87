#include "session_driver.hpp"

#include <gtest/gtest.h>

namespace attune::test {

namespace make {
v1::Settings quick_settings(v1::Role repairer) {
  v1::Settings s = default_settings();
  s.set_kind(v1::REPAIR_KIND_QUICK);
  s.set_repairer(repairer);
  return s;
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
