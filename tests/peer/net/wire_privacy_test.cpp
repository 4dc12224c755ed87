// The privacy promise on the real wire: a joiner reaches the host through a
// relay that records every byte in both directions. The recording must hold
// no names, no session name, no device ids, no pairing code, and no
// activation numbers shared with a coach: only handshake material and
// sealed frames. Then a whole session, lobby to gesture, with every link
// through such a relay: no written words, names, code or activation number
// is readable on the wire, and a number reaches the coach only when that
// partner opted in.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "attune/v1/session.pb.h"
#include "attune/v1/wire.pb.h"
#include "peer_cluster.hpp"
#include "peer_process.hpp"
#include "session_script.hpp"
#include "recording_relay.hpp"

namespace attune::test {
namespace {

using namespace std::chrono_literals;
constexpr auto kWait = 20s;

std::string started_device_id(PeerProcess& p) {
  const auto started = p.wait_for([](const Json& j) { return j.value("event", "") == "started"; }, kWait);
  return started ? started->value("device_id", "") : "";
}

TEST(WirePrivacy, ARecordingRelaySeesNoSessionContent) {
  TempDir dir;
  PeerProcess host(
      "host", ATTUNE_BINARY,
      {"--headless", "--data-dir", (dir.path() / "a").string(), "host", "--name", "Alexandrina", "--role",
       "partner-a", "--bind", "127.0.0.1", "--port", "0", "--session-name", "Sunday evening repair"},
      dir.path() / "a.stderr");
  const auto listening =
      host.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait);
  ASSERT_TRUE(listening) << host.tail();
  const auto code_line =
      host.wait_for([](const Json& j) { return j.value("event", "") == "pairing_code"; }, kWait);
  ASSERT_TRUE(code_line) << host.tail();
  const std::string code = (*code_line)["code"];

  RecordingRelay relay((*listening)["port"].get<uint16_t>());
  ASSERT_TRUE(relay.ok());
  PeerProcess partner("partner B", ATTUNE_BINARY,
                      {"--headless", "--data-dir", (dir.path() / "b").string(), "join",
                       "127.0.0.1:" + std::to_string(relay.port()), "--name", "Bartholomew", "--role",
                       "partner-b", "--code", code},
                      dir.path() / "b.stderr");
  const std::string host_id = started_device_id(host);
  const std::string partner_id = started_device_id(partner);
  ASSERT_FALSE(host_id.empty());
  ASSERT_FALSE(partner_id.empty());

  // B joins and is let in; then B opts in to show ratings to a coach and
  // checks in with a number (which must stay on B's device).
  ASSERT_TRUE(host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait))
      << host.tail() << partner.tail();
  host.send("admit partner-b");
  ASSERT_TRUE(partner.wait_state(
      [](const Json& s, uint64_t) {
        for (const auto& p : s["participants"]) {
          if (p.value("role", "") == "ROLE_PARTNER_B" && p.value("admitted", false)) return true;
        }
        return false;
      },
      kWait))
      << partner.tail();
  partner.send("share-with-coach on");
  ASSERT_TRUE(host.wait_state(
      [](const Json& s, uint64_t) {
        for (const auto& p : s["participants"]) {
          if (p.value("shares_with_coach", false)) return true;
        }
        return false;
      },
      kWait))
      << host.tail();

  // The name did travel (the relay is the only way between the two)...
  const auto host_view = host.latest_state();
  ASSERT_TRUE(host_view);
  EXPECT_NE(host_view->dump().find("Bartholomew"), std::string::npos);
  // ...but never in a form the relay could read.
  const std::string wire = relay.recorded();
  ASSERT_GT(wire.size(), 500u) << "the relay should have carried the whole exchange";
  for (const std::string& secret : {std::string("Alexandrina"), std::string("Bartholomew"),
                                    std::string("Sunday evening repair"), code, host_id, partner_id}) {
    EXPECT_EQ(wire.find(secret), std::string::npos) << "'" << secret << "' crossed the wire in clear";
  }
}

// The private journal never leaves its device: notes written on both
// devices before and during a session are nowhere in what the relay carried,
// nor anywhere in the other device's data folder, while each device's own
// folder does hold them (so the search would find them if they were there).
int journal(const std::filesystem::path& data_dir, const std::filesystem::path& log,
            const std::vector<std::string>& args) {
  std::vector<std::string> all{"--headless", "--data-dir", data_dir.string(), "journal"};
  all.insert(all.end(), args.begin(), args.end());
  PeerProcess run("journal", ATTUNE_BINARY, all, log);
  return run.wait_exit(kWait).value_or(-1);
}

