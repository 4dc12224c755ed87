// The view model decides what each screen shows; these tests read it the way
// a person would read the screen.
#include "app/view_model.hpp"

#include <gtest/gtest.h>

namespace attune::app {
namespace {

v1::Participant* add(State& s, const std::string& id, const std::string& name, v1::Role role) {
  auto* p = s.add_participants();
  p->set_id(id);
  p->set_display_name(name);
  p->set_role(role);
  p->set_admitted(true);
  p->set_connected(true);
  return p;
}

// Alex (partner A) and Sam (partner B) in a running session.
State pair_state(v1::Step step, v1::Phase phase = v1::PHASE_ACTIVE) {
  State s;
  s.set_session_id("s1");
  s.set_session_name("Sunday talk");
  s.mutable_settings()->set_threshold(3);
  s.mutable_settings()->set_min_pause_seconds(120);
  add(s, "a", "Alex", v1::ROLE_PARTNER_A);
  add(s, "b", "Sam", v1::ROLE_PARTNER_B);
  s.set_step(step);
  s.set_phase(phase);
  return s;
}

NodeView as(const State& s, const std::string& id, v1::Role role, LinkState link = LinkState::Connected) {
  NodeView snap;
  snap.state = s;
  snap.my_id = id;
  snap.my_role = role;
  snap.link = link;
  return snap;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ScreenFor, FollowsTheSessionPhase) {
  NodeView empty;
  EXPECT_EQ(screen_for(empty), Screen::Start);
  empty.link = LinkState::Connecting;
  EXPECT_EQ(screen_for(empty), Screen::Waiting);
  // Welcomed, the session's first state not here yet: still reaching it.
  empty.link = LinkState::Connected;
  EXPECT_EQ(screen_for(empty), Screen::Waiting);
  empty.link = LinkState::Offline;
  EXPECT_EQ(screen_for(empty), Screen::Start);

  State lobby = pair_state(v1::STEP_LOBBY, v1::PHASE_LOBBY);
  EXPECT_EQ(screen_for(as(lobby, "a", v1::ROLE_PARTNER_A)), Screen::Lobby);
  lobby.mutable_participants(1)->set_admitted(false);
  EXPECT_EQ(screen_for(as(lobby, "b", v1::ROLE_PARTNER_B)), Screen::Waiting);

  EXPECT_EQ(screen_for(as(pair_state(v1::STEP_SHARE), "a", v1::ROLE_PARTNER_A)), Screen::Step);
  EXPECT_EQ(screen_for(as(pair_state(v1::STEP_SHARE, v1::PHASE_PAUSED), "a", v1::ROLE_PARTNER_A)),
            Screen::Pause);
  EXPECT_EQ(screen_for(as(pair_state(v1::STEP_SHARE, v1::PHASE_LONG_BREAK), "a", v1::ROLE_PARTNER_A)),
            Screen::LongBreak);
  EXPECT_EQ(screen_for(as(pair_state(v1::STEP_COMPLETE, v1::PHASE_COMPLETE), "a", v1::ROLE_PARTNER_A)),
            Screen::Summary);
  EXPECT_EQ(screen_for(as(pair_state(v1::STEP_BENEFIT, v1::PHASE_ENDED), "a", v1::ROLE_PARTNER_A)),
            Screen::Summary);

  State with_coach = pair_state(v1::STEP_SHARE, v1::PHASE_PAUSED);
  add(with_coach, "c", "Robin", v1::ROLE_COACH);
  EXPECT_EQ(screen_for(as(with_coach, "c", v1::ROLE_COACH)), Screen::Coach);
}

TEST(StepView, NameItAsksThenWaits) {
  State s = pair_state(v1::STEP_NAME_IT);
  StepView v = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_EQ(v.number, 1);
  EXPECT_EQ(v.title, "Name it");
  EXPECT_TRUE(v.actions.confirm);
  EXPECT_FALSE(v.asked_of_me.empty());
  EXPECT_TRUE(v.waiting_for.empty());
  EXPECT_EQ(v.floor.mine, FloorRole::None);

  s.set_done_a(true);
  v = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_FALSE(v.actions.confirm);
  EXPECT_TRUE(v.asked_of_me.empty());
  EXPECT_TRUE(contains(v.waiting_for, "Sam"));
  // Sam still has something to do.
  EXPECT_TRUE(step_view(as(s, "b", v1::ROLE_PARTNER_B)).actions.confirm);
}

TEST(StepView, ShareMakesTheFloorUnmistakable) {
  State s = pair_state(v1::STEP_SHARE);
  s.set_floor(v1::ROLE_PARTNER_B);
  s.add_rounds()->set_speaker(v1::ROLE_PARTNER_B);

  const StepView speaker = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  EXPECT_EQ(speaker.floor.mine, FloorRole::Speaking);
  EXPECT_TRUE(contains(speaker.floor.banner, "You have the floor"));
  EXPECT_TRUE(speaker.actions.pass_floor);
  EXPECT_TRUE(speaker.actions.write);
  EXPECT_TRUE(speaker.show_vocabulary);
  EXPECT_TRUE(speaker.check_hints);
  EXPECT_FALSE(speaker.stems.empty());

  const StepView listener = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_EQ(listener.floor.mine, FloorRole::Listening);
  EXPECT_TRUE(contains(listener.floor.banner, "Sam has the floor"));
  EXPECT_FALSE(listener.actions.pass_floor);
  EXPECT_FALSE(listener.actions.write);
  EXPECT_TRUE(contains(listener.waiting_for, "Sam"));
  EXPECT_TRUE(listener.actions.call_pause);  // The safety valve is never blocked.
}

TEST(StepView, ListenerSeesTheWrittenShare) {
  State s = pair_state(v1::STEP_SHARE);
  s.set_floor(v1::ROLE_PARTNER_A);
  s.add_rounds()->set_speaker(v1::ROLE_PARTNER_A);
  s.mutable_rounds(0)->set_share_text("I felt lonely at the party.");
  const StepView listener = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  EXPECT_EQ(listener.shared_text, "I felt lonely at the party.");
  EXPECT_TRUE(contains(listener.shared_text_label, "Alex"));
}

TEST(StepView, ReflectLoopAsksTheSpeakerOnlyAfterReflection) {
  State s = pair_state(v1::STEP_REFLECT);
  s.set_floor(v1::ROLE_PARTNER_B);  // Listener reflects.
  s.add_rounds()->set_speaker(v1::ROLE_PARTNER_A);

  StepView listener = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  StepView speaker = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_TRUE(listener.actions.ask_more) << "after the mirror comes \"Is there more?\"";
  EXPECT_FALSE(listener.actions.finish_reflection);
  EXPECT_EQ(listener.floor.mine, FloorRole::Speaking);
  EXPECT_TRUE(contains(listener.floor.banner, "reflect"));
  EXPECT_FALSE(speaker.actions.answer);
  EXPECT_EQ(speaker.floor.mine, FloorRole::Listening);

  s.mutable_rounds(0)->set_reflected(true);
  s.set_floor(v1::ROLE_PARTNER_A);  // The engine hands the floor back for the answer.
  listener = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  speaker = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_TRUE(speaker.actions.answer);
  EXPECT_EQ(speaker.floor.mine, FloorRole::Speaking);
  EXPECT_TRUE(contains(speaker.floor.banner, "whether it landed"));
  EXPECT_TRUE(contains(listener.floor.banner, "Alex is telling you"));
  EXPECT_FALSE(listener.actions.finish_reflection);
  EXPECT_TRUE(contains(listener.waiting_for, "Alex"));
}

TEST(StepView, WhoFirstOffersChoicesThenAcceptance) {
  State s = pair_state(v1::STEP_WHO_FIRST);
  StepView a = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_TRUE(a.actions.offer_first);
  EXPECT_TRUE(a.actions.request_draw);
  EXPECT_FALSE(a.actions.ask_coach);  // No coach here.

  s.mutable_who_first()->set_proposal(v1::FIRST_CHOICE_OFFER);
  s.mutable_who_first()->set_proposed_by(v1::ROLE_PARTNER_A);
  a = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  const StepView b = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  EXPECT_FALSE(a.actions.accept_first);
  EXPECT_TRUE(contains(a.waiting_for, "Sam"));
  EXPECT_TRUE(b.actions.accept_first);
  EXPECT_TRUE(contains(b.proposal, "Alex offered to go first"));
}

TEST(StepView, AtTheGateOnlyTheCheckInIsAsked) {
  State s = pair_state(v1::STEP_BENEFIT, v1::PHASE_CHECK_IN);
  s.mutable_gate()->set_target_step(v1::STEP_WHO_FIRST);
  StepView a = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_TRUE(a.actions.check_in);
  EXPECT_FALSE(a.actions.confirm);
  EXPECT_TRUE(a.actions.call_pause);

  s.mutable_gate()->set_checked_in_a(true);
  a = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_FALSE(a.actions.check_in);
  EXPECT_TRUE(contains(a.waiting_for, "Sam"));
}

TEST(GateView, ShowsNoNumbersAndNamesTheNextStep) {
  State s = pair_state(v1::STEP_BENEFIT, v1::PHASE_CHECK_IN);
  s.mutable_gate()->set_target_step(v1::STEP_WHO_FIRST);
  s.mutable_gate()->set_checked_in_b(true);
  const GateView a = gate_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_TRUE(a.open);
  EXPECT_TRUE(a.i_take_part);
  EXPECT_FALSE(a.i_checked_in);
  EXPECT_TRUE(a.other_checked_in);
  EXPECT_TRUE(contains(a.title, "Who goes first"));
  for (char digit = '0'; digit <= '9'; ++digit) EXPECT_EQ(a.status.find(digit), std::string::npos);

  State with_coach = s;
  add(with_coach, "c", "Robin", v1::ROLE_COACH);
  const GateView c = gate_view(as(with_coach, "c", v1::ROLE_COACH));
  EXPECT_FALSE(c.i_take_part);
  EXPECT_EQ(c.status, "One of two checked in.");
}

TEST(GateOutcome, SaysTheNextStepOpenedWithoutNamesOrNumbers) {
  const State next = pair_state(v1::STEP_WHO_FIRST);
  const auto line = gate_outcome(v1::PHASE_CHECK_IN, v1::STEP_BENEFIT, next);
  ASSERT_TRUE(line.has_value());
  EXPECT_TRUE(contains(*line, "Who goes first"));
  EXPECT_FALSE(contains(*line, "Alex"));
  EXPECT_FALSE(gate_outcome(v1::PHASE_ACTIVE, v1::STEP_BENEFIT, next).has_value());
  EXPECT_FALSE(
      gate_outcome(v1::PHASE_CHECK_IN, v1::STEP_BENEFIT, pair_state(v1::STEP_BENEFIT, v1::PHASE_PAUSED))
          .has_value());
}

TEST(PauseView, NamesNoOneAndCountsDown) {
  State s = pair_state(v1::STEP_SHARE, v1::PHASE_PAUSED);
  s.mutable_pause()->set_reason(v1::PAUSE_REASON_GATE);
  s.mutable_pause()->set_min_until_ms(200'000);
  const PauseView v = pause_view(as(s, "a", v1::ROLE_PARTNER_A), 100'000);
  EXPECT_EQ(v.seconds_left, 100);
  EXPECT_EQ(v.countdown, "1:40");
  EXPECT_FALSE(contains(v.message, "Alex"));
  EXPECT_FALSE(contains(v.message, "Sam"));
  EXPECT_TRUE(contains(v.message, "One of you"));
  EXPECT_TRUE(v.can_exit);
  EXPECT_TRUE(v.can_propose_long_break);

  const PauseView over = pause_view(as(s, "a", v1::ROLE_PARTNER_A), 250'000);
  EXPECT_EQ(over.seconds_left, 0);
  EXPECT_TRUE(over.countdown.empty());
}

TEST(PauseView, LongBreakProposalReachesTheOtherPartner) {
  State s = pair_state(v1::STEP_SHARE, v1::PHASE_PAUSED);
  s.mutable_pause()->set_reason(v1::PAUSE_REASON_CALLED);
  s.mutable_pause()->set_long_break_proposed_by(v1::ROLE_PARTNER_A);
  s.mutable_pause()->set_long_break_return_ms(3'600'000);
  EXPECT_FALSE(pause_view(as(s, "a", v1::ROLE_PARTNER_A), 0).can_accept_long_break);
  const PauseView b = pause_view(as(s, "b", v1::ROLE_PARTNER_B), 0);
  EXPECT_TRUE(b.can_accept_long_break);
  EXPECT_TRUE(contains(b.long_break_proposal, "Alex suggests"));
}

TEST(ConnectionView, IsHonestAboutTheLink) {
  State s = pair_state(v1::STEP_SHARE, v1::PHASE_PAUSED);
  s.mutable_pause()->set_reason(v1::PAUSE_REASON_CONNECTION);
  s.mutable_participants(1)->set_connected(false);
  const ConnectionView host = connection_view(as(s, "a", v1::ROLE_PARTNER_A, LinkState::Hosting));
  EXPECT_EQ(host.tone, ConnectionView::Tone::Notice);
  EXPECT_TRUE(contains(host.text, "Sam"));
  EXPECT_TRUE(host.paused_by_it);

  const ConnectionView away = connection_view(as(s, "b", v1::ROLE_PARTNER_B, LinkState::Reconnecting));
  EXPECT_EQ(away.tone, ConnectionView::Tone::Alert);
  EXPECT_EQ(away.text, "Reconnecting...");

  const ConnectionView fine = connection_view(as(pair_state(v1::STEP_SHARE), "b", v1::ROLE_PARTNER_B));
  EXPECT_EQ(fine.tone, ConnectionView::Tone::Calm);
  EXPECT_EQ(fine.text, "Connected");
}

TEST(LobbyView, CoachNeedsBothPartnersAndPrivacyIsSpelledOut) {
  State s = pair_state(v1::STEP_LOBBY, v1::PHASE_LOBBY);
  v1::Participant* coach = add(s, "c", "Robin", v1::ROLE_COACH);
  coach->set_admitted(false);
  coach->set_accepted_by_a(true);

  const LobbyView a = lobby_view(as(s, "a", v1::ROLE_PARTNER_A));
  const LobbyView b = lobby_view(as(s, "b", v1::ROLE_PARTNER_B));
  ASSERT_EQ(a.people.size(), 3u);
  EXPECT_FALSE(a.people[2].can_accept);  // Alex already accepted.
  EXPECT_TRUE(contains(a.people[2].status, "Sam"));
  EXPECT_TRUE(b.people[2].can_accept);
  EXPECT_TRUE(b.people[2].can_decline);
  EXPECT_TRUE(contains(a.start_status, "Let everyone in"));

  bool coach_line = false;
  for (const auto& line : a.who_sees_what) coach_line |= contains(line, "Robin (coach)");
  EXPECT_TRUE(coach_line);
  EXPECT_TRUE(contains(a.who_sees_what.front(), "stay on this device"));

  s.mutable_participants(0)->set_shares_with_coach(true);
  EXPECT_TRUE(
      contains(lobby_view(as(s, "a", v1::ROLE_PARTNER_A)).who_sees_what.front(), "compare the check number"));
}

// "Who sees what" says where Sam's shared numbers go as things stand: not
// to the coach before Sam has compared Robin's check number, nor after a
// "They don't match"; to Robin once they match. Alex hosts and paired with
// Robin's device itself, so for Alex they go to Robin with no comparison.
TEST(LobbyView, WhoSeesWhatFollowsTheCoachCheck) {
  State s = pair_state(v1::STEP_LOBBY, v1::PHASE_LOBBY);
  s.mutable_participants(0)->set_host(true);
  s.mutable_participants(0)->set_shares_with_coach(true);
  s.mutable_participants(1)->set_shares_with_coach(true);
  const auto first_line = [&s](const std::string& id, v1::Role role, std::optional<crypto::CoachTrust> trust) {
    NodeView snap = as(s, id, role);
    if (trust) snap.coach_checks.push_back(crypto::CoachCheck{"c", {}, "1234 5678 9012", *trust, ""});
    return lobby_view(snap).who_sees_what.front();
  };
  const std::string no_coach = first_line("b", v1::ROLE_PARTNER_B, std::nullopt);
  EXPECT_TRUE(contains(no_coach, "no coach is here")) << no_coach;
  EXPECT_TRUE(contains(no_coach, "stay on this device")) << no_coach;

  add(s, "c", "Robin", v1::ROLE_COACH);
  for (const auto& unchecked : {first_line("b", v1::ROLE_PARTNER_B, std::nullopt),
                                first_line("b", v1::ROLE_PARTNER_B, crypto::CoachTrust::Unchecked)}) {
    EXPECT_TRUE(contains(unchecked, "stay on this device until you and Robin compare")) << unchecked;
    EXPECT_FALSE(contains(unchecked, "go to Robin, and no one else")) << unchecked;
  }
  const std::string matched = first_line("b", v1::ROLE_PARTNER_B, crypto::CoachTrust::Matched);
  EXPECT_TRUE(contains(matched, "go to Robin, and no one else, once you both share")) << matched;
  const std::string declined = first_line("b", v1::ROLE_PARTNER_B, crypto::CoachTrust::Declined);
  EXPECT_TRUE(contains(declined, "didn't match")) << declined;
  EXPECT_TRUE(contains(declined, "stay on this device")) << declined;
  const std::string changed = first_line("b", v1::ROLE_PARTNER_B, crypto::CoachTrust::Changed);
  EXPECT_TRUE(contains(changed, "stay here")) << changed;
  const std::string host = first_line("a", v1::ROLE_PARTNER_A, std::nullopt);
  EXPECT_TRUE(contains(host, "go to Robin, and no one else")) << host;
  // Not sharing: nothing goes anywhere, whatever the check says.
  s.mutable_participants(1)->set_shares_with_coach(false);
  const std::string kept = first_line("b", v1::ROLE_PARTNER_B, crypto::CoachTrust::Matched);
  EXPECT_TRUE(contains(kept, "stay on this device")) << kept;
  // The coach is told its number is part of it, and that both partners are here.
  const LobbyView robin = lobby_view(as(s, "c", v1::ROLE_COACH));
  EXPECT_EQ(robin.start_status, "Waiting for the partners to be ready.");
  bool mentions_number = false;
  for (const auto& line : robin.who_sees_what) mentions_number |= contains(line, "check number");
  EXPECT_TRUE(mentions_number);
}

// "Start now" began this session for the paired partner (Sam's device,
// "b"): Alex hosts, and Sam's device comes in by itself.
State start_now_lobby(bool sam_asked, bool sam_in) {
  State s = pair_state(v1::STEP_LOBBY, v1::PHASE_LOBBY);
  s.mutable_participants(0)->set_host(true);
  if (!sam_asked) s.mutable_participants()->RemoveLast();
  if (sam_asked && !sam_in) s.mutable_participants(1)->set_admitted(false);
  return s;
}
const PartnerSession kSam{"b", "Sam"};

TEST(LobbyView, StartNowPartnerNotHereYetIsWaitedForByName) {
  const LobbyView v = lobby_view(as(start_now_lobby(false, false), "a", v1::ROLE_PARTNER_A), kSam);
  EXPECT_TRUE(v.start_now);
  EXPECT_EQ(v.partner_waiting, "Waiting for Sam. Their device comes in by itself when they tap Start now.");
  EXPECT_EQ(v.start_status, "Waiting for your partner to join.");
}

TEST(LobbyView, StartNowPartnerOnTheWayNeedsNoLetIn) {
  const LobbyView v = lobby_view(as(start_now_lobby(true, false), "a", v1::ROLE_PARTNER_A), kSam);
  ASSERT_EQ(v.people.size(), 2u);
  EXPECT_EQ(v.people[1].status, "On the way");
  EXPECT_FALSE(v.people[1].can_accept) << "Alex is asked to let in the partner who comes in by itself";
  EXPECT_FALSE(v.people[1].can_decline);
  EXPECT_EQ(v.start_status, "Waiting for Sam to come in.");
  EXPECT_FALSE(v.partner_waiting.empty());
}

TEST(LobbyView, StartNowSomeoneElseAskingIsStillLetInByHand) {
  State s = start_now_lobby(true, false);
  add(s, "c", "Robin", v1::ROLE_COACH)->set_admitted(false);
  const LobbyView v = lobby_view(as(s, "a", v1::ROLE_PARTNER_A), kSam);
  ASSERT_EQ(v.people.size(), 3u);
  EXPECT_EQ(v.people[1].status, "On the way");
  EXPECT_EQ(v.people[2].status, "Would like to join");
  EXPECT_TRUE(v.people[2].can_accept);
  EXPECT_EQ(v.start_status, "Let everyone in, or decline them, before you start.");
}

TEST(LobbyView, StartNowPartnerInIsTheUsualLobby) {
  const LobbyView v = lobby_view(as(start_now_lobby(true, true), "a", v1::ROLE_PARTNER_A), kSam);
  EXPECT_TRUE(v.start_now);
  EXPECT_TRUE(v.partner_waiting.empty()) << v.partner_waiting;
  EXPECT_EQ(v.people[1].status, "Getting ready");
  EXPECT_EQ(v.start_status, "When the settings look right, say you're ready.");
}

TEST(LobbyView, StartNowWithoutAPairedNameSaysYourPartner) {
  const LobbyView v = lobby_view(as(start_now_lobby(true, false), "a", v1::ROLE_PARTNER_A), {"b", ""});
  EXPECT_EQ(v.start_status, "Waiting for your partner to come in.");
  EXPECT_EQ(v.partner_waiting.rfind("Waiting for your partner. ", 0), 0u) << v.partner_waiting;
}

TEST(LobbyView, AnyOtherSessionLetsThePartnerInByHand) {
  const LobbyView v = lobby_view(as(start_now_lobby(true, false), "a", v1::ROLE_PARTNER_A));
  EXPECT_FALSE(v.start_now);
  EXPECT_TRUE(v.partner_waiting.empty());
  EXPECT_EQ(v.people[1].status, "Would like to join");
  EXPECT_TRUE(v.people[1].can_accept);
  EXPECT_EQ(v.start_status, "Let everyone in, or decline them, before you start.");
}

TEST(CoachView, ShowsNumbersOnlyWhenBothPartnersShare) {
  State s = pair_state(v1::STEP_BENEFIT, v1::PHASE_CHECK_IN);
  add(s, "c", "Robin", v1::ROLE_COACH);
  s.mutable_participants(0)->set_shares_with_coach(true);
  NodeView snap = as(s, "c", v1::ROLE_COACH);
  snap.coach_levels.push_back({v1::ROLE_PARTNER_A, PrivateCheckIn{4, 1000, v1::STEP_BENEFIT}});
  // Only Alex shares: a low number of Alex's next to a pause would say Sam
  // was above the line, so none shows, and the coach is told why.
  CoachView v = coach_view(snap, 5000);
  EXPECT_TRUE(v.levels.empty());
  EXPECT_TRUE(contains(v.levels_note, "Alex shares"));
  ASSERT_EQ(v.not_sharing.size(), 1u);
  EXPECT_EQ(v.not_sharing[0], "Sam");

  snap.state.mutable_participants(1)->set_shares_with_coach(true);
  snap.coach_levels.push_back({v1::ROLE_PARTNER_B, PrivateCheckIn{8, 1000, v1::STEP_BENEFIT}});
  v = coach_view(snap, 5000);
  ASSERT_EQ(v.levels.size(), 2u);
  EXPECT_EQ(v.levels[0].name, "Sam");
  EXPECT_EQ(v.levels[1].level, 4);
  EXPECT_TRUE(v.not_sharing.empty());
  EXPECT_TRUE(v.levels_note.empty());
  EXPECT_EQ(v.step_line, "Step 3 of 9: Benefit of the doubt");
  EXPECT_TRUE(v.can_call_pause);
}

TEST(SummaryView, ReportsStepsTimeAndPauses) {
  State s = pair_state(v1::STEP_COMPLETE, v1::PHASE_COMPLETE);
  s.set_started_ms(1'000'000);
  s.set_ended_ms(1'000'000 + 42 * 60'000);
  s.set_pauses_taken(2);
  NodeView snap = as(s, "a", v1::ROLE_PARTNER_A);
  snap.my_check_ins = {{2, 1'000'000, v1::STEP_GAUGE}, {5, 1'200'000, v1::STEP_SHARE}};
  const SummaryView v = summary_view(snap, 0);
  EXPECT_TRUE(v.completed);
  EXPECT_EQ(v.steps_reached, 9);
  EXPECT_EQ(v.duration, "42 min");
  EXPECT_EQ(v.pauses, 2u);
  EXPECT_EQ(v.timeline.size(), 2u);
}

TEST(Format, ClockAndDuration) {
  EXPECT_EQ(format_clock(0), "0:00");
  EXPECT_EQ(format_clock(65), "1:05");
  EXPECT_EQ(format_clock(3723), "1:02:03");
  EXPECT_EQ(format_duration(30'000), "under a minute");
  EXPECT_EQ(format_duration(65 * 60'000), "1 h 5 min");
  EXPECT_EQ(level_words(0), "Calm and clear");
  EXPECT_EQ(level_words(10), "Overwhelmed");
}

TEST(LongBreakView, NeverSaysCloseAttuneWhileTheSessionLivesOnlyInMemory) {
  NodeView snap;
  EXPECT_NE(long_break_view(snap, 0).message.find("You can close Attune"), std::string::npos);
  snap.storage_notice = "We can't save this session on this computer right now (the disk is full).";
  const auto message = long_break_view(snap, 0).message;
  EXPECT_EQ(message.find("You can close"), std::string::npos) << message;
  EXPECT_NE(message.find("keep Attune open"), std::string::npos) << message;
}

// Each partner says "We're back" for themselves; the one still away is told
// by name who came back, with no number, and the one back waits calmly.
TEST(LongBreakView, SaysWhoIsBackByName) {
  State s = pair_state(v1::STEP_SHARE, v1::PHASE_LONG_BREAK);
  add(s, "c", "Casey", v1::ROLE_COACH);
  s.mutable_pause()->set_back_a(true);
  const LongBreakView sam = long_break_view(as(s, "b", v1::ROLE_PARTNER_B), 0);
  EXPECT_EQ(sam.back_line, "Alex is back. Say so when you are.");
  EXPECT_TRUE(sam.can_return);
  const LongBreakView alex = long_break_view(as(s, "a", v1::ROLE_PARTNER_A), 0);
  EXPECT_TRUE(contains(alex.back_line, "Waiting for Sam")) << alex.back_line;
  EXPECT_FALSE(alex.can_return);
  const LongBreakView casey = long_break_view(as(s, "c", v1::ROLE_COACH), 0);
  EXPECT_EQ(casey.back_line, "Alex is back.");
  EXPECT_FALSE(casey.can_return);
  for (const auto& line : {sam.back_line, alex.back_line, casey.back_line})
    EXPECT_EQ(line.find_first_of("0123456789"), std::string::npos) << line;
}

TEST(StepView, DeeperListeningGuidesEachMoment) {
  State s = pair_state(v1::STEP_REFLECT);
  auto* r = s.add_rounds();
  r->set_speaker(v1::ROLE_PARTNER_A);
  r->set_share_text("I felt alone.");
  r->set_listening(v1::LISTEN_STAGE_MORE);
  s.set_floor(v1::ROLE_PARTNER_A);
  StepView alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  StepView sam = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  EXPECT_TRUE(alex.actions.answer_more);
  EXPECT_TRUE(contains(alex.floor.banner, "is there more"));
  EXPECT_FALSE(sam.actions.ask_more);
  EXPECT_TRUE(contains(sam.waiting_for, "whether there's more"));

  r->set_listening(v1::LISTEN_STAGE_ADDING);
  alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_TRUE(alex.actions.write && alex.actions.pass_floor);
  EXPECT_FALSE(alex.actions.answer_more);

  r->set_listening(v1::LISTEN_STAGE_VALIDATE);
  r->set_more_text("And forgotten.");
  s.set_floor(v1::ROLE_PARTNER_B);
  sam = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_TRUE(sam.actions.write_listening && sam.actions.finish_validation);
  EXPECT_FALSE(sam.actions.finish_reflection) << "empathy comes before \"I've reflected\"";
  EXPECT_TRUE(contains(sam.validation_prompt, "It makes sense to me that you"));
  EXPECT_TRUE(sam.empathy_prompt.empty()) << "one part at a time";
  EXPECT_TRUE(contains(sam.shared_text, "And forgotten.")) << "what was added is there to read";
  EXPECT_TRUE(contains(sam.floor.banner, "why it makes sense"));
  EXPECT_TRUE(contains(alex.floor.banner, "why it makes sense"));

  r->set_listening(v1::LISTEN_STAGE_EMPATHISE);
  sam = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_TRUE(sam.actions.write_listening && sam.actions.finish_reflection);
  EXPECT_FALSE(sam.actions.finish_validation);
  EXPECT_TRUE(sam.validation_prompt.empty());
  EXPECT_TRUE(contains(sam.empathy_prompt, "I imagine you might feel"));
  EXPECT_TRUE(contains(sam.floor.banner, "imagine how it felt"));
  EXPECT_TRUE(contains(alex.waiting_for, "Sam has the floor"));
  EXPECT_TRUE(contains(alex.floor.banner, "imagining how it felt"));

  r->set_reflection_text("You felt alone.");
  r->set_validation_text("It makes sense to me.");
  r->set_reflected(true);
  s.set_floor(v1::ROLE_PARTNER_A);
  alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_TRUE(alex.actions.answer);
  EXPECT_TRUE(contains(alex.shared_text, "It makes sense to me."));
}

// Each moment's guidance fits that moment, for both partners: nothing asks
// for what is already done, or is said to someone who is listening.
TEST(StepView, GuidanceMatchesTheMomentForBothPartners) {
  State s = pair_state(v1::STEP_REFLECT);
  auto* r = s.add_rounds();
  r->set_speaker(v1::ROLE_PARTNER_A);
  r->set_share_text("I felt alone.");
  r->set_listening(v1::LISTEN_STAGE_EMPATHISE);
  r->set_reflected(true);
  s.set_floor(v1::ROLE_PARTNER_A);
  const StepView asked = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  ASSERT_EQ(asked.asked_of_me, "Did that capture it?");
  EXPECT_FALSE(contains(asked.guidance, "Let Sam mirror")) << "Sam has mirrored already: " << asked.guidance;
  EXPECT_TRUE(contains(asked.guidance, "Sam has mirrored")) << asked.guidance;
  EXPECT_TRUE(contains(asked.guidance, "Not quite")) << asked.guidance;

  // Step 5's check-in, after Alex shared: Sam isn't listening any more.
  State gate = pair_state(v1::STEP_SHARE, v1::PHASE_CHECK_IN);
  gate.add_rounds()->set_speaker(v1::ROLE_PARTNER_A);
  gate.set_floor(v1::ROLE_UNSPECIFIED);
  const StepView sam_at_gate = step_view(as(gate, "b", v1::ROLE_PARTNER_B));
  EXPECT_FALSE(contains(sam_at_gate.guidance, "Just listen for now")) << sam_at_gate.guidance;
  EXPECT_TRUE(contains(sam_at_gate.guidance, "Alex has shared")) << sam_at_gate.guidance;
  gate.set_phase(v1::PHASE_ACTIVE);
  gate.set_floor(v1::ROLE_PARTNER_A);
  EXPECT_TRUE(contains(step_view(as(gate, "b", v1::ROLE_PARTNER_B)).guidance, "Just listen for now"));

  // Steps 7 and 8: Alex has the turn; Sam is told to listen, not to speak.
  for (const v1::Step step : {v1::STEP_OWN_PATTERN, v1::STEP_REASSURE}) {
    State turns = pair_state(step);
    turns.set_floor(v1::ROLE_PARTNER_A);
    const StepView alex = step_view(as(turns, "a", v1::ROLE_PARTNER_A));
    const StepView sam = step_view(as(turns, "b", v1::ROLE_PARTNER_B));
    EXPECT_TRUE(contains(sam.guidance, "Listen")) << sam.guidance;
    EXPECT_FALSE(contains(sam.guidance, "Tell Alex")) << sam.guidance;
    EXPECT_FALSE(contains(sam.guidance, "Name your part")) << sam.guidance;
    EXPECT_NE(alex.guidance, sam.guidance);
    auto* mine = step == v1::STEP_OWN_PATTERN ? turns.add_own_turns() : turns.add_reassure_turns();
    mine->set_partner(v1::ROLE_PARTNER_A);
    mine->set_done(true);
    auto* theirs = step == v1::STEP_OWN_PATTERN ? turns.add_own_turns() : turns.add_reassure_turns();
    theirs->set_partner(v1::ROLE_PARTNER_B);
    theirs->set_done(true);
    turns.set_floor(v1::ROLE_UNSPECIFIED);
    turns.set_phase(v1::PHASE_CHECK_IN);
    const std::string after = step_view(as(turns, "b", v1::ROLE_PARTNER_B)).guidance;
    EXPECT_TRUE(contains(after, "You've both")) << after;
  }
}

// The check-in says who sees my number as things stand: only me, unless
// both of us share with a coach whose check number matched.
TEST(GateView, SaysWhoSeesMyNumber) {
  State s = pair_state(v1::STEP_GAUGE, v1::PHASE_CHECK_IN);
  add(s, "c", "Robin", v1::ROLE_COACH);
  s.mutable_participants(0)->set_host(true);
  NodeView sam = as(s, "b", v1::ROLE_PARTNER_B);
  sam.coach_checks.push_back(crypto::CoachCheck{"c", {}, "1234 5678 9012", crypto::CoachTrust::Matched, ""});
  EXPECT_TRUE(contains(gate_view(sam).prompt, "Only you see your number")) << "nobody shares yet";

  s.mutable_participants(0)->set_shares_with_coach(true);
  s.mutable_participants(1)->set_shares_with_coach(true);
  sam.state = s;
  const std::string shared = gate_view(sam).prompt;
  EXPECT_FALSE(contains(shared, "Only you see")) << shared;
  EXPECT_TRUE(contains(shared, "goes to Robin")) << shared;
  EXPECT_TRUE(contains(shared, "Alex only sees that you've checked in")) << shared;
  EXPECT_FALSE(contains(step_view(sam).guidance, "stays on this device"));
  // Alex hosts and paired with Robin's device itself.
  EXPECT_TRUE(contains(gate_view(as(s, "a", v1::ROLE_PARTNER_A)).prompt, "goes to Robin"));

  sam.coach_checks.front().trust = crypto::CoachTrust::Unchecked;
  EXPECT_TRUE(contains(gate_view(sam).prompt, "Only you see your number")) << "not compared yet";
  EXPECT_TRUE(contains(step_view(sam).guidance, "stays on this device"));
}

// Step 9: a gesture reads as mine or theirs, and what it waits on.
TEST(StepView, AGestureSaysWhoseItIsAndWhatItWaitsOn) {
  State s = pair_state(v1::STEP_RECONNECT);
  auto* g = s.add_gestures();
  g->set_id(1);
  g->set_text("A long hug");
  g->set_proposed_by(v1::ROLE_PARTNER_B);
  g->set_accepted_by_b(true);
  const StepView sam = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  ASSERT_EQ(sam.gestures.size(), 1u);
  EXPECT_EQ(sam.gestures[0].status, "Your idea. Waiting for Alex's answer.");
  EXPECT_EQ(sam.asked_of_me, "Waiting for Alex's answer. You can offer another too.");
  const StepView alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_EQ(alex.gestures[0].status, "From Sam.");
  EXPECT_EQ(alex.asked_of_me, "Accept a gesture that feels right, or offer another.");
  g->set_accepted_by_a(true);
  EXPECT_EQ(step_view(as(s, "b", v1::ROLE_PARTNER_B)).gestures[0].status, "Your idea. You both said yes.");
  EXPECT_EQ(step_view(as(s, "a", v1::ROLE_PARTNER_A)).gestures[0].status, "From Sam. You both said yes.");
}

// How many of the screen's sentences say `what`.
int times_said(const StepView& v, const std::string& what) {
  int n = 0;
  for (const std::string* line : {&v.floor.banner, &v.decided, &v.guidance, &v.proposal, &v.asked_of_me,
                                  &v.waiting_for})
    n += contains(*line, what) ? 1 : 0;
  return n;
}

// While Sam (listening) mirrors, validates and imagines, Alex's screen says
// what Sam is doing once (the floor banner); the guidance says what Alex can
// do meanwhile, the waiting line who has the floor and what comes next.
TEST(StepView, TheSpeakerIsToldWhatTheListenerDoesOnce) {
  State s = pair_state(v1::STEP_REFLECT);
  auto* r = s.add_rounds();
  r->set_speaker(v1::ROLE_PARTNER_A);
  r->set_share_text("I felt alone.");
  s.set_floor(v1::ROLE_PARTNER_B);
  const std::vector<std::pair<v1::ListenStage, std::string>> stages = {
      {v1::LISTEN_STAGE_EMPATHISE, "imagining how it felt for you"},
      {v1::LISTEN_STAGE_VALIDATE, "why it makes sense"},
      {v1::LISTEN_STAGE_UNSPECIFIED, "reflecting what they heard"}};
  for (const auto& [stage, doing] : stages) {
    r->set_listening(stage);
    const StepView alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
    EXPECT_EQ(times_said(alex, doing), 1) << "\"" << doing << "\" in: " << alex.floor.banner << " | "
                                          << alex.guidance << " | " << alex.waiting_for;
    EXPECT_TRUE(contains(alex.floor.banner, doing)) << alex.floor.banner;
    EXPECT_TRUE(contains(alex.waiting_for, "Sam has the floor")) << alex.waiting_for;
    EXPECT_NE(alex.guidance, alex.waiting_for);
    EXPECT_FALSE(alex.guidance.empty());
    EXPECT_EQ(times_said(alex, "Sam is"), 1) << alex.guidance << " | " << alex.waiting_for;
  }
}

// Alex (A) and Sam (B) in a quick repair where Sam is reaching out.
State quick_state(v1::Step step, v1::Phase phase = v1::PHASE_ACTIVE) {
  State s = pair_state(step, phase);
  s.mutable_settings()->set_kind(v1::REPAIR_KIND_QUICK);
  s.mutable_settings()->set_repairer(v1::ROLE_PARTNER_B);
  return s;
}

TEST(QuickStepView, TheRepairerAcknowledgesAndTheOtherAnswersFeelSeen) {
  State s = quick_state(v1::STEP_ACKNOWLEDGE);
  s.set_floor(v1::ROLE_PARTNER_B);
  StepView sam = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  StepView alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_EQ(sam.number, 2);
  EXPECT_EQ(sam.total, 5);
  EXPECT_TRUE(sam.actions.write && sam.actions.pass_floor);
  EXPECT_TRUE(sam.check_hints);
  EXPECT_TRUE(contains(sam.floor.banner, "reaching out"));
  EXPECT_FALSE(alex.actions.answer) << "no answer before Sam has said it";
  EXPECT_TRUE(contains(alex.waiting_for, "Sam"));

  s.mutable_quick()->set_acknowledged(true);
  s.mutable_quick()->set_acknowledgment_text("I see that I hurt you.");
  s.set_floor(v1::ROLE_PARTNER_A);
  alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  sam = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  EXPECT_TRUE(alex.actions.answer);
  EXPECT_EQ(alex.answer_yes_label, "I feel seen");
  EXPECT_EQ(alex.answer_no_label, "Not quite");
  EXPECT_EQ(alex.shared_text, "I see that I hurt you.");
  EXPECT_FALSE(sam.actions.pass_floor);
  EXPECT_TRUE(contains(sam.waiting_for, "feel seen"));
}

TEST(QuickStepView, NotQuiteTellsTheRepairerGentlyToTryAgain) {
  State s = quick_state(v1::STEP_ACKNOWLEDGE);
  s.set_floor(v1::ROLE_PARTNER_B);
  s.mutable_quick()->set_not_quite(1);
  const StepView sam = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  EXPECT_TRUE(contains(sam.guidance, "try again"));
  EXPECT_TRUE(sam.actions.pass_floor);
}

TEST(QuickStepView, TheOthersPartIsOfferedWithASkip) {
  State s = quick_state(v1::STEP_OTHER_PART);
  s.set_floor(v1::ROLE_PARTNER_A);
  const StepView alex = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  const StepView sam = step_view(as(s, "b", v1::ROLE_PARTNER_B));
  EXPECT_TRUE(alex.actions.skip_part);
  EXPECT_FALSE(alex.skip_label.empty());
  EXPECT_TRUE(contains(alex.guidance, "never a must"));
  EXPECT_FALSE(sam.actions.skip_part);
  EXPECT_FALSE(sam.actions.write);
}

TEST(QuickStepView, EitherPartnerCanAskForTheWholeConversationButNotTheCoach) {
  State s = quick_state(v1::STEP_OWN_PART);
  s.set_floor(v1::ROLE_PARTNER_B);
  EXPECT_TRUE(step_view(as(s, "a", v1::ROLE_PARTNER_A)).actions.whole_conversation);
  EXPECT_TRUE(step_view(as(s, "b", v1::ROLE_PARTNER_B)).actions.whole_conversation);
  EXPECT_FALSE(step_view(as(s, "c", v1::ROLE_COACH)).actions.whole_conversation);
  s.set_phase(v1::PHASE_CHECK_IN);
  EXPECT_TRUE(step_view(as(s, "a", v1::ROLE_PARTNER_A)).actions.whole_conversation) << "at a gate too";
  s.mutable_quick()->set_escalated(true);
  s.set_step(v1::STEP_BENEFIT);
  s.set_phase(v1::PHASE_ACTIVE);
  const StepView after = step_view(as(s, "a", v1::ROLE_PARTNER_A));
  EXPECT_FALSE(after.actions.whole_conversation);
  EXPECT_EQ(after.number, 3);
  EXPECT_EQ(after.total, 9);
}

TEST(QuickStepView, TheLobbyCoachAndSummarySayWhichKind) {
  State s = quick_state(v1::STEP_LOBBY, v1::PHASE_LOBBY);
  EXPECT_TRUE(contains(lobby_view(as(s, "a", v1::ROLE_PARTNER_A)).kind_line, "Sam is reaching out"));
  EXPECT_TRUE(contains(lobby_view(as(s, "b", v1::ROLE_PARTNER_B)).kind_line, "You're reaching out"));
  s.set_step(v1::STEP_OWN_PART);
  s.set_phase(v1::PHASE_ACTIVE);
  EXPECT_EQ(coach_view(as(s, "c", v1::ROLE_COACH), 0).step_line, "Step 3 of 5: Own your part");
  s.mutable_quick()->set_own_text("I made a joke to cover my nerves.");
  EXPECT_EQ(coach_view(as(s, "c", v1::ROLE_COACH), 0).shared_text, "I made a joke to cover my nerves.");
  EXPECT_EQ(coach_view(as(s, "c", v1::ROLE_COACH), 0).shared_text_label, "Written by Sam");
  s.set_step(v1::STEP_COMPLETE);
  s.set_phase(v1::PHASE_COMPLETE);
  const SummaryView done = summary_view(as(s, "a", v1::ROLE_PARTNER_A), 0);
  EXPECT_EQ(done.steps_reached, 5);
  EXPECT_EQ(done.steps_total, 5);
  EXPECT_EQ(done.kind, "Quick repair");
  s.mutable_quick()->set_escalated(true);
  EXPECT_EQ(summary_view(as(s, "a", v1::ROLE_PARTNER_A), 0).kind, "Quick, then the whole conversation");
}

}  // namespace
}  // namespace attune::app
