// Repair invitations between two real `attune` processes on loopback that
// paired once in a session (so no code is needed after that):
//  - one sends an invitation while the other isn't running; the other comes
//    up later, receives it exactly once, and they agree a time;
//  - SIGKILL at each point of the exchange (the sender's postbox before the
//    partner is up, the receiver before it stored a letter, after it stored
//    it but before its ack, the inviter after it stored the answer) loses
//    nothing and doubles nothing;
//  - a relay that records every byte on the way sees none of the
//    invitation's words, the day, the names or the ids.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "invite_partners.hpp"
#include "peer_process.hpp"
#include "recording_relay.hpp"

namespace attune::test {
namespace {

// A paired with B (partner to partner) and with Casey's coach device. The
// pins keep who sat where: A's invitation goes to B without --to, Casey's
// device can't be chosen, and Casey's device can't send one either.
TEST(InviteProcess, WithACoachPairedTooTheInvitationGoesToThePartnerAndNeverToTheCoach) {
  Partners pp;
  const fs::path coach = pp.dir.path() / "casey";
  ASSERT_NO_FATAL_FAILURE(pp.pair(coach));
  const Json sent = pp.invite(pp.a, {"send", "--day", "Sunday", "--now", "--name", "Alex"});
  ASSERT_EQ(sent.value("event", ""), "invitation_sent") << sent.dump();
  EXPECT_EQ(sent["invitation"]["partner_device_id"], pp.id_b);

  std::string coach_id;
  const auto pins = nlohmann::json::parse(std::ifstream(pp.a / "identity" / "pinned_peers.json"));
  for (const auto& peer : pins["peers"])
    if (peer.value("role", "") == "coach") coach_id = peer["device_id"];
  ASSERT_FALSE(coach_id.empty()) << pins.dump();
  const auto refused = [&](const fs::path& data, std::vector<std::string> args) {
    std::vector<std::string> all{"--headless", "--data-dir", data.string(), "invite",
                                 "send",       "--day",      "Sunday",      "--now"};
    all.insert(all.end(), args.begin(), args.end());
    PeerProcess p("refused", ATTUNE_BINARY, all, pp.dir.path() / "refused.stderr");
    EXPECT_NE(p.wait_exit(kWait), 0) << p.tail();
    return p.lines().empty() ? Json() : p.lines().front();
  };
  const Json to_coach = refused(pp.a, {"--to", coach_id});
  EXPECT_EQ(to_coach.value("event", ""), "invite_error") << to_coach.dump();
  EXPECT_NE(to_coach.value("message", "").find("coach's device"), std::string::npos) << to_coach.dump();
  const Json from_coach = refused(coach, {});
  EXPECT_EQ(from_coach.value("event", ""), "invite_error") << from_coach.dump();
  EXPECT_NE(from_coach.value("message", "").find("coach"), std::string::npos) << from_coach.dump();
  EXPECT_EQ(pp.list(coach).size(), 0u);
}

TEST(InviteProcess, APartnerWhoComesUpLaterGetsItOnceAndTheyAgreeATime) {
  Partners pp;
  ASSERT_NO_FATAL_FAILURE(pp.pair());
  const int64_t first = minute_from_now(24 * 60);
  const int64_t second = minute_from_now(48 * 60);
  const Json sent =
      pp.invite(pp.a, {"send", "--day", "Tuesday evening", "--at", utc_iso(first), "--at", utc_iso(second),
                       "--words", "I miss our walks by the plumtree", "--name", "Alex"});
  ASSERT_EQ(sent.value("event", ""), "invitation_sent") << sent.dump();
  const std::string id = sent["invitation"]["id"];

  // Only A's postbox runs; B's device is off.
  PeerProcess box_a("box-a", ATTUNE_BINARY, pp.serve_args(pp.a, 0), pp.dir.path() / "box-a.stderr");
  const uint16_t port_a = open_port(box_a);
  ASSERT_NE(port_a, 0);
  RecordingRelay relay(port_a);
  ASSERT_TRUE(relay.ok());

  // B comes up later and reaches A at its remembered address (through the relay).
  PeerProcess box_b("box-b", ATTUNE_BINARY,
                    pp.serve_args(pp.b, 0, "127.0.0.1:" + std::to_string(relay.port())),
                    pp.dir.path() / "box-b.stderr");
  const auto received = wait_event(box_b, "invitation_received");
  ASSERT_TRUE(received) << box_b.tail() << box_a.tail();
  const Json& inv = (*received)["invitation"];
  EXPECT_EQ(inv["id"], id);
  EXPECT_EQ(inv["sentence"],
            "I'd like to come back to what happened on Tuesday evening. Are you open to it?");
  EXPECT_EQ(inv["words"], "I miss our walks by the plumtree");
  EXPECT_EQ(inv["partner_name"], "Alex");
  EXPECT_EQ(inv["offers"].size(), 2u);
  ASSERT_TRUE(wait_event(box_a, "letter_delivered")) << box_a.tail();

  // B picks the second time, naming the invitation by the 8 characters the
  // text list shows; both devices agree on that UTC moment.
  const Json answered = pp.invite(pp.b, {"answer", id.substr(0, 8), "--pick", "2", "--name", "Blake"});
  ASSERT_EQ(answered.value("event", ""), "invitation_answer_sent") << answered.dump();
  const auto agreed = wait_event(box_a, "invitation_agreed");
  ASSERT_TRUE(agreed) << box_a.tail() << box_b.tail();
  EXPECT_EQ((*agreed)["at"]["utc_ms"].get<int64_t>(), second);
  EXPECT_EQ((*agreed)["partner_name"], "Blake");
  EXPECT_EQ((*agreed)["partner_device_id"], pp.id_b);
  ASSERT_TRUE(wait_event(box_b, "letter_delivered")) << box_b.tail();

  for (const auto& data : {pp.a, pp.b}) {
    const auto appointments = pp.invite(data, {"agreed"})["appointments"];
    ASSERT_EQ(appointments.size(), 1u) << appointments.dump();
    EXPECT_EQ(appointments[0]["at"]["utc_ms"].get<int64_t>(), second);
  }
  EXPECT_EQ(count_events(box_b, "invitation_received"), 1);
  EXPECT_EQ(count_events(box_a, "invitation_answered"), 1);

  // The agreed time becomes each device's reminder: listed before it comes,
  // due once when it comes, and not again.
  for (const auto& data : {pp.a, pp.b}) {
    const auto before = pp.run(data, "reminder", {"list", "--now-ms", std::to_string(second - 60'000)});
    ASSERT_EQ(before.size(), 1u);
    ASSERT_EQ(before[0]["reminders"].size(), 1u) << before[0].dump();
    EXPECT_EQ(before[0]["reminders"][0]["id"], id);
    EXPECT_EQ(before[0]["reminders"][0]["at_utc_ms"].get<int64_t>(), second);
    EXPECT_EQ(before[0]["reminders"][0]["partner_name"], data == pp.a ? "Blake" : "Alex");
    const auto at_time = pp.run(data, "reminder", {"list", "--now-ms", std::to_string(second + 1'000)});
    ASSERT_EQ(at_time.size(), 2u) << (at_time.empty() ? "" : at_time[0].dump());
    EXPECT_EQ(at_time[1].value("event", ""), "reminder_due");
    EXPECT_EQ(at_time[1]["reminder"]["id"], id);
    EXPECT_EQ(pp.run(data, "reminder", {"list", "--now-ms", std::to_string(second + 2'000)}).size(), 1u);
  }

  // The wire carried none of it readably.
  const std::string wire = relay.recorded();
  EXPECT_GT(wire.size(), 200u);
  for (const std::string& secret : {std::string("plumtree"), std::string("Tuesday"), std::string("Alex"),
                                    std::string("Blake"), id, pp.id_a, pp.id_b})
    EXPECT_EQ(wire.find(secret), std::string::npos) << secret << " is readable on the wire";
}

TEST(InviteProcess, KillingEitherAtAnyPointLosesNothingAndDoublesNothing) {
  Partners pp;
  ASSERT_NO_FATAL_FAILURE(pp.pair());
  const int64_t at = minute_from_now(3 * 60);
  const Json sent = pp.invite(pp.a, {"send", "--day", "Sunday", "--at", utc_iso(at), "--now"});
  const std::string id = sent["invitation"]["id"];

  // The inviter's postbox dies before the partner is ever up; the letter waits.
  PeerProcess box_a("box-a", ATTUNE_BINARY, pp.serve_args(pp.a, 0), pp.dir.path() / "box-a.stderr");
  const uint16_t port_a = open_port(box_a);
  box_a.kill_hard();
  box_a.set_args(pp.serve_args(pp.a, port_a));
  box_a.restart();
  const std::string a_address = "127.0.0.1:" + std::to_string(port_a);

  // The receiver dies as the letter arrives, before storing it: nothing kept.
  auto b_args = pp.serve_args(pp.b, 0, a_address);
  auto crashing = b_args;
  crashing.insert(crashing.end(), {"--crash-at", "before_keep"});
  PeerProcess box_b("box-b", ATTUNE_BINARY, crashing, pp.dir.path() / "box-b.stderr");
  ASSERT_TRUE(box_b.wait_exit(kWait)) << box_b.tail();
  EXPECT_EQ(pp.list(pp.b).size(), 0u);

  // Then after storing it, before the ack: kept once.
  crashing.back() = "after_keep";
  box_b.set_args(crashing);
  box_b.restart();
  ASSERT_TRUE(box_b.wait_exit(kWait)) << box_b.tail();
  ASSERT_EQ(pp.list(pp.b).size(), 1u);

  // The answer is written while B's postbox is down. The inviter's postbox
  // is started again to die once it has stored the answer, before its ack.
  ASSERT_EQ(pp.invite(pp.b, {"answer", id, "--pick", "1"}).value("event", ""), "invitation_answer_sent");
  box_a.kill_hard();
  auto a_crashing = pp.serve_args(pp.a, port_a);
  a_crashing.insert(a_crashing.end(), {"--crash-at", "after_keep"});
  box_a.set_args(a_crashing);
  box_a.restart();
  box_b.set_args(b_args);
  box_b.restart();
  ASSERT_TRUE(box_a.wait_exit(kWait)) << box_a.tail() << box_b.tail();
  ASSERT_EQ(pp.list(pp.a).at(0)["status"], "agreed");

  // Both up for good: each resends what wasn't acknowledged; the other
  // already has it and only acknowledges. Every letter is delivered.
  const std::size_t b_from = box_b.line_count();
  box_a.set_args(pp.serve_args(pp.a, port_a));
  box_a.restart();
  ASSERT_TRUE(wait_event(box_b, "letter_delivered", b_from)) << box_b.tail() << box_a.tail();
  ASSERT_TRUE(box_a.wait_for([](const Json& j) { return j.value("event", "") == "letter_delivered"; }, kWait))
      << box_a.tail();

  for (const auto& data : {pp.a, pp.b}) {
    const Json all = pp.list(data);
    ASSERT_EQ(all.size(), 1u) << all.dump();
    EXPECT_EQ(all[0]["status"], "agreed");
    EXPECT_EQ(all[0]["agreed"]["utc_ms"].get<int64_t>(), at);
  }
  EXPECT_LE(count_events(box_b, "invitation_received"), 1);
  EXPECT_LE(count_events(box_a, "invitation_answered"), 1);
  // A second copy was recognised as one already kept, never judged again
  // (which would have turned it away as a repeat).
  EXPECT_EQ(count_events(box_a, "letter_refused") + count_events(box_b, "letter_refused"), 0)
      << box_a.tail() << box_b.tail();
}

TEST(InviteProcess, OnTheSameNetworkThePartnerIsFoundByABeaconNobodyElseCanFollow) {
  Partners pp;
  pp.beacon_port = static_cast<uint16_t>(40000 + ::getpid() % 20000);
  ASSERT_NO_FATAL_FAILURE(pp.pair());
  BeaconObserver neighbour(pp.beacon_port);
  ASSERT_TRUE(neighbour.ok());
  const std::string id =
      pp.invite(pp.a, {"send", "--day", "Friday", "--now", "--name", "Alex"})["invitation"]["id"];
  PeerProcess box_a("box-a", ATTUNE_BINARY, pp.serve_args(pp.a, 0), pp.dir.path() / "box-a.stderr");
  ASSERT_NE(open_port(box_a), 0);
  // No address given: B finds A by A's beacon alone.
  PeerProcess box_b("box-b", ATTUNE_BINARY, pp.serve_args(pp.b, 0), pp.dir.path() / "box-b.stderr");
  const auto received = wait_event(box_b, "invitation_received");
  ASSERT_TRUE(received) << box_b.tail() << box_a.tail();
  EXPECT_EQ((*received)["invitation"]["id"], id);

  // What the neighbour heard: beacons from both, each one different, none
  // naming a device, a person or the invitation.
  const auto heard = neighbour.hear(4, 15s);
  ASSERT_GE(heard.size(), 4u);
  for (std::size_t i = 0; i < heard.size(); ++i) {
    for (std::size_t j = i + 1; j < heard.size(); ++j) EXPECT_NE(heard[i], heard[j]);
    for (const std::string& secret : {pp.id_a, pp.id_b, std::string("Alex"), std::string("Blake"), id})
      EXPECT_EQ(heard[i].find(secret), std::string::npos) << secret;
  }
}

// The headless host and joiner carry invitations for as long as they run,
// with no `attune invite serve`: A's letter (written while B is off) reaches
// B's `join` process, and B's answer reaches A's `host` process. A's postbox
// listens on the port its data folder remembers; when that one is taken it
// says so in a sentence and takes another, and carries on.
TEST(InviteProcess, TheHeadlessHostAndJoinerCarryInvitationsWithoutServe) {
  Partners pp;
  ASSERT_NO_FATAL_FAILURE(pp.pair());
  const int64_t at = minute_from_now(60);
  const Json sent = pp.invite(pp.a, {"send", "--day", "Sunday", "--at", utc_iso(at), "--name", "Alex"});
  ASSERT_EQ(sent.value("event", ""), "invitation_sent") << sent.dump();
  const std::string id = sent["invitation"]["id"];

  // Something else holds the port A's folder remembers.
  RecordingRelay squatter(1);  // Listens on a free port; never used.
  ASSERT_TRUE(squatter.ok());
  std::ofstream(pp.a / "postbox-port") << squatter.port() << "\n";
  PeerProcess host("host", ATTUNE_BINARY,
                   {"--headless", "--data-dir", pp.a.string(), "host", "--name", "Alex", "--bind",
                    "127.0.0.1", "--no-announce", "-v"},
                   pp.dir.path() / "host.stderr");
  // The headless peer prints only the letters' news; where it listens is in the log.
  const std::string said = "arrive on port ";
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (host.stderr_text().find(said) == std::string::npos && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  const std::string log = host.stderr_text();
  ASSERT_NE(log.find(said), std::string::npos) << log;
  const uint16_t port_a = static_cast<uint16_t>(std::stoi(log.substr(log.find(said) + said.size())));
  EXPECT_NE(port_a, squatter.port());
  EXPECT_NE(host.stderr_text().find("is busy"), std::string::npos) << host.stderr_text();
  const auto listening = wait_event(host, "listening");
  ASSERT_TRUE(listening) << host.tail();

  // B remembers A's postbox address once, then joins A's session: no serve.
  {
    PeerProcess remember("remember", ATTUNE_BINARY,
                         pp.serve_args(pp.b, 0, "127.0.0.1:" + std::to_string(port_a)),
                         pp.dir.path() / "remember.stderr");
    ASSERT_TRUE(wait_event(remember, "postbox_open")) << remember.tail();
  }
  PeerProcess join("join", ATTUNE_BINARY,
                   {"--headless", "--data-dir", pp.b.string(), "join",
                    "127.0.0.1:" + std::to_string((*listening)["port"].get<int>()), "--name", "Blake"},
                   pp.dir.path() / "join.stderr");
  const auto received = wait_event(join, "invitation_received");
  ASSERT_TRUE(received) << join.tail() << host.tail();
  EXPECT_EQ((*received)["invitation"]["id"], id);

  const Json answered = pp.invite(pp.b, {"answer", id, "--pick", "1", "--name", "Blake"});
  ASSERT_EQ(answered.value("event", ""), "invitation_answer_sent") << answered.dump();
  const auto agreed = wait_event(host, "invitation_agreed");
  ASSERT_TRUE(agreed) << host.tail() << join.tail();
  EXPECT_EQ((*agreed)["at"]["utc_ms"].get<int64_t>(), at);
  EXPECT_EQ(count_events(join, "invitation_received"), 1);
  EXPECT_EQ(count_events(host, "invitation_answered"), 1);
  EXPECT_EQ(count_events(host, "postbox_open"), 0) << "link news stays in the log";

  join.send("quit");
  host.send("quit");
  EXPECT_EQ(join.wait_exit(kWait), 0) << join.tail();
  EXPECT_EQ(host.wait_exit(kWait), 0) << host.tail();
}

// A's postbox, and B's dialing it at its address, until B reached A.
struct LinkedBoxes {
  explicit LinkedBoxes(Partners& pp) {
    a = std::make_unique<PeerProcess>("box-a", ATTUNE_BINARY, pp.serve_args(pp.a, 0),
                                      pp.dir.path() / "box-a.stderr");
    const uint16_t port_a = open_port(*a);
    b = std::make_unique<PeerProcess>("box-b", ATTUNE_BINARY,
                                      pp.serve_args(pp.b, 0, "127.0.0.1:" + std::to_string(port_a)),
                                      pp.dir.path() / "box-b.stderr");
    linked = port_a != 0 && wait_event(*b, "partner_reached").has_value();
  }
  std::unique_ptr<PeerProcess> a, b;
  bool linked = false;
};

// Two postboxes linked, B dialing A: when A's postbox stops (SIGTERM), it
// sends its close frame, and B reads the end as a goodbye, not a cut-off.
TEST(InviteProcess, APostboxThatStopsSaysGoodbyeAndThePartnerReadsItAsAGracefulClose) {
  Partners pp;
  ASSERT_NO_FATAL_FAILURE(pp.pair());
  LinkedBoxes boxes(pp);
  ASSERT_TRUE(boxes.linked) << boxes.b->tail() << boxes.a->tail();
  const auto from = boxes.b->line_count();
  boxes.a->signal(SIGTERM);
  EXPECT_EQ(boxes.a->wait_exit(kWait), 0) << boxes.a->tail();
  const auto away = wait_event(*boxes.b, "partner_away", from);
  ASSERT_TRUE(away) << boxes.b->tail();
  EXPECT_EQ((*away)["said_goodbye"], true) << away->dump();
}

// The pins are read again while the postbox runs: a partner forgotten
// meanwhile has its next letter turned away, and nothing is kept.
TEST(InviteProcess, APartnerForgottenWhileThePostboxRunsIsTurnedAway) {
  Partners pp;
  ASSERT_NO_FATAL_FAILURE(pp.pair());
  LinkedBoxes boxes(pp);
  ASSERT_TRUE(boxes.linked) << boxes.b->tail() << boxes.a->tail();
  PeerProcess& box_a = *boxes.a;
  PeerProcess& box_b = *boxes.b;

  pp.run(pp.a, "devices", {"forget", pp.id_b});
  const Json first = pp.invite(pp.b, {"send", "--day", "Sunday", "--now", "--name", "Blake"});
  ASSERT_EQ(first.value("event", ""), "invitation_sent") << first.dump();
  const auto refused = wait_event(box_b, "letter_refused");
  ASSERT_TRUE(refused) << box_b.tail() << box_a.tail();
  EXPECT_NE((*refused)["message"].get<std::string>().find("pairing"), std::string::npos) << refused->dump();
  EXPECT_EQ(count_events(box_a, "invitation_received"), 0) << box_a.tail();
  EXPECT_EQ(pp.list(pp.a).size(), 0u);
}

// B's device is reinstalled and paired with A again (a new key, a newer
// pin) while A's `invite serve` runs: A's postbox follows the pins to the
// new device on the same port, says so in one line, and carries letters both
// ways with no restart. A letter waiting for the old device stays waiting.
TEST(InviteProcess, ARunningServeThatPairsAgainCarriesLettersForTheNewPartner) {
  Partners pp;
  ASSERT_NO_FATAL_FAILURE(pp.pair());
  const Json for_old = pp.invite(pp.a, {"send", "--day", "Monday", "--now", "--name", "Alex"});
  ASSERT_EQ(for_old.value("event", ""), "invitation_sent") << for_old.dump();
  PeerProcess box_a("box-a", ATTUNE_BINARY, pp.serve_args(pp.a, 0), pp.dir.path() / "box-a.stderr");
  const uint16_t port_a = open_port(box_a);
  ASSERT_NE(port_a, 0);

  ASSERT_NO_FATAL_FAILURE(pp.pair({}, pp.c));
  const auto changed = box_a.wait_for(
      [&](const Json& j) {
        return j.value("event", "") == "postbox_partner_changed" &&
               j.value("partner_device_id", "") == pp.id_c;
      },
      kWait);
  ASSERT_TRUE(changed) << box_a.tail();
  EXPECT_NE((*changed)["message"].get<std::string>().find("now go to and come from"), std::string::npos)
      << changed->dump();
  const auto reopened = box_a.wait_for(
      [&](const Json& j) {
        return j.value("event", "") == "postbox_open" && j.value("partner_device_id", "") == pp.id_c;
      },
      kWait);
  ASSERT_TRUE(reopened) << box_a.tail();
  EXPECT_EQ((*reopened)["port"].get<uint16_t>(), port_a)
      << "the new partner's remembered address would be wrong";

  const Json sent = pp.invite(pp.a, {"send", "--to", pp.id_c, "--day", "Sunday", "--now", "--name", "Alex"});
  ASSERT_EQ(sent.value("event", ""), "invitation_sent") << sent.dump();
  const std::string id = sent["invitation"]["id"];
  PeerProcess box_c("box-c", ATTUNE_BINARY, pp.serve_args(pp.c, 0, "127.0.0.1:" + std::to_string(port_a)),
                    pp.dir.path() / "box-c.stderr");
  const auto received = wait_event(box_c, "invitation_received");
  ASSERT_TRUE(received) << box_c.tail() << box_a.tail();
  EXPECT_EQ((*received)["invitation"]["id"], id);
  ASSERT_EQ(pp.invite(pp.c, {"answer", id, "--now", "--name", "Blake"}).value("event", ""),
            "invitation_answer_sent");
  const auto agreed = wait_event(box_a, "invitation_agreed");
  ASSERT_TRUE(agreed) << box_a.tail() << box_c.tail();
  EXPECT_EQ((*agreed)["partner_device_id"], pp.id_c);
  EXPECT_EQ(count_events(box_c, "invitation_received"), 1) << "the old device's letter is not the new one's";

  // The letter for the old device was not lost in the switch: it still waits in A's store.
  const Json all = pp.list(pp.a);
  ASSERT_EQ(all.size(), 2u) << all.dump();
  bool old_waits = false;
  for (const auto& inv : all)
    old_waits = old_waits || (inv["id"] == for_old["invitation"]["id"] && inv["status"] == "waiting");
  EXPECT_TRUE(old_waits) << all.dump();
}

}  // namespace
}  // namespace attune::test