std::string folder_bytes(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return all;
}

TEST(WirePrivacy, TheJournalNeverLeavesItsDevice) {
  TempDir dir;
  const auto a = dir.path() / "a", b = dir.path() / "b";
  const std::vector<std::string> words_a = {"the quince jam argument on the night ferry", "cardamom"};
  const std::vector<std::string> words_b = {"my silence after the lighthouse postcard", "tamarind"};
  ASSERT_EQ(journal(a, dir.path() / "ja.log", {"add", "--what", words_a[0], "--under", "fear"}), 0);
  ASSERT_EQ(journal(b, dir.path() / "jb.log", {"add", "--what", words_b[0], "--size", "big"}), 0);

  PeerProcess host("host", ATTUNE_BINARY,
                   {"--headless", "--data-dir", a.string(), "host", "--name", "Alex", "--role", "partner-a",
                    "--bind", "127.0.0.1", "--port", "0"},
                   dir.path() / "a.stderr");
  const auto listening = host.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait);
  const auto code_line = host.wait_for([](const Json& j) { return j.value("event", "") == "pairing_code"; }, kWait);
  ASSERT_TRUE(listening && code_line) << host.tail();
  RecordingRelay relay((*listening)["port"].get<uint16_t>());
  ASSERT_TRUE(relay.ok());
  PeerProcess partner("partner B", ATTUNE_BINARY,
                      {"--headless", "--data-dir", b.string(), "join", "127.0.0.1:" + std::to_string(relay.port()),
                       "--name", "Sam", "--role", "partner-b", "--code", (*code_line)["code"].get<std::string>()},
                      dir.path() / "b.stderr");
  ASSERT_TRUE(host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait))
      << host.tail() << partner.tail();
  host.send("admit partner-b");
  // While the session runs, each device writes in its journal, marks one repaired, and reads it back.
  ASSERT_EQ(journal(a, dir.path() / "ja.log", {"add", "--what", "during: " + words_a[1]}), 0);
  ASSERT_EQ(journal(b, dir.path() / "jb.log", {"add", "--what", "during: " + words_b[1]}), 0);
  ASSERT_EQ(journal(b, dir.path() / "jb.log", {"repaired", "1", "--talked-through"}), 0);
  ASSERT_EQ(journal(a, dir.path() / "ja.log", {"list"}), 0);
  ASSERT_TRUE(host.wait_state(
      [](const Json& s, uint64_t) {
        for (const auto& p : s["participants"])
          if (p.value("role", "") == "ROLE_PARTNER_B" && p.value("admitted", false)) return true;
        return false;
      },
      kWait))
      << host.tail();
  const std::size_t before = partner.line_count();
  partner.send("ready");  // Something B sends, so the relay carries both ways after the notes.
  EXPECT_TRUE(partner.wait_for([](const Json& j) { return j.value("event", "") == "ack"; }, kWait, before))
      << partner.tail();
  partner.send("quit");
  host.send("quit");
  EXPECT_TRUE(partner.wait_exit(kWait));
  EXPECT_TRUE(host.wait_exit(kWait));

  const std::string wire = relay.recorded();
  ASSERT_GT(wire.size(), 500u) << "the relay should have carried the session";
  const std::string in_a = folder_bytes(a), in_b = folder_bytes(b);
  for (const auto& w : words_a) {
    EXPECT_NE(in_a.find(w), std::string::npos) << "A's own journal should hold '" << w << "'";
    EXPECT_EQ(wire.find(w), std::string::npos) << "'" << w << "' from A's journal crossed the wire";
    EXPECT_EQ(in_b.find(w), std::string::npos) << "'" << w << "' from A's journal is in B's data folder";
  }
  for (const auto& w : words_b) {
    EXPECT_NE(in_b.find(w), std::string::npos) << "B's own journal should hold '" << w << "'";
    EXPECT_EQ(wire.find(w), std::string::npos) << "'" << w << "' from B's journal crossed the wire";
    EXPECT_EQ(in_a.find(w), std::string::npos) << "'" << w << "' from B's journal is in A's data folder";
  }
}

