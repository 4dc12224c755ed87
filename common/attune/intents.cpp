#include "attune/intents.hpp"

#include <utility>

namespace attune::intents {

namespace {

// An intent with one field of its oneof filled in by `fill`.
template <typename Fill>
v1::Intent with(Fill fill) {
  v1::Intent i;
  fill(i);
  return i;
}

}  // namespace

v1::Intent join(std::string display_name, v1::Role role) {
  return with([&](v1::Intent& i) {
    i.mutable_join()->set_display_name(std::move(display_name));
    i.mutable_join()->set_role(role);
  });
}
v1::Intent admit(std::string participant_id) {
  return with([&](v1::Intent& i) { i.mutable_admit()->set_participant_id(std::move(participant_id)); });
}
v1::Intent decline(std::string participant_id) {
  return with([&](v1::Intent& i) { i.mutable_decline()->set_participant_id(std::move(participant_id)); });
}
v1::Intent ready(bool ready) {
  return with([&](v1::Intent& i) { i.mutable_set_ready()->set_ready(ready); });
}
v1::Intent settings(const v1::Settings& settings) {
  return with([&](v1::Intent& i) { *i.mutable_propose_settings()->mutable_settings() = settings; });
}
v1::Intent share_with_coach(bool share) {
  return with([&](v1::Intent& i) { i.mutable_share_with_coach()->set_share(share); });
}
v1::Intent leave() {
  return with([](v1::Intent& i) { i.mutable_leave(); });
}

v1::Intent confirm() {
  return with([](v1::Intent& i) { i.mutable_confirm(); });
}
v1::Intent check_in(bool above_threshold, bool long_break_hint) {
  return with([&](v1::Intent& i) {
    i.mutable_check_in()->set_above_threshold(above_threshold);
    i.mutable_check_in()->set_long_break_hint(long_break_hint);
  });
}
v1::Intent check_in(const v1::CheckIn& bits) {
  return with([&](v1::Intent& i) { *i.mutable_check_in() = bits; });
}
v1::Intent offer_first() {
  return with([](v1::Intent& i) { i.mutable_offer_first(); });
}
v1::Intent request_draw() {
  return with([](v1::Intent& i) { i.mutable_request_draw(); });
}
v1::Intent ask_coach() {
  return with([](v1::Intent& i) { i.mutable_ask_coach(); });
}
v1::Intent accept_first() {
  return with([](v1::Intent& i) { i.mutable_accept_first(); });
}
v1::Intent assign_first(v1::Role partner) {
  return with([&](v1::Intent& i) { i.mutable_assign_first()->set_partner(partner); });
}
v1::Intent write(std::string text) {
  return with([&](v1::Intent& i) { i.mutable_write_text()->set_text(std::move(text)); });
}
v1::Intent pass_floor() {
  return with([](v1::Intent& i) { i.mutable_pass_floor(); });
}
v1::Intent finish_reflection() {
  return with([](v1::Intent& i) { i.mutable_finish_reflection(); });
}
v1::Intent heard() {
  return with([](v1::Intent& i) { i.mutable_answer_heard(); });
}
v1::Intent not_quite() {
  return with([](v1::Intent& i) { i.mutable_answer_not_quite(); });
}
v1::Intent ask_more() {
  return with([](v1::Intent& i) { i.mutable_ask_more(); });
}
v1::Intent answer_more(bool more) {
  return with([&](v1::Intent& i) { i.mutable_answer_more()->set_more(more); });
}
v1::Intent write_listening(std::string validation, std::string empathy) {
  return with([&](v1::Intent& i) {
    i.mutable_write_listening()->set_validation(std::move(validation));
    i.mutable_write_listening()->set_empathy(std::move(empathy));
  });
}
v1::Intent finish_validation() {
  return with([](v1::Intent& i) { i.mutable_finish_validation(); });
}
v1::Intent skip_part() {
  return with([](v1::Intent& i) { i.mutable_skip_part(); });
}
v1::Intent whole_conversation() {
  return with([](v1::Intent& i) { i.mutable_whole_conversation(); });
}
v1::Intent propose_gesture(std::string text) {
  return with([&](v1::Intent& i) { i.mutable_propose_gesture()->set_text(std::move(text)); });
}
v1::Intent accept_gesture(uint32_t gesture_id) {
  return with([&](v1::Intent& i) { i.mutable_accept_gesture()->set_gesture_id(gesture_id); });
}

v1::Intent pause() {
  return with([](v1::Intent& i) { i.mutable_call_pause(); });
}
v1::Intent extend(uint32_t seconds) {
  return with([&](v1::Intent& i) { i.mutable_extend_pause()->set_seconds(seconds); });
}
v1::Intent propose_long_break(int64_t return_ms) {
  return with([&](v1::Intent& i) { i.mutable_propose_long_break()->set_return_ms(return_ms); });
}
v1::Intent accept_long_break() {
  return with([](v1::Intent& i) { i.mutable_accept_long_break(); });
}
v1::Intent return_from_break() {
  return with([](v1::Intent& i) { i.mutable_return_from_break(); });
}
v1::Intent exit() {
  return with([](v1::Intent& i) { i.mutable_exit(); });
}

v1::Intent presence(std::string participant_id, bool connected) {
  return with([&](v1::Intent& i) {
    i.mutable_set_presence()->set_participant_id(std::move(participant_id));
    i.mutable_set_presence()->set_connected(connected);
  });
}
v1::Intent timer(int64_t due_ms) {
  return with([&](v1::Intent& i) { i.mutable_timer_fired()->set_due_ms(due_ms); });
}

}  // namespace attune::intents
