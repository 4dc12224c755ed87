// The host's rules, in process with a fake clock (issue 11, item 1): what
// the people in a session would notice when a device goes quiet, taps
// during a pause, sends too much, rates for a coach, or fills the seats.
#include <gtest/gtest.h>

#include <algorithm>

#include "attune/frame_decoder.hpp"
#include "attune/crypto/coach_seal.hpp"
#include "host_core_room.hpp"
#include "test_random.hpp"
#include "session_driver.hpp"

namespace attune::host::test {
namespace {

using namespace std::chrono_literals;
namespace make = attune::test::make;
using attune::test::kB;
using attune::test::kCoach;

const v1::Participant* seat(const State& view, const std::string& id) { return find_participant(view, id); }

bool connected_in(const State& view, const std::string& id) {
  const auto* p = seat(view, id);
  return p && p->connected();
}

int coach_levels(Room& room, LinkId link) {
  const auto& box = room.inbox(link);
  return static_cast<int>(std::count_if(box.begin(), box.end(), [](const auto& e) {
    return e.has_coach_level() || e.has_sealed_coach_level();
  }));
}

// What B's device sends after a check-in: `level` sealed to each coach its view names.
v1::Envelope sealed_from_b(Room& room, LinkId b, int level, std::int64_t at_ms = 1000) {
  const State view = room.last_view(b);
  v1::CoachLevel plain;
  plain.set_level(static_cast<uint32_t>(level));
  plain.set_at_ms(at_ms);
  plain.set_step(v1::STEP_GAUGE);
  auto sealed = crypto::seal_for_coaches(crypto::coach_keys(view), view, kB, plain, attune::test::test_random());
  v1::Envelope envelope;
  if (!sealed.empty()) *envelope.mutable_sealed_coach_level() = sealed.front();
  return envelope;
}

// The newest rating the coach can open from its inbox, as its screen shows it.
std::optional<v1::CoachLevel> coach_opens(Room& room, LinkId coach) {
  crypto::CoachInbox inbox;
  std::optional<v1::CoachLevel> out;
  for (const auto& e : room.inbox(coach)) {
    std::string why;
    if (!e.has_sealed_coach_level()) continue;
    if (auto level = inbox.take(device_identity(kCoach), room.last_view(coach), e.sealed_coach_level(), why))
      out = level;
  }
  return out;
}

// B still shows as here 100 ms before `grace` has passed, and as away 100 ms after.
void expect_away_after(Room& room, std::chrono::milliseconds grace) {
  room.advance(grace - 100ms);
  EXPECT_TRUE(connected_in(room.host_view(), kB)) << "away before the silence limit was reached";
  EXPECT_NE(room.host_view().phase(), v1::PHASE_PAUSED);
  room.advance(200ms);
  EXPECT_FALSE(connected_in(room.host_view(), kB)) << "still shown as here past the silence limit";
}

// --- Presence and silence ---

TEST(HostCorePresence, ADeviceSilentPastTheLimitIsShownAwayOnItsPartnersScreen) {
  Room room;
  const LinkId b = room.join_partner_b();
  room.begin(b);
  ASSERT_TRUE(connected_in(room.host_view(), kB));
  room.drop(b);
  expect_away_after(room, 5000ms);
  // The session waits for the partner who dropped out.
  EXPECT_EQ(room.host_view().phase(), v1::PHASE_PAUSED);
  EXPECT_EQ(room.host_view().pause().reason(), v1::PAUSE_REASON_CONNECTION);
}

TEST(HostCorePresence, TheGraceCountsFromTheLastThingTheDeviceSaid) {
  Room room;
  const LinkId b = room.join_partner_b();
  room.drop(b, 3000ms);  // It had been quiet for 3 s when its link closed.
  expect_away_after(room, 2000ms);
}

TEST(HostCorePresence, ADeviceBackWithinTheGraceNeverPausesTheSession) {
  Room room;
  const LinkId b = room.join_partner_b();
  room.begin(b);
  room.drop(b);
  room.advance(3s);
  const LinkId again = room.connect(kB);  // Its pinned key, no code.
  room.advance(30s);
  EXPECT_EQ(room.host_view().phase(), v1::PHASE_ACTIVE);
  EXPECT_TRUE(connected_in(room.host_view(), kB));
  EXPECT_TRUE(connected_in(room.last_view(again), kB));
}

TEST(HostCorePresence, ANewLinkFromTheSameDeviceReplacesTheOldOne) {
  Room room;
  const LinkId b = room.join_partner_b();
  const LinkId again = room.connect(kB);
  EXPECT_TRUE(room.closed(b));
  EXPECT_FALSE(room.closed(again));
  // The older link hears why it ends, so that side can tell it from a crash.
  EXPECT_EQ(room.goodbye(b), v1::CLOSE_REASON_REPLACED);
  EXPECT_FALSE(room.goodbye(again).has_value());
  room.advance(30s);
  EXPECT_TRUE(connected_in(room.host_view(), kB)) << "the old link's closing made B look away";
}

TEST(HostCorePresence, AfterARestartADeviceThatDoesNotComeBackIsShownAway) {
  Room before;
  const LinkId b = before.join_partner_b();
  before.begin(b);
  Room after(StoredHost{before.core.seq(), before.core.state(), {}, {}});
  expect_away_after(after, 5000ms);
}

// --- "Not yet" refusals ---

TEST(HostCoreNotYet, ATapDuringAPauseIsJudgedAgainWhenResentAfterIt) {
  Room room;
  const LinkId b = room.join_partner_b();
  room.begin(b);
  ASSERT_TRUE(room.submit(b, make::pause())->has_intent_ack());
  // B's device tapped "done" while the pause ran (say, offline).
  auto answer = room.submit(b, "tap-1", make::confirm());
  ASSERT_TRUE(answer->has_intent_refused());
  EXPECT_EQ(answer->intent_refused().refusal().code(), v1::REFUSAL_CODE_PAUSED);
  EXPECT_TRUE(room.refusals.empty()) << "a 'not yet' was remembered";

  room.advance(std::chrono::milliseconds(room.core.state().pause().min_until_ms() - to_ms(room.now())));
  ASSERT_EQ(room.host_view().phase(), v1::PHASE_CHECK_IN);
  answer = room.submit(b, "tap-1", make::confirm());
  EXPECT_EQ(answer->intent_refused().refusal().code(), v1::REFUSAL_CODE_WAITING_FOR_CHECK_IN);

  ASSERT_TRUE(room.local(make::check_in(false)));
  ASSERT_TRUE(room.submit(b, make::check_in(false))->has_intent_ack());
  answer = room.submit(b, "tap-1", make::confirm());
  ASSERT_TRUE(answer->has_intent_ack()) << answer->intent_refused().refusal().message();
  EXPECT_EQ(answer->intent_ack().seq(), room.core.seq());
}

TEST(HostCoreNotYet, AnyOtherRefusalIsTheFirstAnswerForGood) {
  Room room;
  const LinkId b = room.join_partner_b();
  room.begin(b);
  const auto first = room.submit(b, "x", make::assign_first(v1::ROLE_PARTNER_A));  // Only a coach may.
  ASSERT_TRUE(first->has_intent_refused());
  ASSERT_EQ(room.refusals.size(), 1u);
  room.advance(1min);
  const auto again = room.submit(b, "x", make::assign_first(v1::ROLE_PARTNER_A));
  EXPECT_EQ(again->intent_refused().refusal().message(), first->intent_refused().refusal().message());
  EXPECT_EQ(room.refusals.size(), 1u) << "judged again instead of answered from memory";
}

TEST(HostCoreNotYet, AResentIntentIsAppliedOnce) {
  Room room;
  const LinkId b = room.join_partner_b();
  const auto first = room.submit(b, "ready-1", make::ready());
  const std::size_t stored = room.changes.size();
  const auto again = room.submit(b, "ready-1", make::ready());
  ASSERT_TRUE(again->has_intent_ack());
  EXPECT_EQ(again->intent_ack().seq(), first->intent_ack().seq());
  EXPECT_EQ(room.changes.size(), stored);
}

// --- Storing first, and the frame budget ---

TEST(HostCoreStore, AChangeTheDiskCouldNotKeepReachesNobodyAndCanBeSentAgain) {
  Room room;
  const LinkId b = room.join_partner_b();
  const std::size_t views = room.inbox(b).size();
  room.store_fails = true;
  const auto answer = room.submit(b, "ready-1", make::ready());
  ASSERT_TRUE(answer->has_intent_refused());
  EXPECT_NE(answer->intent_refused().refusal().message().find("could not save"), std::string::npos);
  EXPECT_EQ(room.inbox(b).size(), views + 1) << "a change nobody stored was sent";
  EXPECT_FALSE(seat(room.host_view(), kB)->ready());

  room.store_fails = false;
  ASSERT_TRUE(room.submit(b, "ready-1", make::ready())->has_intent_ack());
  EXPECT_TRUE(seat(room.host_view(), kB)->ready());
  ASSERT_FALSE(room.changes.empty());
  EXPECT_EQ(room.changes.back().intent_id, "ready-1");
  EXPECT_EQ(room.changes.back().seq, room.core.seq());
}

TEST(HostCoreStore, AChangeTooBigForAFrameIsRefusedInWordsAndNobodyHearsOfIt) {
  Room fresh;
  State state = fresh.core.state();
  // A stored session just under the budget: any addition tips it over.
  constexpr std::size_t kBudget = kMaxFramePayload - 512;
  state.set_session_name(std::string(kBudget - state.ByteSizeLong() - 8, 'x'));
  ASSERT_LE(state.ByteSizeLong(), kBudget);
  Room room(StoredHost{0, state, {}, {}});
  const LinkId b = room.connect(kB);
  const auto answer = room.submit(b, make::join("Blake", v1::ROLE_PARTNER_B));
  ASSERT_TRUE(answer->has_intent_refused());
  EXPECT_EQ(answer->intent_refused().refusal().code(), v1::REFUSAL_CODE_BAD_INPUT);
  EXPECT_NE(answer->intent_refused().refusal().message().find("shorten"), std::string::npos);
  EXPECT_TRUE(room.changes.empty());
  EXPECT_EQ(room.host_view().participants_size(), 1);
  EXPECT_EQ(room.core.seq(), 0u);
}

// proto/README.md "Text that isn't UTF-8" (reader 4, gap 4): an intent whose
// text had to be mended to be read at all is refused in words, never applied
// or remembered, and the link stays open; the same id, readable, goes through.
TEST(HostCoreNotYet, AnIntentWhoseTextWasNotUtf8IsRefusedInWordsAndNotRemembered) {
  Room room;
  const LinkId b = room.join_partner_b();
  v1::Envelope envelope;
  envelope.mutable_submit_intent()->set_intent_id("ready-1");
  *envelope.mutable_submit_intent()->mutable_intent() = make::ready();
  const std::size_t before = room.inbox(b).size();
  const std::size_t stored = room.changes.size();
  room.carry_out(room.core.message(b, envelope, /*repaired=*/true, room.now()));
  ASSERT_EQ(room.inbox(b).size(), before + 1);
  const v1::Envelope& answer = room.inbox(b).back();
  ASSERT_TRUE(answer.has_intent_refused());
  EXPECT_EQ(answer.intent_refused().intent_id(), "ready-1");
  EXPECT_EQ(answer.intent_refused().refusal().code(), v1::REFUSAL_CODE_BAD_INPUT);
  EXPECT_NE(answer.intent_refused().refusal().message().find("can't read"), std::string::npos);
  EXPECT_FALSE(room.closed(b));
  EXPECT_EQ(room.changes.size(), stored);
  EXPECT_TRUE(room.refusals.empty()) << "a mended intent's refusal was remembered";
  EXPECT_TRUE(room.submit(b, "ready-1", make::ready())->has_intent_ack());
}

// --- What the host's own screen sees ---

// proto/README.md, "Redaction per recipient" (reader 4, gap 3): the host's
// own screen and headless `state` line get the same redacted view as any
// admitted device, so a partner hosting never learns the other's private bit.
TEST(HostCoreRedaction, TheHostsOwnViewNeverSaysWhetherThePartnerIsAboveTheLine) {
  Room room;
  const LinkId b = room.join_partner_b();
  room.begin(b);
  ASSERT_TRUE(room.local(make::confirm()));
  ASSERT_TRUE(room.submit(b, make::confirm())->has_intent_ack());
  ASSERT_EQ(room.host_view().phase(), v1::PHASE_CHECK_IN);
  ASSERT_TRUE(room.submit(b, make::check_in(true))->has_intent_ack());
  ASSERT_TRUE(room.core.state().gate().above_b()) << "the engine must hold B's bit while A has not checked in";
  EXPECT_FALSE(room.host_view().gate().above_b()) << "the host's own screen saw B's private bit";
  EXPECT_FALSE(room.host_view().gate().above_a());
  EXPECT_TRUE(room.host_view().gate().checked_in_b());
  State admitted = view_for(room.core.state(), kB);
  EXPECT_EQ(room.host_view().SerializeAsString(), admitted.SerializeAsString())
      << "the host's own view differs from an admitted partner's";
}

// The Change a link was sent last.
const v1::Change* last_change(Room& room, LinkId link) {
  const auto& box = room.inbox(link);
  for (auto it = box.rbegin(); it != box.rend(); ++it)
    if (it->has_change()) return &it->change();
  return nullptr;
}

TEST(HostCoreIntents, OnlyTheSenderHearsWhichIntentCausedAChange) {
  Room room;
  const LinkId b = room.join_partner_b();
  const LinkId coach = room.join_coach(kCoach, b);
  room.begin(b);
  // The host's own person's intent reaches every other device without its id.
  const auto before = room.inbox(b).size();
  ASSERT_TRUE(room.local(make::confirm()));
  ASSERT_GT(room.inbox(b).size(), before);
  EXPECT_EQ(last_change(room, b)->intent_id(), "");
  EXPECT_EQ(last_change(room, coach)->intent_id(), "");
  // Sam calls a pause with an id a careless client made from its own name.
  ASSERT_TRUE(room.submit(b, "sam-pause-1", make::pause())->has_intent_ack());
  ASSERT_EQ(room.core.state().phase(), v1::PHASE_PAUSED);
  const v1::Change* to_sam = last_change(room, b);
  const v1::Change* to_coach = last_change(room, coach);
  ASSERT_TRUE(to_sam && to_coach);
  EXPECT_EQ(to_sam->intent_id(), "sam-pause-1") << "the sender must be able to match its change";
  EXPECT_EQ(to_coach->intent_id(), "") << "the coach learnt whose intent paused the session";
  EXPECT_EQ(to_coach->seq(), to_sam->seq());
}

// --- The coach relay ---

TEST(HostCoreCoach, ACoachSeesAPartnersLevelOnlyWhenThatPartnerOptedIn) {
  Room room;
  const LinkId b = room.join_partner_b();
  const LinkId coach = room.join_coach(kCoach, b);
  ASSERT_TRUE(room.local(make::share_with_coach(true)));  // A shares; B doesn't (yet).

  room.send(b, sealed_from_b(room, b, 7));
  EXPECT_EQ(coach_levels(room, coach), 0) << "B's rating reached the coach without B's consent";

  v1::CoachLevel mine;
  mine.set_level(4);
  mine.set_at_ms(900);
  room.carry_out(room.core.local_level(mine, attune::test::test_random()));
  ASSERT_EQ(coach_levels(room, coach), 1);
  ASSERT_TRUE(coach_opens(room, coach));
  EXPECT_EQ(coach_opens(room, coach)->level(), 4u);
  EXPECT_EQ(coach_opens(room, coach)->partner(), v1::ROLE_PARTNER_A);

  ASSERT_TRUE(room.submit(b, make::share_with_coach(true))->has_intent_ack());
  room.send(b, sealed_from_b(room, b, 6));
  ASSERT_EQ(coach_levels(room, coach), 2);
  EXPECT_EQ(coach_opens(room, coach)->partner(), v1::ROLE_PARTNER_B);
  EXPECT_EQ(coach_opens(room, coach)->level(), 6u);
  room.send(b, sealed_from_b(room, b, 11));  // Not a rating: the coach refuses it.
  EXPECT_EQ(coach_opens(room, coach)->level(), 6u);
  EXPECT_EQ(coach_levels(room, b), 0) << "a partner saw a rating";
}

TEST(HostCoreCoach, ACoachNotYetLetInSeesNoLevels) {
  Room room;
  const LinkId b = room.join_partner_b();
  const LinkId coach = room.connect(kCoach);
  ASSERT_TRUE(room.submit(coach, make::join("Casey", v1::ROLE_COACH))->has_intent_ack());
  ASSERT_TRUE(room.local(make::admit(kCoach)));  // Only A so far.
  ASSERT_TRUE(room.local(make::share_with_coach(true)));
  v1::CoachLevel mine;
  mine.set_level(5);
  mine.set_at_ms(900);
  room.carry_out(room.core.local_level(mine, attune::test::test_random()));
  EXPECT_EQ(coach_levels(room, coach), 0);
  ASSERT_TRUE(room.submit(b, make::admit(kCoach))->has_intent_ack());
  room.carry_out(room.core.local_level(mine, attune::test::test_random()));
  EXPECT_EQ(coach_levels(room, coach), 1);
}

// Issue 15, item 9: the host passes B's rating on as a blob it cannot open,
// and never passes on a rating in a form it could read.
TEST(HostCoreCoach, TheHostRelaysBsRatingUnreadAndOnlyToTheCoachItIsSealedFor) {
  Room room;
  const LinkId b = room.join_partner_b();
  const LinkId coach = room.join_coach(kCoach, b);
  ASSERT_TRUE(room.submit(b, make::share_with_coach(true))->has_intent_ack());

  // Every view names the coach by the key it proved to the host.
  const State b_view = room.last_view(b);
  const auto* named = seat(b_view, kCoach);
  ASSERT_NE(named, nullptr);
  const auto coach_key = device_identity(kCoach).public_key();
  EXPECT_EQ(named->device_key(), std::string(coach_key.begin(), coach_key.end()));

  const v1::Envelope sent = sealed_from_b(room, b, 8);
  ASSERT_TRUE(sent.has_sealed_coach_level());
  room.send(b, sent);
  ASSERT_EQ(coach_levels(room, coach), 1);
  const auto& relayed = room.inbox(coach).back().sealed_coach_level();
  EXPECT_EQ(relayed.sealed(), sent.sealed_coach_level().sealed()) << "the host changed the blob";
  EXPECT_EQ(relayed.partner(), v1::ROLE_PARTNER_B);
  std::string why;
  EXPECT_FALSE(crypto::open_coach_record(device_identity(kHostId), crypto::ByteView(
      reinterpret_cast<const std::uint8_t*>(relayed.sealed().data()), relayed.sealed().size())))
      << "the host's own key opened B's rating";
  ASSERT_TRUE(coach_opens(room, coach));
  EXPECT_EQ(coach_opens(room, coach)->level(), 8u);

  // The same blob again (a replay) is relayed, and the coach shows it once.
  room.send(b, sent);
  crypto::CoachInbox inbox;
  int shown = 0;
  for (const auto& e : room.inbox(coach)) {
    if (e.has_sealed_coach_level() &&
        inbox.take(device_identity(kCoach), room.last_view(coach), e.sealed_coach_level(), why))
      ++shown;
  }
  EXPECT_EQ(shown, 1) << "a replayed rating showed twice";

  // A rating in clear is never passed on.
  v1::Envelope clear;
  clear.mutable_coach_level()->set_level(3);
  room.send(b, clear);
  for (const auto& e : room.inbox(coach)) EXPECT_FALSE(e.has_coach_level()) << "a rating travelled unsealed";
  EXPECT_EQ(coach_levels(room, b), 0) << "a partner saw a rating";
}

// --- Seats and the code ---

TEST(HostCoreSeats, TheCodeClosesWhenTheSeatsAreFull) {
  Room room;
  ASSERT_TRUE(room.code());
  const LinkId b = room.join_partner_b();
  room.join_coach(kCoach, b);
  EXPECT_TRUE(room.code()) << "closed while a coach seat was free";
  room.join_coach("device-coach-2", b);
  EXPECT_FALSE(room.code());
  ASSERT_FALSE(room.pairing_events.empty());
  EXPECT_EQ(room.pairing_events.back().kind, pairing::PolicyEventKind::SeatsFilled);
  Actions out;
  const auto refusal = room.core.open_new_code(room.now(), out);
  ASSERT_TRUE(refusal);
  EXPECT_TRUE(out.steps.empty());
}

TEST(HostCoreSeats, TheCodeExpiresAndTheHostCanMakeANewOne) {
  Room room;
  const auto first = room.code();
  ASSERT_TRUE(first);
  room.advance(10min);
  EXPECT_FALSE(room.code());
  EXPECT_EQ(room.pairing_events.back().kind, pairing::PolicyEventKind::CodeExpired);
  Actions out;
  EXPECT_FALSE(room.core.open_new_code(room.now(), out));
  room.carry_out(std::move(out));
  EXPECT_TRUE(room.code());
}

TEST(HostCoreSeats, NoNewCodeOnceTheSessionHasBegun) {
  Room room;
  room.begin(room.join_partner_b());
  Actions out;
  const auto refusal = room.core.open_new_code(room.now(), out);
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->find("already begun"), std::string::npos);
}

TEST(HostCoreSeats, AHandshakeThatNeverFinishesIsClosedAtItsDeadline) {
  Room room;
  auto opened = room.core.link_opened(99, "127.0.0.9", "a quiet stranger", room.now());
  room.carry_out(std::move(opened.actions));
  room.advance(14s);
  EXPECT_FALSE(room.closed(99));
  room.advance(2s);
  EXPECT_TRUE(room.closed(99));
}

// --- Hostile and clumsy devices ---

TEST(HostCoreLimits, ADeviceTappingTooFastIsAskedToWaitAndNothingIsKept) {
  DeviceLimitsConfig limits;
  limits.intent_burst = 3;
  limits.intent_every = 1000ms;
  Room room(std::nullopt, limits);
  const LinkId b = room.join_partner_b();  // Its join is the first of three.
  ASSERT_TRUE(room.submit(b, make::share_with_coach(true))->has_intent_ack());
  ASSERT_TRUE(room.submit(b, make::share_with_coach(false))->has_intent_ack());
  const std::size_t stored = room.changes.size();
  const auto fast = room.submit(b, "fast", make::share_with_coach(true));
  ASSERT_TRUE(fast->has_intent_refused());
  EXPECT_EQ(fast->intent_refused().refusal().message(), too_fast_message());
  // The wire tells "send it again later" apart from a final refusal (proto/README.md, "Refusals").
  EXPECT_EQ(fast->intent_refused().refusal().code(), v1::REFUSAL_CODE_TOO_FAST);
  EXPECT_EQ(room.changes.size(), stored);
  EXPECT_TRUE(room.refusals.empty());
  room.advance(1s);
  EXPECT_TRUE(room.submit(b, "fast", make::share_with_coach(true))->has_intent_ack());
  // The host's own user is never slowed down.
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(room.local(make::share_with_coach(i % 2 == 0)));
}

TEST(HostCoreLimits, ADeclinedDeviceIsLetGoAndCannotAskAgain) {
  Room room;
  const LinkId stranger = room.connect("device-x");
  ASSERT_TRUE(room.submit(stranger, make::join("Someone", v1::ROLE_PARTNER_B))->has_intent_ack());
  ASSERT_TRUE(room.local(make::decline("device-x")));
  EXPECT_TRUE(room.closed(stranger));
  EXPECT_EQ(room.declined, std::vector<std::string>{"device-x"});
  const LinkId back = room.connect("device-x");
  const auto answer = room.submit(back, make::join("Someone", v1::ROLE_PARTNER_B));
  ASSERT_TRUE(answer->has_intent_refused());
  EXPECT_EQ(answer->intent_refused().refusal().message(), declined_message());
  EXPECT_EQ(seat(room.host_view(), "device-x"), nullptr);
}

// --- A session started for one paired partner ("Start now", no code) ---

bool admitted_in(const State& view, const std::string& id) {
  const auto* p = seat(view, id);
  return p && p->admitted();
}

// Both devices paired with this host before: their keys are pinned.
void pin(Room& room, const std::vector<std::string>& devices) {
  pairing::PinnedKeys keys;
  for (const auto& id : devices) keys[id] = device_identity(id).public_key();
  room.core.set_pinned(keys);
}

TEST(HostCoreExpectedPartner, TheNamedPartnerIsLetInWithNoClickInOneStoredChange) {
  Room room(std::nullopt, {}, kB);
  pin(room, {kB, "device-x"});
  const LinkId b = room.connect(kB);  // Its pinned key, no code.
  const std::size_t before = room.changes.size();
  ASSERT_TRUE(room.submit(b, make::join("Blake", v1::ROLE_PARTNER_B))->has_intent_ack());
  EXPECT_TRUE(admitted_in(room.host_view(), kB)) << "Alex had to let the partner in by hand";
  EXPECT_TRUE(admitted_in(room.last_view(b), kB)) << "the partner's own screen still waits";
  ASSERT_EQ(room.changes.size(), before + 1);
  EXPECT_TRUE(admitted_in(room.changes.back().state, kB)) << "the yes was not stored with the join";
  room.begin(b);
  EXPECT_EQ(room.host_view().phase(), v1::PHASE_ACTIVE);
}

// The stored session already seats B, never let in (it joined when they
// paired): coming back on its pinned key lets it in.
TEST(HostCoreExpectedPartner, TheNamedPartnerSeatedInAResumedSessionIsLetInWhenItComesBack) {
  Room before;
  const LinkId first = before.connect(kB);
  ASSERT_TRUE(before.submit(first, make::join("Blake", v1::ROLE_PARTNER_B))->has_intent_ack());
  before.drop(first);
  before.advance(10s);
  ASSERT_FALSE(admitted_in(before.core.state(), kB));
  Room after(StoredHost{before.core.seq(), before.core.state(), {}, {}}, {}, kB);
  pin(after, {kB});
  const LinkId b = after.connect(kB);
  EXPECT_TRUE(admitted_in(after.host_view(), kB)) << "Alex had to let the returning partner in by hand";
  EXPECT_TRUE(admitted_in(after.last_view(b), kB));
  EXPECT_TRUE(admitted_in(after.changes.back().state, kB)) << "the yes was not stored";
}

TEST(HostCoreExpectedPartner, AnotherPinnedDeviceStillWaitsForLetIn) {
  Room room(std::nullopt, {}, kB);
  pin(room, {kB, "device-x"});
  const LinkId other = room.connect("device-x");
  ASSERT_TRUE(room.submit(other, make::join("Someone", v1::ROLE_PARTNER_B))->has_intent_ack());
  EXPECT_FALSE(admitted_in(room.host_view(), "device-x"));
  EXPECT_TRUE(room.local(make::admit("device-x"))) << "the host can still let it in by hand";
  EXPECT_TRUE(admitted_in(room.host_view(), "device-x"));
}

TEST(HostCoreExpectedPartner, ACodeHandshakeOrACoachIsNotLetInByItself) {
  Room room(std::nullopt, {}, kB);  // B is not pinned: it pairs with the code.
  const LinkId b = room.connect(kB);
  ASSERT_TRUE(room.submit(b, make::join("Blake", v1::ROLE_PARTNER_B))->has_intent_ack());
  EXPECT_FALSE(admitted_in(room.host_view(), kB)) << "only a pinned handshake proves the partner";
  EXPECT_TRUE(room.local(make::admit(kB)));
  const LinkId coach = room.connect(kCoach);
  ASSERT_TRUE(room.submit(coach, make::join("Casey", v1::ROLE_COACH))->has_intent_ack());
  EXPECT_FALSE(admitted_in(room.host_view(), kCoach)) << "a coach is let in by both partners, by hand";
}

// Without a named partner, nothing changes: the pinned partner waits for "Let in".
TEST(HostCoreExpectedPartner, AnOrdinarySessionLetsNobodyInByItself) {
  Room room;
  pin(room, {kB});
  const LinkId b = room.connect(kB);
  ASSERT_TRUE(room.submit(b, make::join("Blake", v1::ROLE_PARTNER_B))->has_intent_ack());
  EXPECT_FALSE(admitted_in(room.host_view(), kB));
}

TEST(HostCoreLimits, AMessageBeforeHelloEndsThatLinkOnly) {
  Room room;
  const LinkId b = room.join_partner_b();
  auto opened = room.core.link_opened(50, "127.0.0.5", "a rude device", room.now());
  room.carry_out(std::move(opened.actions));
  v1::Envelope early;
  early.mutable_coach_level()->set_level(3);
  room.send(50, early);
  EXPECT_TRUE(room.closed(50));
  ASSERT_FALSE(room.inbox(50).empty());
  EXPECT_EQ(room.inbox(50).back().error().code(), v1::ERROR_CODE_PROTOCOL);
  EXPECT_FALSE(room.closed(b));
  EXPECT_TRUE(connected_in(room.host_view(), kB));
}

}  // namespace
}  // namespace attune::host::test
