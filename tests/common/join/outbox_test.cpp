// The joining device's outbox with a fake clock: what is resent after a
// reconnect, what is settled, what waits, what the person hears, and limits.
#include "attune/join/outbox.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attune/intent_limits.hpp"

namespace attune::join {
namespace {

using namespace std::chrono_literals;
const Instant kStart = Instant{} + 1000h;

Intent pass_floor() {
  Intent intent;
  intent.mutable_pass_floor();
  return intent;
}

Intent call_pause() {
  Intent intent;
  intent.mutable_call_pause();
  return intent;
}

Intent check_in() {
  Intent intent;
  intent.mutable_check_in()->set_above_threshold(true);
  return intent;
}

Intent whole_conversation() {
  Intent intent;
  intent.mutable_whole_conversation();
  return intent;
}

Intent join_as(const std::string& name) {
  Intent intent;
  intent.mutable_join()->set_display_name(name);
  intent.mutable_join()->set_role(v1::ROLE_PARTNER_B);
  return intent;
}

std::vector<std::string> ids(const std::vector<const Entry*>& entries) {
  std::vector<std::string> out;
  for (const auto* entry : entries) out.push_back(entry->intent_id);
  return out;
}

std::vector<std::string> ids_of(const std::vector<std::string>& list) { return list; }

// Three intents on a live link, written to disk; returns the outbox.
Outbox three_sent(OutboxLimits limits = {}) {
  Outbox outbox(limits);
  for (const char* id : {"a", "b", "c"}) {
    EXPECT_EQ(outbox.add(id, pass_floor(), true, kStart), Added::Kept);
  }
  outbox.mark_written(ids(outbox.unwritten()));
  return outbox;
}

TEST(Outbox, SentButUnansweredAreReplayedInOrderAfterAReconnect) {
  Outbox outbox = three_sent();
  EXPECT_EQ(outbox.find("b")->status, Status::Sent);
  outbox.link_lost();
  for (const auto& entry : outbox.entries()) EXPECT_EQ(entry.status, Status::Waiting) << entry.intent_id;
  // Made while the link was down: waits, and goes last.
  EXPECT_EQ(outbox.add("d", pass_floor(), false, kStart + 1s), Added::Kept);
  EXPECT_EQ(ids(outbox.replay()), (std::vector<std::string>{"a", "b", "c", "d"}));
  for (const auto& entry : outbox.entries()) EXPECT_EQ(entry.status, Status::Replayed) << entry.intent_id;
  // A second drop and welcome sends the same again: nothing was answered.
  outbox.link_lost();
  EXPECT_EQ(ids(outbox.replay()), (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(Outbox, AnsweredEntriesAreSettledAndNeverResent) {
  Outbox outbox = three_sent();
  // "b" was on disk: its stored copy goes at the next save.
  EXPECT_TRUE(outbox.acked("b"));
  EXPECT_EQ(outbox.pending(), 2u);
  EXPECT_EQ(outbox.settled_on_disk(), ids_of({"b"}));
  // A repeated answer changes nothing.
  EXPECT_FALSE(outbox.acked("b"));
  const auto refused = outbox.refused("c", v1::REFUSAL_CODE_NOT_YOUR_TURN, v1::PHASE_ACTIVE);
  EXPECT_EQ(refused.verdict, Verdict::Surface);
  EXPECT_TRUE(refused.needs_disk_removal);
  outbox.link_lost();
  EXPECT_EQ(ids(outbox.replay()), ids_of({"a"}));
  // Once the disk forgot them, they are gone for good.
  outbox.forget_settled(outbox.settled_on_disk());
  EXPECT_TRUE(outbox.settled_on_disk().empty());
  EXPECT_EQ(outbox.entries().size(), 1u);
  EXPECT_EQ(ids(outbox.replay()), ids_of({"a"}));
}

TEST(Outbox, WriteBehindSparesTheDiskForQuickAnswers) {
  Outbox outbox;
  EXPECT_FALSE(outbox.write_deadline());
  outbox.add("quick", pass_floor(), true, kStart);
  outbox.add("slow", pass_floor(), true, kStart + 1ms);
  // The oldest unwritten one sets the deadline.
  ASSERT_TRUE(outbox.write_deadline());
  EXPECT_EQ(*outbox.write_deadline(), kStart + OutboxLimits{}.write_delay);
  // Answered before the deadline: never written, nothing to remove.
  EXPECT_FALSE(outbox.acked("quick"));
  EXPECT_TRUE(outbox.settled_on_disk().empty());
  EXPECT_EQ(*outbox.write_deadline(), kStart + 1ms + OutboxLimits{}.write_delay);
  EXPECT_EQ(ids(outbox.unwritten()), ids_of({"slow"}));
  outbox.mark_written({"slow"});
  EXPECT_FALSE(outbox.write_deadline());
  EXPECT_TRUE(outbox.unwritten().empty());
  // Answered after it was written: the stored copy is to be removed.
  EXPECT_TRUE(outbox.acked("slow"));
  EXPECT_EQ(outbox.settled_on_disk(), ids_of({"slow"}));
}

TEST(Outbox, ResentIntentsRefusedForNowWaitForTheSessionAndAreAnnouncedOnce) {
  Outbox outbox = three_sent();
  outbox.link_lost();
  outbox.replay();
  // The host paused meanwhile: "b" is held, and the person hears it once.
  auto held = outbox.refused("b", v1::REFUSAL_CODE_PAUSED, v1::PHASE_PAUSED);
  EXPECT_EQ(held.verdict, Verdict::Hold);
  EXPECT_TRUE(held.first_hold);
  EXPECT_EQ(outbox.find("b")->status, Status::Held);
  EXPECT_EQ(outbox.pending(), 3u);
  // Still paused, nothing more goes out; a reconnect sends it with the rest.
  outbox.link_lost();
  EXPECT_EQ(ids(outbox.replay()), (std::vector<std::string>{"a", "b", "c"}));
  held = outbox.refused("b", v1::REFUSAL_CODE_WAITING_FOR_CHECK_IN, v1::PHASE_CHECK_IN);
  EXPECT_EQ(held.verdict, Verdict::Hold);
  EXPECT_FALSE(held.first_hold) << "the person was told already";
  // The session is active again: the held one goes out, alone.
  EXPECT_EQ(ids(outbox.release_held(v1::PHASE_ACTIVE)), ids_of({"b"}));
  EXPECT_TRUE(outbox.release_held(v1::PHASE_ACTIVE).empty());
  EXPECT_EQ(outbox.find("b")->status, Status::Replayed);
  // Refused "for now" while already active: sent again at once.
  EXPECT_EQ(outbox.refused("a", v1::REFUSAL_CODE_PAUSED, v1::PHASE_ACTIVE).verdict, Verdict::Resend);
}

// A pause asked for while the link was down meets a pause already on. Held, it went out at the next PHASE_ACTIVE and started
// a second pause right after both partners checked in.
TEST(Outbox, HeldCallPauseIsSettledNotResent) {
  Outbox outbox;
  outbox.add("p", call_pause(), false, kStart);
  outbox.add("f", pass_floor(), false, kStart);
  outbox.mark_written(ids(outbox.unwritten()));
  EXPECT_EQ(ids(outbox.replay()), (std::vector<std::string>{"p", "f"}));
  for (const auto phase : {v1::PHASE_PAUSED, v1::PHASE_LONG_BREAK}) {
    Outbox again;
    again.add("p", call_pause(), false, kStart);
    again.replay();
    const auto outcome = again.refused("p", v1::REFUSAL_CODE_PAUSED, phase);
    EXPECT_EQ(outcome.verdict, Verdict::Satisfied) << v1::Phase_Name(phase);
    EXPECT_FALSE(again.find("p"));
  }
  const auto pause = outbox.refused("p", v1::REFUSAL_CODE_PAUSED, v1::PHASE_PAUSED);
  EXPECT_EQ(pause.verdict, Verdict::Satisfied) << "no refusal for the person, no held line";
  EXPECT_FALSE(pause.first_hold);
  EXPECT_TRUE(pause.needs_disk_removal) << "its stored copy goes too";
  EXPECT_FALSE(outbox.find("p"));
  // A step intent refused the same way still waits for the session.
  EXPECT_EQ(outbox.refused("f", v1::REFUSAL_CODE_PAUSED, v1::PHASE_PAUSED).verdict, Verdict::Hold);
  // The pause ends, both check in, the session is active: only the step goes.
  EXPECT_TRUE(outbox.release_held(v1::PHASE_CHECK_IN).empty());
  EXPECT_EQ(ids(outbox.release_held(v1::PHASE_ACTIVE)), ids_of({"f"}));
  // The same pause refused for another reason is still the person's to see.
  outbox.add("q", call_pause(), false, kStart);
  outbox.replay();
  EXPECT_EQ(outbox.refused("q", v1::REFUSAL_CODE_WAITING_FOR_CHECK_IN, v1::PHASE_CHECK_IN).verdict,
            Verdict::Hold);
  EXPECT_TRUE(outbox.release_held(v1::PHASE_CHECK_IN).empty()) << "a pause is called while active";
}

// A WholeConversation refused "paused" during a pause or long break is
// valid at the check-in gate that follows. Held for PHASE_ACTIVE it never
// went out there, and later drew a stale refusal shown to the person.
TEST(Outbox, HeldWholeConversationGoesOutAtTheCheckInGate) {
  Outbox outbox;
  outbox.add("f", pass_floor(), false, kStart);
  outbox.add("w", whole_conversation(), false, kStart);
  outbox.replay();
  for (const char* id : {"f", "w"}) {
    EXPECT_EQ(outbox.refused(id, v1::REFUSAL_CODE_PAUSED, v1::PHASE_LONG_BREAK).verdict, Verdict::Hold) << id;
  }
  // The break ends in a pause: still nothing can go.
  EXPECT_TRUE(outbox.release_held(v1::PHASE_PAUSED).empty());
  // The check-in gate opens: the whole-conversation goes, the step waits.
  EXPECT_EQ(ids(outbox.release_held(v1::PHASE_CHECK_IN)), ids_of({"w"}));
  EXPECT_EQ(outbox.find("w")->status, Status::Replayed);
  EXPECT_EQ(outbox.find("f")->status, Status::Held);
  // Refused "for now" while the gate is open: sent again at once.
  EXPECT_EQ(outbox.refused("w", v1::REFUSAL_CODE_PAUSED, v1::PHASE_CHECK_IN).verdict, Verdict::Resend);
  EXPECT_EQ(outbox.refused("f", v1::REFUSAL_CODE_WAITING_FOR_CHECK_IN, v1::PHASE_CHECK_IN).verdict,
            Verdict::Hold);
  EXPECT_EQ(ids(outbox.release_held(v1::PHASE_ACTIVE)), ids_of({"f"}));
}

// A CheckIn made while the link was down and resent into a long break was
// made for a gate that is gone. Held, it went out at the fresh gate after
// the break and counted there as a rating the person never gave for it.
// It is dropped at once, and the person is asked to check in again.
TEST(Outbox, ACheckInHeldThroughALongBreakIsDroppedAndAskedAgain) {
  for (const auto phase : {v1::PHASE_LONG_BREAK, v1::PHASE_PAUSED, v1::PHASE_CHECK_IN}) {
    Outbox outbox;
    outbox.add("c", check_in(), false, kStart);
    outbox.add("f", pass_floor(), false, kStart);
    outbox.mark_written(ids(outbox.unwritten()));
    outbox.replay();
    // `phase`: where this device's copy stands when the refusal arrives.
    const auto outcome = outbox.refused("c", v1::REFUSAL_CODE_PAUSED, phase);
    EXPECT_EQ(outcome.verdict, Verdict::AskAgain) << v1::Phase_Name(phase);
    EXPECT_FALSE(outcome.first_hold) << "no held line: it will not go through";
    EXPECT_TRUE(outcome.needs_disk_removal) << "its stored copy goes too";
    EXPECT_FALSE(outbox.find("c"));
    // The fresh gate after the break opens: the old check-in does not go out.
    EXPECT_EQ(outbox.refused("f", v1::REFUSAL_CODE_PAUSED, v1::PHASE_LONG_BREAK).verdict, Verdict::Hold);
    EXPECT_TRUE(outbox.release_held(v1::PHASE_CHECK_IN).empty()) << v1::Phase_Name(phase);
  }
  const auto words = check_in_again_refusal();
  EXPECT_NE(words.message().find("please check in again"), std::string::npos) << words.message();
  // A check-in the person makes after reconnecting is never dropped this way.
  Outbox fresh;
  fresh.add("n", check_in(), true, kStart);
  EXPECT_EQ(fresh.refused("n", v1::REFUSAL_CODE_PAUSED, v1::PHASE_LONG_BREAK).verdict, Verdict::Surface);
}

// An intent made before the shell read its disk (Joiner::submit before
// start) was written there, then read back as a second entry: sent twice
// at every welcome, answered twice.
TEST(Outbox, AnIntentMadeBeforeTheDiskWasReadIsKeptOnce) {
  Outbox outbox;
  outbox.add("tap", pass_floor(), false, kStart);
  outbox.mark_written(ids(outbox.unwritten()));
  EXPECT_FALSE(outbox.restore("tap", pass_floor()));
  EXPECT_FALSE(outbox.restore("older", pass_floor()));
  EXPECT_EQ(outbox.pending(), 2u);
  EXPECT_EQ(ids(outbox.replay()), (std::vector<std::string>{"tap", "older"}));
  EXPECT_TRUE(outbox.acked("tap"));
  EXPECT_FALSE(outbox.find("tap")) << "a second copy is still waiting";
}

TEST(Outbox, AFreshIntentRefusedForNowIsThePersonsToSee) {
  Outbox outbox;
  outbox.add("x", pass_floor(), true, kStart);
  const auto refused = outbox.refused("x", v1::REFUSAL_CODE_PAUSED, v1::PHASE_PAUSED);
  EXPECT_EQ(refused.verdict, Verdict::Surface);
  EXPECT_FALSE(refused.needs_disk_removal) << "never written, nothing to remove";
  EXPECT_EQ(outbox.pending(), 0u);
}

TEST(Outbox, AHeldIntentIsHeldAFewTimesAtMostThenShown) {
  OutboxLimits limits;
  Outbox outbox = three_sent(limits);
  outbox.replay();
  for (int i = 1; i <= limits.max_holds; ++i) {
    EXPECT_EQ(outbox.refused("a", v1::REFUSAL_CODE_PAUSED, v1::PHASE_PAUSED).verdict, Verdict::Hold) << i;
    EXPECT_EQ(outbox.find("a")->holds, i);
    outbox.release_held(v1::PHASE_ACTIVE);
  }
  const auto last = outbox.refused("a", v1::REFUSAL_CODE_PAUSED, v1::PHASE_PAUSED);
  EXPECT_EQ(last.verdict, Verdict::Surface);
  EXPECT_TRUE(last.needs_disk_removal);
  EXPECT_FALSE(outbox.find("a"));
}

TEST(Outbox, LimitsHold) {
  OutboxLimits limits;
  limits.max_entries = 3;
  Outbox outbox = three_sent(limits);
  EXPECT_EQ(outbox.add("d", pass_floor(), true, kStart), Added::Full);
  EXPECT_EQ(outbox.add("a", pass_floor(), true, kStart), Added::Duplicate);
  EXPECT_EQ(outbox.pending(), 3u);
  EXPECT_FALSE(outbox_full_refusal().message().empty());
  // Room again once one is answered, even before the disk forgot it.
  outbox.acked("a");
  EXPECT_EQ(outbox.add("d", pass_floor(), true, kStart), Added::Kept);
}

TEST(Outbox, WhatCouldNeverBeSentIsSetAsideAtStart) {
  Outbox outbox;
  Intent huge;
  huge.mutable_write_text()->set_text(std::string(kMaxIntentBytes + 1, 'x'));
  const auto refusal = outbox.restore("huge", huge);
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->message().find("set aside"), std::string::npos);
  EXPECT_FALSE(outbox.restore("ok", pass_floor()));
  EXPECT_EQ(ids(outbox.replay()), ids_of({"ok"}));
  EXPECT_TRUE(outbox.find("ok")->on_disk);
}

TEST(Outbox, AJoinMadeOnWelcomeGoesFirst) {
  Outbox outbox;
  outbox.add("tap", pass_floor(), false, kStart);
  EXPECT_FALSE(outbox.has_join());
  outbox.add_join_first("join", join_as("Blake"));
  EXPECT_TRUE(outbox.has_join());
  EXPECT_EQ(ids(outbox.replay()), (std::vector<std::string>{"join", "tap"}));
  const auto refused = outbox.refused("join", v1::REFUSAL_CODE_SEAT_TAKEN, v1::PHASE_ACTIVE);
  EXPECT_TRUE(refused.was_join);
  EXPECT_FALSE(outbox.has_join());
  outbox.clear();
  EXPECT_EQ(outbox.pending(), 0u);
}

}  // namespace
}  // namespace attune::join