// Everything the partners type during the full session: distinctive enough
// that finding one in the recording cannot be chance.
const std::vector<std::string>& typed_words() {
  static const std::vector<std::string> words = {
      "I felt invisible when the marmalade jar went unmentioned",
      "You felt unseen about the marmalade, and that makes sense",
      "I felt lonely on the Thursday tram ride home",
      "You were lonely on that Thursday tram",
      "When I feel cornered I hum and go quiet in the pantry",
      "When I am unsure I reorganise the bookshelf instead of talking",
      "I still care about you, pinecone; I am not leaving",
      "I am here and I choose us, lighthouse",
      "a slow waltz around the kitchen table",
  };
  return words;
}

// Activation levels, one per gate (nine gates), all at or below the
// threshold of 9 so the session never pauses; each partner's own sequence.
constexpr std::array<int, 9> kLevelsA = {7, 5, 8, 6, 9, 4, 7, 8, 6};
constexpr std::array<int, 9> kLevelsB = {8, 6, 9, 5, 7, 3, 9, 4, 6};

// Every link of the cluster goes through its own recording relay.
struct Relays {
  std::map<Who, std::unique_ptr<RecordingRelay>> by_who;
  uint16_t route(Who who, uint16_t host_port) {
    auto& relay = by_who[who];
    relay = std::make_unique<RecordingRelay>(host_port);
    EXPECT_TRUE(relay->ok());
    return relay->port();
  }
};

std::string started_id(PeerProcess& p) {
  for (const auto& line : p.lines()) {
    if (line.value("event", "") == "started") return line.value("device_id", "");
  }
  return started_device_id(p);
}

// Walks the nine steps. `opted_in` is who said yes to sharing numbers with
// the coach (before the first check-in).
void walk_nine_steps(PeerCluster& c, std::optional<Who> opted_in) {
  const auto& w = typed_words();
  // Stops at the first failure, so a broken build fails fast.
  auto act = [&c](Who who, const std::string& command) {
    if (!::testing::Test::HasFailure()) c.act(who, command);
  };
  std::size_t gate_index = 0;
  auto gate = [&] {
    act(Who::A, "checkin " + std::to_string(kLevelsA[gate_index]));
    act(Who::B, "checkin " + std::to_string(kLevelsB[gate_index]));
    ++gate_index;
    const auto state = c.state();
    EXPECT_EQ(state["phase"], "PHASE_ACTIVE") << "gate " << gate_index << " should open";
  };
  act(Who::A, "admit partner-b");
  act(Who::A, "admit coach");
  act(Who::B, "admit coach");
  act(Who::B, "settings threshold=9 long-break-at=10");
  if (opted_in) act(*opted_in, "share-with-coach on");
  if (opted_in == Who::B) c.match_coach(Who::B);  // B joined: it compares the coach's check number first.
  act(Who::A, "ready");
  act(Who::B, "ready");
  // 1. Name it; 2. gauge.
  act(Who::A, "confirm");
  act(Who::B, "confirm");
  gate();
  // 3. Benefit of the doubt.
  act(Who::A, "confirm");
  act(Who::B, "confirm");
  gate();
  // 4. Who goes first.
  act(Who::A, "offer-first");
  act(Who::B, "accept-first");
  gate();
  // 5 and 6, A speaks first.
  act(Who::A, "write " + w[0]);
  act(Who::A, "pass-floor");
  gate();
  act(Who::B, "write " + w[1]);
  act(Who::B, "ask-more");
  act(Who::A, "nothing-more");
  act(Who::B, "validated");
  act(Who::B, "finish-reflection");
  act(Who::A, "heard");
  gate();
  // 5 and 6 again, roles swapped.
  act(Who::B, "write " + w[2]);
  act(Who::B, "pass-floor");
  gate();
  act(Who::A, "write " + w[3]);
  act(Who::A, "ask-more");
  act(Who::B, "nothing-more");
  act(Who::A, "validated");
  act(Who::A, "finish-reflection");
  act(Who::B, "heard");
  gate();
  // 7. Own your pattern, in turn.
  act(Who::A, "write " + w[4]);
  act(Who::A, "pass-floor");
  act(Who::B, "write " + w[5]);
  act(Who::B, "pass-floor");
  gate();
  // 8. Reassure, in turn.
  act(Who::A, "write " + w[6]);
  act(Who::A, "pass-floor");
  act(Who::B, "write " + w[7]);
  act(Who::B, "pass-floor");
  gate();
  // 9. Reconnect.
  act(Who::A, "propose-gesture " + w[8]);
  const auto gestures = c.state()["gestures"];
  ASSERT_EQ(gestures.size(), 1u);
  act(Who::B, "accept-gesture " + std::to_string(gestures[0].value("id", 0u)));
  EXPECT_EQ(gate_index, 9u);
}

