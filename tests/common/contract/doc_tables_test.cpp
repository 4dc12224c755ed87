// Hand-written tables of the protocol documents, checked against the code
// (issue 15): the field limits, the coach record's size bound, the nearby
// tags, and the headless fatal reasons with their exit codes. A failure
// here means a document and the code disagree: fix whichever is wrong.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <limits>
#include <map>
#include <regex>
#include <set>

#include "attune/crypto/coach_seal.hpp"
#include "attune/crypto/bytes.hpp"
#include "attune/crypto/secure_channel.hpp"
#include "attune/discovery/invite_code.hpp"
#include "attune/discovery/nearby_label.hpp"
#include "attune/discovery/packet_codec.hpp"
#include "attune/engine.hpp"
#include "attune/intent_limits.hpp"
#include "attune/invite/ledger.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/v1/discovery.pb.h"
#include "attune/wire_codec.hpp"
#include "doc_section.hpp"
#include "test_random.hpp"

namespace attune::contract {
namespace {

const std::filesystem::path kProtoReadme = source_dir() / "proto" / "README.md";

std::vector<long long> numbers_in(std::string text) {
  text = std::regex_replace(text, std::regex("UTF-8"), "UTF");
  std::vector<long long> out;
  static const std::regex number("\\d+");
  for (std::sregex_iterator it(text.begin(), text.end(), number), end; it != end; ++it)
    out.push_back(std::stoll(it->str()));
  return out;
}

// Settings bounds are checked by behaviour: the document's ends are taken,
// one beyond each end is refused.
void expect_settings_range(const std::string& field, long long lo, long long hi,
                           void (v1::Settings::*set)(uint32_t)) {
  auto accepts = [&](long long value) {
    v1::Settings s = default_settings();
    if (field == "threshold") s.set_long_break_at_level(10);
    (s.*set)(static_cast<uint32_t>(value));
    return !check_settings(s).has_value();
  };
  EXPECT_TRUE(accepts(lo)) << field << " " << lo;
  EXPECT_TRUE(accepts(hi)) << field << " " << hi;
  EXPECT_FALSE(accepts(lo - 1)) << field << " " << lo - 1;
  EXPECT_FALSE(accepts(hi + 1)) << field << " " << hi + 1;
}

TEST(IntentLimitsDoc, EveryNumberInTheTableIsTheEngines) {
  const auto doc = read_contract(kProtoReadme, "intent-limits");
  ASSERT_TRUE(doc) << "proto/README.md lost its intent-limits table";
  // The numbers each row must state, in order, as the engine has them.
  const std::map<std::string, std::vector<long long>> expected = {
      {"`Join.display_name`", {1, static_cast<long long>(kMaxNameBytes)}},
      {"coaches", {kMaxCoaches}},
      {"`ProposeSettings.settings.long_break_at_level`", {1, 10}},
      {"`WriteText.text` (every step's text, `more_text`, the quick repair's parts)",
       {0, static_cast<long long>(kMaxTextBytes)}},
      {"`WriteListening.validation`, `.empathy`", {0, static_cast<long long>(kMaxTextBytes)}},
      {"`ProposeGesture.text`", {1, static_cast<long long>(kMaxGestureBytes)}},
      {"gestures", {kMaxGestures}},
      {"`ExtendPause.seconds`", {1, static_cast<long long>(kMaxExtendSeconds), 0}},
      {"`ProposeLongBreak.return_ms`", {kMaxLongBreakMs / 3'600'000}},
      {"a whole `Intent` (`SubmitIntent.intent`)", {static_cast<long long>(kMaxIntentBytes / 1024)}},
  };
  std::set<std::string> seen;
  for (const auto& row : markdown_rows(*doc)) {
    ASSERT_EQ(row.size(), 2u);
    seen.insert(row[0]);
    const auto numbers = numbers_in(row[1]);
    if (const auto it = expected.find(row[0]); it != expected.end()) {
      EXPECT_EQ(numbers, it->second) << row[0] << ": " << row[1];
    } else if (row[0] == "`ProposeSettings.settings.threshold`") {
      ASSERT_EQ(numbers.size(), 2u);
      expect_settings_range("threshold", numbers[0], numbers[1], &v1::Settings::set_threshold);
    } else if (row[0] == "`ProposeSettings.settings.min_pause_seconds`") {
      ASSERT_EQ(numbers.size(), 2u);
      expect_settings_range("min_pause_seconds", numbers[0], numbers[1], &v1::Settings::set_min_pause_seconds);
    } else if (row[0] == "`ProposeSettings.settings.long_break_seconds`") {
      ASSERT_EQ(numbers.size(), 2u);
      expect_settings_range("long_break_seconds", numbers[0], numbers[1], &v1::Settings::set_long_break_seconds);
    }
  }
  for (const auto& [field, numbers] : expected) EXPECT_TRUE(seen.count(field)) << "no row for " << field;
  EXPECT_TRUE(seen.count("`ProposeSettings.settings.threshold`"));
}

TEST(CoachRecordDoc, TheLargestRecordTheDocumentAllowsFitsOneBlock) {
  ASSERT_TRUE(crypto::init_crypto());
  // proto/README.md, "Ratings for the coach", 2: session id at most 40 bytes,
  // device ids at most 64, every number at its widest: 190 bytes serialized.
  v1::CoachLevelRecord record;
  record.set_session_id(std::string(40, 's'));
  record.set_partner_id(std::string(crypto::kMaxDeviceIdBytes, 'p'));
  record.set_coach_id(std::string(crypto::kMaxDeviceIdBytes, 'c'));
  record.set_level(10);
  record.set_at_ms(std::numeric_limits<int64_t>::max());
  record.set_step(v1::STEP_COMPLETE);
  EXPECT_EQ(record.ByteSizeLong(), 190u);
  const crypto::DeviceIdentity coach("dev-coach", crypto::Seed{});
  const auto blob = crypto::seal_coach_record(coach.public_key(), record, test::test_random());
  ASSERT_TRUE(blob) << "the largest record the document allows does not fit";
  EXPECT_EQ(blob->size(), crypto::kSealedCoachLevelBytes);
  EXPECT_EQ(crypto::kSealedCoachLevelBytes, 240u);
  // Two bytes more and it no longer fits one block: it is not sealed at all.
  record.set_session_id(std::string(42, 's'));
  EXPECT_FALSE(crypto::seal_coach_record(coach.public_key(), record, test::test_random()));
}

TEST(NearbyTagDoc, EveryTagInTheDocumentIsWhatNearbyTagGives) {
  std::string problem;
  const auto rows = contract_table(source_dir() / "proto" / "discovery.md", "nearby-tags", 2, 2, &problem);
  ASSERT_TRUE(rows) << problem;
  for (const auto& row : *rows) {
    EXPECT_EQ(discovery::nearby_tag(std::stoull(row[0], nullptr, 16)), row[1]) << row[0];
  }
}

TEST(BeaconBytesDoc, TheExampleBeaconIsWhatTheCodecSendsAndReads) {
  const auto doc = read_contract(source_dir() / "proto" / "discovery.md", "beacon-bytes");
  ASSERT_TRUE(doc) << "proto/discovery.md lost its beacon-bytes table";
  const auto rows = markdown_rows(*doc);
  ASSERT_EQ(rows.size(), 1u);
  const auto& row = rows[0];
  ASSERT_EQ(row.size(), 5u);
  v1::Beacon beacon;
  beacon.set_protocol_version(discovery::kDiscoveryVersion);
  beacon.set_port(static_cast<uint32_t>(std::stoul(row[0])));
  beacon.set_open_seats(static_cast<uint32_t>(std::stoul(row[1])));
  beacon.set_instance_id(std::stoull(row[2], nullptr, 16));
  beacon.set_interval_ms(static_cast<uint32_t>(std::stoul(row[3])));
  const std::string bytes = discovery::encode_beacon(beacon);
  EXPECT_EQ(crypto::to_hex(crypto::as_bytes(bytes)), row[4]);
  EXPECT_EQ(discovery::decode_packet(bytes).outcome, discovery::DecodeOutcome::Beacon);
}

// proto/HANDSHAKE.md section 2, which check comes first: a HandshakeMessage
// that doesn't parse makes its whole Envelope fail to parse (MALFORMED, not
// a refusal); only one that parses is held to the 1024-byte limit.
TEST(HandshakeParseDoc, ABrokenHandshakeBodyIsAnEnvelopeThatDoesNotParse) {
  const std::string doc = read_text(source_dir() / "proto" / "HANDSHAKE.md");
  EXPECT_NE(doc.find("`Envelope` fail to parse: that is clear `Error{ERROR_CODE_MALFORMED}`"), std::string::npos);
  EXPECT_NE(doc.find("longer than\n1024 bytes is a protocol error"), std::string::npos);
  EXPECT_EQ(pairing::kMaxHandshakeMessageBytes, 1024u);
  // Field 12 (handshake), 2 bytes long, holding a varint that never ends.
  const std::string payload = std::string("\x62\x02\xff\xff", 4);
  v1::Envelope envelope;
  const auto problem = decode_envelope(payload, envelope);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->error, WireError::Malformed);
}

// README.md's overview of the padding buckets names the code's exact ends.
TEST(PaddingDoc, TheOverviewNamesTheBucketsExactly) {
  const std::string readme = read_text(source_dir() / "README.md");
  const std::string stated = "buckets (" + std::to_string(crypto::kPadSmallestBucket) + " bytes, 512, 1024 and so on, " +
                             "doubling up to " + std::to_string(crypto::kPadLastPowerBucket) + ", then a last\none of " +
                             std::to_string(crypto::kPadLargestBucket) + " bytes";
  EXPECT_NE(readme.find(stated), std::string::npos) << stated;
}

// proto/INVITE.md, "Dialing again": the postbox's waits, as redial_delay_ms gives them.
TEST(RedialDoc, TheWaitsAreTheOnesTheDocumentNames) {
  const std::string doc = read_text(source_dir() / "proto" / "INVITE.md");
  EXPECT_NE(doc.find("`redial_delay_ms(count)` = 200 ms × 2^count, at most 2 s"), std::string::npos);
  EXPECT_NE(doc.find("the first redial after one failure waits 400 ms"), std::string::npos);
  EXPECT_NE(doc.find("redials after\n  200 ms (never at once)"), std::string::npos);
  EXPECT_EQ(invite::redial_delay_ms(0), 200);
  EXPECT_EQ(invite::redial_delay_ms(1), 400);
  EXPECT_EQ(invite::redial_delay_ms(3), 1600);
  EXPECT_EQ(invite::redial_delay_ms(4), 2000);
  EXPECT_EQ(invite::redial_delay_ms(60), 2000);
}

// An invite made by hand from an Invite message: its bytes, their CRC-32
// (zlib's, big-endian), base32 (proto/discovery.md, "Invite strings").
std::string invite_text(const v1::Invite& invite) {
  std::string payload = invite.SerializeAsString();
  uint32_t crc = 0xffffffffu;
  for (const unsigned char byte : payload) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  crc ^= 0xffffffffu;
  for (int shift = 24; shift >= 0; shift -= 8) payload.push_back(static_cast<char>((crc >> shift) & 0xff));
  return "attune:" + discovery::base32_encode(payload);
}

// proto/discovery.md, the order of the invite checks: the limits come before
// the six digits, so a 33-byte code holds more than Attune can use.
TEST(InviteChecksDoc, ACodeOverThirtyTwoBytesHoldsMoreThanAttuneCanUse) {
  using discovery::InviteError;
  v1::Invite invite;
  invite.add_addresses(std::string("\x0a\x4d\x00\x01", 4));
  invite.set_port(40023);
  invite.set_session_code("482913");
  ASSERT_EQ(discovery::parse_invite(invite_text(invite)).error, InviteError::None) << "the hand-made invite is wrong";
  invite.set_session_code(std::string(discovery::kMaxSessionCodeBytes + 1, '1'));
  EXPECT_EQ(discovery::parse_invite(invite_text(invite)).error, InviteError::TooMany);
  invite.set_session_code("4829130");
  EXPECT_EQ(discovery::parse_invite(invite_text(invite)).error, InviteError::BadCode);
  invite.set_port(0);  // (6) before (7).
  EXPECT_EQ(discovery::parse_invite(invite_text(invite)).error, InviteError::BadPort);
  invite.set_port(70000);  // (2) before the limits.
  invite.set_session_code(std::string(40, '1'));
  EXPECT_EQ(discovery::parse_invite(invite_text(invite)).error, InviteError::BadPort);
  discovery::InviteInfo info;
  info.addresses = {"10.77.0.1"};
  info.port = 40023;
  info.session_code = std::string(discovery::kMaxSessionCodeBytes + 1, '1');
  EXPECT_EQ(discovery::encode_invite(info).error, InviteError::TooMany);
  const std::string doc = read_text(source_dir() / "proto" / "discovery.md");
  EXPECT_NE(doc.find("So a 33-byte `session_code` is \"holds more than Attune can use\""), std::string::npos);
}

// The (reason, exit code) pairs the headless peer can print, read from its
// source: fatal_exit's table, fatal(out, ExitCode::X, "reason", ...) calls,
// and hand-made {"reason", "..."} lines with the ExitCode that follows them.
std::map<std::string, std::string> fatal_reasons_in_source() {
  std::map<std::string, std::string> out;
  const std::string printer = read_text(source_dir() / "peer" / "cli" / "event_printer.cpp");
  const std::string headless = read_text(source_dir() / "peer" / "cli" / "headless.cpp");
  static const std::regex table("\\{ExitCode::(\\w+), \"(\\w+)\"\\}");
  for (std::sregex_iterator it(printer.begin(), printer.end(), table), end; it != end; ++it)
    out[(*it)[2]] = (*it)[1];
  static const std::regex call("fatal\\(out, ExitCode::(\\w+), \"(\\w+)\"");
  for (std::sregex_iterator it(headless.begin(), headless.end(), call), end; it != end; ++it)
    out[(*it)[2]] = (*it)[1];
  static const std::regex line("\\{\"reason\", \"(\\w+)\"\\}");
  static const std::regex code("ExitCode::(\\w+)");
  for (std::sregex_iterator it(headless.begin(), headless.end(), line), end; it != end; ++it) {
    std::smatch next;
    const std::string rest = headless.substr(static_cast<std::size_t>(it->position() + it->length()));
    if (std::regex_search(rest, next, code)) out[(*it)[1]] = next[1];
  }
  return out;
}

std::map<std::string, std::string> exit_code_numbers() {
  std::map<std::string, std::string> out;
  const std::string header = read_text(source_dir() / "peer" / "cli" / "headless.hpp");
  static const std::regex entry("\\b(\\w+) = (\\d+),");
  for (std::sregex_iterator it(header.begin(), header.end(), entry), end; it != end; ++it) out[(*it)[1]] = (*it)[2];
  return out;
}

TEST(FatalExitDoc, EveryFatalReasonAndItsExitCodeAreWhatTheHeadlessPeerDoes) {
  const auto doc = read_contract(source_dir() / "README.md", "fatal-exit-codes");
  ASSERT_TRUE(doc) << "README.md lost its fatal-exit-codes table";
  const auto source = fatal_reasons_in_source();
  const auto numbers = exit_code_numbers();
  ASSERT_GE(source.size(), 8u) << "the headless source no longer reads as expected";
  std::set<std::string> documented;
  for (const auto& row : markdown_rows(*doc)) {
    ASSERT_EQ(row.size(), 3u);
    const std::string reason = row[0].substr(1, row[0].size() - 2);
    documented.insert(reason);
    const auto it = source.find(reason);
    if (it == source.end()) {
      ADD_FAILURE() << "README.md documents a fatal reason the code never prints: " << reason;
      continue;
    }
    EXPECT_EQ(numbers.at(it->second), row[1]) << reason << " exits with ExitCode::" << it->second;
  }
  for (const auto& [reason, code] : source)
    EXPECT_TRUE(documented.count(reason)) << "the code prints fatal reason " << reason << ", README.md doesn't say";
}

// `{"name", "fields", ...}` of each entry of `list_function` in a peer/cli
// source: the events `attune --man` lists.
std::map<std::string, std::string> list_entries(const std::string& file, const std::string& list_function) {
  std::string source = read_text(source_dir() / "peer" / "cli" / file);
  const auto begin = source.find(list_function + "() {");
  if (begin == std::string::npos) return {};
  source = source.substr(begin, source.find("return list;", begin) - begin);
  source = std::regex_replace(source, std::regex("\"\\s*\n\\s*\""), "");  // "a" "b" is one literal.
  std::map<std::string, std::string> listed;
  static const std::regex entry("\\{\"(\\w+)\",\\s*\"([^\"]*)\",");
  for (std::sregex_iterator it(source.begin(), source.end(), entry), end; it != end; ++it)
    listed[(*it)[1]] = (*it)[2];
  return listed;
}

TEST(InviteEventsDoc, EveryInviteEventAndItsFieldsAreWhatAttuneManLists) {
  const auto doc = read_contract(source_dir() / "proto" / "INVITE.md", "invite-events");
  ASSERT_TRUE(doc) << "proto/INVITE.md lost its invite-events table";
  const auto listed = list_entries("invite_command.cpp", "invite_event_list");
  ASSERT_GE(listed.size(), 10u) << "invite_event_list() no longer reads as expected";
  std::map<std::string, std::string> documented;
  for (const auto& row : markdown_rows(*doc)) {
    ASSERT_EQ(row.size(), 3u);
    documented[row[0].substr(1, row[0].size() - 2)] = row[1];
  }
  EXPECT_EQ(documented, listed) << "proto/INVITE.md's invite events differ from invite_event_list()";
}

// The top-level field names of an `attune --man` fields text:
// "entry (id, size), open" -> {entry, open}.
std::set<std::string> top_level_fields(const std::string& text) {
  std::set<std::string> fields;
  int depth = 0;
  std::string word;
  bool taking = true;
  for (const char c : text + ",") {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && c == ',') {
      if (!word.empty()) fields.insert(word);
      word.clear();
      taking = true;
    } else if (depth == 0 && taking && (std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      word += c;
    } else if (!word.empty()) {
      taking = false;
    }
  }
  return fields;
}

// The field names each row of a README.md events table names.
std::map<std::string, std::set<std::string>> documented_events(const std::string& block) {
  std::map<std::string, std::set<std::string>> out;
  const auto doc = read_contract(source_dir() / "README.md", block);
  if (!doc) return out;
  static const std::regex field("`(\\w+)` \\(");
  for (const auto& row : markdown_rows(*doc)) {
    if (row.size() != 3 || row[0].size() < 2) continue;
    auto& fields = out[row[0].substr(1, row[0].size() - 2)];
    for (std::sregex_iterator it(row[1].begin(), row[1].end(), field), end; it != end; ++it) fields.insert((*it)[1]);
  }
  return out;
}

// README.md, "Lines of the commands on this device alone" (reader 4, gap 7):
// every journal, prepare and reminder event `attune --man` lists is in the
// README with the same fields, and the README lists no other.
TEST(LocalEventsDoc, EveryJournalPrepareAndReminderEventIsWhatAttuneManLists) {
  const auto local = documented_events("local-events");
  const auto session = documented_events("headless-events");
  ASSERT_GE(local.size(), 10u) << "README.md lost its local-events table";
  std::map<std::string, std::set<std::string>> listed;
  for (const auto& [file, function] : std::map<std::string, std::string>{{"journal_command.cpp", "journal_event_list"},
                                                                         {"prepare_command.cpp", "prepare_event_list"},
                                                                         {"reminder_command.cpp", "reminder_event_list"}}) {
    const auto some = list_entries(file, function);
    ASSERT_GE(some.size(), 5u) << function << "() no longer reads as expected";
    for (const auto& [event, fields] : some) listed[event] = top_level_fields(fields);
  }
  for (const auto& [event, fields] : listed) {
    const auto& table = local.count(event) ? local : session;
    const auto it = table.find(event);
    if (it == table.end()) {
      ADD_FAILURE() << "attune --man lists " << event << ", README.md doesn't";
      continue;
    }
    EXPECT_EQ(it->second, fields) << event << ": README.md and attune --man name different fields";
  }
  for (const auto& [event, fields] : local)
    EXPECT_TRUE(listed.count(event)) << "README.md's local-events names " << event << ", attune --man doesn't";
}

}  // namespace
}  // namespace attune::contract