// The ways this app could write a level in clear: its JSON (headless lines,
// protobuf's JSON) and the protobuf encoding of a CoachLevel, alone or in an
// Envelope, exactly as the coach saw it and as the partner sent it.
std::vector<std::string> level_encodings(int level) {
  std::vector<std::string> out;
  for (const char* key : {"\"level\":", "\"level\": "}) out.push_back(key + std::to_string(level));
  return out;
}

std::vector<std::string> coach_level_encodings(const Json& event) {
  std::vector<std::string> out;
  v1::CoachLevel level;
  level.set_level(event["level"].get<uint32_t>());
  level.set_at_ms(event["at_ms"].get<int64_t>());
  v1::Step step{};
  v1::Step_Parse(event["step"].get<std::string>(), &step);
  level.set_step(step);
  for (bool with_partner : {false, true}) {
    if (with_partner) {
      v1::Role role{};
      v1::Role_Parse(event["partner"].get<std::string>(), &role);
      level.set_partner(role);
    }
    out.push_back(level.SerializeAsString());
    v1::Envelope envelope;
    *envelope.mutable_coach_level() = level;
    out.push_back(envelope.SerializeAsString());
  }
  return out;
}

// A CoachLevel in an Envelope starts: tag 11 (0x5a), a short length, field 1
// (0x08) with the level, field 2 (0x10). Any such run is a level in clear.
bool has_clear_coach_level(const std::string& wire, int level) {
  for (std::size_t i = 0; i + 5 <= wire.size(); ++i) {
    if (wire[i] == '\x5a' && static_cast<unsigned char>(wire[i + 1]) < 40 && wire[i + 2] == '\x08' &&
        wire[i + 3] == static_cast<char>(level) && wire[i + 4] == '\x10') {
      return true;
    }
  }
  return false;
}

// Recursively: no key in the shared state holds a number called a level.
void expect_no_level_field(const Json& j, const std::string& where) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      EXPECT_TRUE(key == "long_break_at_level" || key.find("level") == std::string::npos)
          << where << " carries '" << key << "'";
      expect_no_level_field(value, where);
    }
  } else if (j.is_array()) {
    for (const auto& value : j) expect_no_level_field(value, where);
  }
}

std::vector<Json> events(PeerProcess& p, const std::string& name) {
  std::vector<Json> out;
  for (const auto& line : p.lines()) {
    if (line.value("event", "") == name) out.push_back(line);
  }
  return out;
}

// The sizes of the sealed frames in one recorded direction: transport frames
// are a 4-byte big-endian length and an Envelope; after the handshake each
// Envelope holds one sealed frame.
std::vector<std::size_t> sealed_frame_sizes(const std::string& stream) {
  std::vector<std::size_t> sizes;
  std::size_t at = 0;
  while (at + 4 <= stream.size()) {
    std::size_t len = 0;
    for (int i = 0; i < 4; ++i) len = (len << 8) | static_cast<unsigned char>(stream[at + i]);
    if (at + 4 + len > stream.size()) break;
    v1::Envelope envelope;
    if (envelope.ParseFromArray(stream.data() + at + 4, static_cast<int>(len)) && !envelope.sealed().empty())
      sizes.push_back(envelope.sealed().size());
    at += 4 + len;
  }
  return sizes;
}

// What an eavesdropper learns of a sealed frame is its bucket (proto/HANDSHAKE.md
// 6.1): the padded plaintext is one of these sizes, plus 12 header and 16 tag bytes.
bool is_bucket_size(std::size_t frame_size) {
  for (std::size_t b = 256; b <= 32768; b *= 2)
    if (frame_size == b + 28) return true;
  return frame_size == 65504 + 28;
}

// Runs a whole session through relays and checks the recordings and what
// each process received.
void full_session_through_relays(std::optional<Who> opted_in) {
  Relays relays;  // Outlives the cluster: the peers close first.
  ClusterOptions options;
  options.name_a = "Alexandrina Quill";
  options.name_b = "Bartholomew Vance";
  options.name_coach = "Cordelia Whitfield";
  options.route = [&relays](Who who, uint16_t port) { return relays.route(who, port); };
  PeerCluster cluster(ATTUNE_BINARY, options);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  walk_nine_steps(cluster, opted_in);
  const bool walked = !::testing::Test::HasFailure();
  // The coach only joins and listens: give it time for a heartbeat or two,
  // so every direction holds enough sealed frames to judge (a quick walk
  // can end within the coach's first second).
  const auto enough_by = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < enough_by) {
    const auto coach = relays.by_who.find(Who::Coach);
    if (coach == relays.by_who.end() || sealed_frame_sizes(coach->second->to_host()).size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // The recordings first: a leak is worth reporting even if it also broke
  // the session.
  // Strings that must never be readable on any link, either direction.
  std::vector<std::string> secrets = typed_words();
  for (const auto& name : {options.name_a, options.name_b, options.name_coach}) secrets.push_back(name);
  secrets.push_back("Alexandrina");
  secrets.push_back("Bartholomew");
  secrets.push_back("Cordelia");
  secrets.push_back("marmalade");
  secrets.push_back(cluster.code());
  for (Who who : {Who::A, Who::B, Who::Coach}) secrets.push_back(started_id(cluster.peer(who)));
  for (int level = 0; level <= 10; ++level) {
    for (const auto& encoded : level_encodings(level)) secrets.push_back(encoded);
  }
  const auto coach_levels = events(cluster.peer(Who::Coach), "coach_level");
  for (const auto& event : coach_levels) {
    for (const auto& encoded : coach_level_encodings(event)) secrets.push_back(encoded);
  }

  std::size_t total = 0;
  ASSERT_EQ(relays.by_who.size(), 2u) << "B and the coach each dial through a relay";
  for (const auto& [who, relay] : relays.by_who) {
    const auto up = relay->to_host();
    const auto down = relay->from_host();
    total += up.size() + down.size();
    // The coach only joins and listens; partner B sends every intent.
    EXPECT_GT(up.size(), who == Who::Coach ? 300u : 2000u)
        << who_name(who) << " -> host carried too little to be the session";
    EXPECT_GT(down.size(), 5000u) << "host -> " << who_name(who) << " carried too little to be the session";
    for (const auto* direction : {&up, &down}) {
      const auto label = who_name(who) + (direction == &up ? " -> host" : " <- host");
      const auto sizes = sealed_frame_sizes(*direction);
      EXPECT_GE(sizes.size(), 3u) << label << ": too few sealed frames to judge";
      std::set<std::size_t> distinct;
      for (const std::size_t size : sizes) {
        distinct.insert(size);
        EXPECT_TRUE(is_bucket_size(size))
            << label << ": a sealed frame of " << size << " bytes tells its message's exact length";
      }
      std::cout << "[ figures  ] " << label << ": " << sizes.size() << " sealed frames, " << distinct.size()
                << " distinct sizes\n";
      for (const auto& secret : secrets) {
        EXPECT_EQ(direction->find(secret), std::string::npos)
            << "'" << ::testing::PrintToString(secret) << "' crossed " << label << " in clear";
      }
      for (int level = 1; level <= 10; ++level) {
        EXPECT_FALSE(has_clear_coach_level(*direction, level))
            << "an activation number " << level << " crossed " << label << " in clear";
      }
    }
  }

  ASSERT_TRUE(walked) << "the session did not get through the nine steps";

  // The session really completed, with the words in it, on every device.
  const auto state = cluster.converge();
  EXPECT_EQ(state["step"], "STEP_COMPLETE");
  EXPECT_EQ(state["phase"], "PHASE_COMPLETE");
  ASSERT_EQ(state["rounds"].size(), 2u);
  EXPECT_EQ(state["rounds"][0]["share_text"], typed_words()[0]);
  EXPECT_EQ(state["rounds"][1]["reflection_text"], typed_words()[3]);
  ASSERT_EQ(state["gestures"].size(), 1u);
  EXPECT_EQ(state["gestures"][0]["text"], typed_words()[8]);
  const auto dumped = state.dump();
  EXPECT_NE(dumped.find(options.name_b), std::string::npos) << "names travelled (sealed)";
  EXPECT_NE(dumped.find(typed_words()[5]), std::string::npos) << "B's words reached everyone";

  // The shared state (what the host applied from every check-in) carries
  // only the above/below bit, never a number: the CheckIn intent has no
  // field that could hold one, and no state any device saw names a level.
  const auto* check_in = v1::CheckIn::descriptor();
  for (int i = 0; i < check_in->field_count(); ++i) {
    EXPECT_EQ(check_in->field(i)->type(), google::protobuf::FieldDescriptor::TYPE_BOOL)
        << "CheckIn." << check_in->field(i)->name() << " could carry a number";
  }
  for (Who who : {Who::A, Who::B, Who::Coach}) {
    for (const auto& line : events(cluster.peer(who), "state"))
      expect_no_level_field(line["state"], who_name(who));
  }

  // Numbers reach the coach only from the partner who opted in, all of
  // them, in order; the other partner's never arrive anywhere.
  std::vector<int> seen;
  for (const auto& event : coach_levels) {
    EXPECT_EQ(event["partner"], "ROLE_PARTNER_B") << "only partner B opted in";
    if (event["partner"] == "ROLE_PARTNER_B") seen.push_back(event["level"].get<int>());
  }
  if (opted_in == Who::B) {
    EXPECT_EQ(seen, std::vector<int>(kLevelsB.begin(), kLevelsB.end())) << "every one of B's numbers";
  } else {
    EXPECT_TRUE(coach_levels.empty()) << "nobody opted in, so the coach must receive no number";
  }
  for (Who who : {Who::A, Who::B}) {
    EXPECT_TRUE(events(cluster.peer(who), "coach_level").empty()) << who_name(who) << " received a number";
  }
  // Nor did a partner who did not opt in send one to the host: the host says
  // on stderr whenever it drops such a rating.
  std::ifstream host_log(cluster.root() / "a.stderr");
  const std::string host_err((std::istreambuf_iterator<char>(host_log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(host_err.find("dropped a rating"), std::string::npos)
      << "a partner who did not opt in sent a number to the host:\n"
      << host_err;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::cout << "[ figures  ] full session through relays: " << total << " bytes recorded on 2 links in "
            << ms.count() << " ms\n";
}

TEST(WirePrivacy, AFullSessionThroughRelaysShowsNoWordsNamesOrNumbers) {
  full_session_through_relays(std::nullopt);
}

TEST(WirePrivacy, AnOptedInNumberReachesTheCoachSealedAndTheOtherPartnersNever) {
  full_session_through_relays(Who::B);
}

// What a partner prepared alone stays on their device until they send it:
// made with `attune prepare` while the session runs, it is offered on B's
// own screen (draft_offered) at step 3 and at B's share; nothing of it is in
// the host's state, the other folders or the wire until B types use-draft,
// and then the share, and only the share, reaches the session.
int prepare_cli(const std::filesystem::path& data_dir, const std::filesystem::path& log,
                const std::vector<std::string>& args) {
  std::vector<std::string> all{"--headless", "--data-dir", data_dir.string(), "prepare"};
  all.insert(all.end(), args.begin(), args.end());
  PeerProcess run("prepare", ATTUNE_BINARY, all, log);
  return run.wait_exit(kWait).value_or(-1);
}

std::optional<Json> offered(PeerProcess& p, const std::string& part) {
  for (const auto& line : p.lines())
    if (line.value("event", "") == "draft_offered" && line.value("part", "") == part) return line;
  return std::nullopt;
}

TEST(WirePrivacy, APreparedDraftIsOfferedInALaterSessionAndTravelsOnlyWhenSent) {
  Relays relays;
  ClusterOptions options;
  options.route = [&relays](Who who, uint16_t port) { return relays.route(who, port); };
  PeerCluster cluster(ATTUNE_BINARY, options);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  const auto a = cluster.root() / "a", b = cluster.root() / "b", coach = cluster.root() / "coach";
  const std::string generous = "maybe the saffron deadline had them rattled";
  const std::string share = "I felt alone when the harbour plans changed without me";
  const std::string own = "when I feel left out I polish the kettle and go quiet";
  const std::string gesture = "a slow walk to the juniper bench";
  ASSERT_EQ(prepare_cli(b, cluster.root() / "prepare.log",
                        {"add", "--what", "the quince lighthouse evening", "--generous", generous, "--share", share,
                         "--own-part", own, "--gesture", gesture}),
            0);
  // The walk to B's share (the coach picks B to go first). At step 3 B
  // types use-draft: the generous reading is only shown again, never sent.
  bool tried_generous = false;
  for (const auto& line : nine_steps({.coach_picks_first = true})) {
    if (line.command.rfind("write", 0) == 0) break;
    if (!tried_generous && cluster.state().value("step", "") == "STEP_BENEFIT" && line.who == Who::B) {
      tried_generous = true;
      PeerProcess& b_peer = cluster.peer(Who::B);
      const std::size_t from = b_peer.line_count();
      b_peer.send("use-draft");
      const auto kept = b_peer.wait_for(
          [](const Json& j) { return j.value("event", "") == "error" && j.value("input", "") == "use-draft"; }, kWait,
          from);
      ASSERT_TRUE(kept) << b_peer.tail();
      EXPECT_NE(kept->value("message", "").find("stays on this device"), std::string::npos) << kept->dump();
      const auto seen = b_peer.lines();
      for (std::size_t i = from; i < seen.size(); ++i) EXPECT_NE(seen[i].value("event", ""), "submitted") << seen[i].dump();
    }
    cluster.act(line.who, expand(line.command, cluster.state()));
    check_after(line, cluster.state());
    ASSERT_FALSE(::testing::Test::HasFailure()) << "stopped at '" << line.command << "'";
  }
  PeerProcess& partner = cluster.peer(Who::B);
  ASSERT_TRUE(partner.wait_for(
      [](const Json& j) { return j.value("event", "") == "draft_offered" && j.value("part", "") == "share"; },
      kWait))
      << partner.tail();
  EXPECT_TRUE(tried_generous) << "the walk never reached B at step 3";
  const auto benefit = offered(partner, "generous");
  ASSERT_TRUE(benefit) << "step 3 offers the generous reading";
  EXPECT_EQ(benefit->value("text", ""), generous);
  EXPECT_EQ(benefit->value("step", ""), "STEP_BENEFIT");
  EXPECT_EQ(offered(partner, "share")->value("text", ""), share);
  EXPECT_FALSE(offered(cluster.peer(Who::A), "share")) << "A prepared nothing";
  // B writes something else first: the host answers B's intents in order,
  // so had the offer sent anything, the host would have shown it by now.
  const std::string own_words = "my own words, typed fresh";
  cluster.act(Who::B, "write " + own_words);
  EXPECT_EQ(cluster.state()["rounds"][0].value("share_text", ""), own_words);
  for (Who who : {Who::A, Who::Coach})
    for (const auto& line : cluster.peer(who).lines())
      EXPECT_EQ(line.dump().find(share), std::string::npos) << who_name(who) << " saw the draft unsent: " << line.dump();
  EXPECT_EQ(folder_bytes(a).find(share), std::string::npos) << "the draft reached A's folder unsent";

  cluster.act(Who::B, "use-draft");
  EXPECT_EQ(cluster.state()["rounds"][0].value("share_text", ""), share) << "use-draft sends the share as it is";
  for (Who who : {Who::A, Who::Coach}) {
    const auto lines = cluster.peer(who).lines();
    EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [&](const Json& j) { return j.dump().find(share) != std::string::npos; }))
        << "sent, so shown to " << who_name(who);
  }
  partner.send("quit");
  cluster.peer(Who::Coach).send("quit");
  cluster.peer(Who::A).send("quit");
  for (Who who : {Who::B, Who::Coach, Who::A}) EXPECT_TRUE(cluster.peer(who).wait_exit(kWait));

  std::string wire;
  for (const auto& [who, relay] : relays.by_who) wire += relay->recorded();
  ASSERT_GT(wire.size(), 500u);
  const std::string in_a = folder_bytes(a), in_b = folder_bytes(b), in_coach = folder_bytes(coach);
  for (const std::string& unsent : {generous, own, gesture, std::string("the quince lighthouse evening")}) {
    EXPECT_NE(in_b.find(unsent), std::string::npos) << "B's own folder should hold '" << unsent << "'";
    EXPECT_EQ(wire.find(unsent), std::string::npos) << "'" << unsent << "' crossed the wire";
    EXPECT_EQ(in_a.find(unsent), std::string::npos) << "'" << unsent << "' is in A's folder, never sent";
    EXPECT_EQ(in_coach.find(unsent), std::string::npos) << "'" << unsent << "' is in the coach's folder";
  }
  EXPECT_EQ(wire.find(share), std::string::npos) << "even sent, the share is sealed on the wire";
}

}  // namespace
}  // namespace attune::test
