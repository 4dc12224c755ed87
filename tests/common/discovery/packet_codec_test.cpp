#include "attune/discovery/packet_codec.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "attune/discovery/nearby_label.hpp"

namespace attune::discovery {
namespace {

v1::Beacon valid_beacon() {
  v1::Beacon b;
  b.set_protocol_version(kDiscoveryVersion);
  b.set_session_name("Sunday talk");
  b.set_host_name("Sam's laptop");
  b.set_port(47000);
  b.set_open_seats(3);
  b.set_instance_id(0x1234567890abcdefULL);
  b.set_interval_ms(4000);
  return b;
}

TEST(PacketCodec, BeaconRoundTrips) {
  DecodeCounters counters;
  const auto decoded = decode_packet(encode_beacon(valid_beacon()), &counters);
  ASSERT_EQ(decoded.outcome, DecodeOutcome::Beacon);
  EXPECT_EQ(decoded.packet.beacon().session_name(), "Sunday talk");
  EXPECT_EQ(decoded.packet.beacon().port(), 47000u);
  EXPECT_EQ(decoded.packet.beacon().instance_id(), 0x1234567890abcdefULL);
  EXPECT_EQ(counters.beacons, 1u);
  EXPECT_EQ(counters.ignored(), 0u);
}

TEST(PacketCodec, QueryAndGoodbyeRoundTrip) {
  DecodeCounters counters;
  const auto q = decode_packet(encode_query(77), &counters);
  ASSERT_EQ(q.outcome, DecodeOutcome::Query);
  EXPECT_EQ(q.packet.query().browser_id(), 77u);
  const auto g = decode_packet(encode_goodbye(99), &counters);
  ASSERT_EQ(g.outcome, DecodeOutcome::Goodbye);
  EXPECT_EQ(g.packet.goodbye().instance_id(), 99u);
  EXPECT_EQ(counters.queries, 1u);
  EXPECT_EQ(counters.goodbyes, 1u);
}

TEST(PacketCodec, OtherVersionIsCountedWithItsVersion) {
  v1::DiscoveryPacket p;
  p.set_magic(kMagic);
  p.set_protocol_version(2);
  *p.mutable_beacon() = valid_beacon();
  DecodeCounters counters;
  const auto d = decode_packet(p.SerializeAsString(), &counters);
  EXPECT_EQ(d.outcome, DecodeOutcome::OtherVersion);
  EXPECT_EQ(d.version, 2u);
  EXPECT_EQ(counters.other_version, 1u);
  EXPECT_EQ(counters.beacons, 0u);
}

TEST(PacketCodec, ABeaconFromAnotherReleaseIsOtherVersion) {
  const auto d = decode_packet(encode_beacon(valid_beacon(), 7));
  EXPECT_EQ(d.outcome, DecodeOutcome::OtherVersion);
  EXPECT_EQ(d.version, 7u);
}

TEST(PacketCodec, ForeignTrafficIsNotAttune) {
  DecodeCounters counters;
  EXPECT_EQ(decode_packet("", &counters).outcome, DecodeOutcome::NotAttune);
  EXPECT_EQ(decode_packet("M-SEARCH * HTTP/1.1\r\n", &counters).outcome, DecodeOutcome::NotAttune);
  v1::DiscoveryPacket p;  // Valid protobuf, wrong magic.
  p.set_magic(0xdeadbeef);
  p.set_protocol_version(kDiscoveryVersion);
  p.mutable_query()->set_browser_id(1);
  EXPECT_EQ(decode_packet(p.SerializeAsString(), &counters).outcome, DecodeOutcome::NotAttune);
  EXPECT_EQ(decode_packet(std::string(kMaxPacketBytes + 1, 'x'), &counters).outcome,
            DecodeOutcome::NotAttune);
  EXPECT_EQ(counters.not_attune, 4u);
}

TEST(PacketCodec, OutOfBoundsBeaconsAreMalformed) {
  std::vector<v1::Beacon> bad(7, valid_beacon());
  bad[0].set_port(0);
  bad[1].set_port(70000);
  bad[2].set_instance_id(0);
  bad[3].set_session_name(std::string(kMaxNameBytes + 1, 'a'));
  bad[4].set_open_seats(9);
  bad[5].set_interval_ms(10);
  bad[6].set_host_name(std::string(kMaxNameBytes + 1, 'a'));
  DecodeCounters counters;
  for (const auto& b : bad) {
    v1::DiscoveryPacket p;
    p.set_magic(kMagic);
    p.set_protocol_version(kDiscoveryVersion);
    *p.mutable_beacon() = b;
    EXPECT_EQ(decode_packet(p.SerializeAsString(), &counters).outcome, DecodeOutcome::Malformed)
        << beacon_problem(b);
  }
  EXPECT_EQ(counters.malformed, bad.size());
}

TEST(PacketCodec, EnvelopeWithoutBodyOrZeroIdsIsMalformed) {
  v1::DiscoveryPacket p;
  p.set_magic(kMagic);
  p.set_protocol_version(kDiscoveryVersion);
  EXPECT_EQ(decode_packet(p.SerializeAsString()).outcome, DecodeOutcome::Malformed);
  EXPECT_EQ(decode_packet(encode_query(0)).outcome, DecodeOutcome::Malformed);
  EXPECT_EQ(decode_packet(encode_goodbye(0)).outcome, DecodeOutcome::Malformed);
}

TEST(PacketCodec, RandomAndTruncatedBytesNeverCrashAndAreCounted) {
  std::mt19937 rng(7);
  const std::string good = encode_beacon(valid_beacon());
  DecodeCounters counters;
  uint64_t runs = 0;
  for (size_t cut = 0; cut < good.size(); ++cut, ++runs) {
    const auto d = decode_packet(std::string_view(good).substr(0, cut), &counters);
    EXPECT_NE(d.outcome, DecodeOutcome::Beacon) << "cut at " << cut;
  }
  for (int i = 0; i < 2000; ++i, ++runs) {
    std::string bytes(rng() % 300, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    decode_packet(bytes, &counters);
  }
  EXPECT_EQ(counters.beacons + counters.queries + counters.goodbyes + counters.ignored(), runs);
}

// An older sender cut a name at 64 bytes, splitting a character. The
// beacon must still be heard: today's lists show only the port, seats and
// tag, and the broken text is never shown.
TEST(PacketCodec, ABeaconWithANameCutMidCharacterIsStillABeacon) {
  v1::Beacon b = valid_beacon();
  const std::string name = std::string(62, 'a') + "\xc3\xa7";  // 64 bytes, ends in a whole "ç"
  const std::string cut = std::string(63, 'a') + "\xc3";       // 64 bytes, "ç" split in two
  ASSERT_EQ(cut.size(), kMaxNameBytes);
  b.set_session_name(cut);
  b.set_host_name("Jos\xe9");  // Latin-1, not UTF-8 at all.
  DecodeCounters counters;
  const auto decoded = decode_packet(encode_beacon(b), &counters);
  ASSERT_EQ(decoded.outcome, DecodeOutcome::Beacon);
  EXPECT_EQ(decoded.packet.beacon().port(), 47000u);
  EXPECT_EQ(counters.beacons, 1u);
  // Shown text never holds half a character.
  EXPECT_EQ(utf8_prefix(decoded.packet.beacon().session_name(), kMaxNameBytes), std::string(63, 'a'));
  EXPECT_EQ(utf8_prefix(decoded.packet.beacon().host_name(), kMaxNameBytes), "Jos");
  EXPECT_EQ(utf8_prefix(name, kMaxNameBytes), name);
}

TEST(NearbyLabel, CutsFallOnCharacterBoundaries) {
  const std::string accent = std::string(63, 'a') + "\xc3\xa9";  // 65 bytes, ends in "é"
  EXPECT_EQ(utf8_prefix(accent, 64), std::string(63, 'a'));
  EXPECT_EQ(utf8_prefix(accent, 65), accent);
  const std::string emoji = "ab\xf0\x9f\x92\x9b";  // ab + yellow heart
  for (std::size_t max = 2; max < 6; ++max) EXPECT_EQ(utf8_prefix(emoji, max), "ab") << max;
  EXPECT_EQ(utf8_prefix(emoji, 6), emoji);
  EXPECT_EQ(utf8_prefix("", 64), "");
}

TEST(NearbyLabel, TagsAreShortPlainAndDifferPerRun) {
  const std::string tag = nearby_tag(0x1234567890abcdefULL);
  EXPECT_EQ(tag.size(), kNearbyTagChars);
  EXPECT_EQ(tag, nearby_tag(0x1234567890abcdefULL));
  for (char ch : tag)
    EXPECT_TRUE(std::string("ABCDEFGHJKMNPQRSTVWXYZ23456789").find(ch) != std::string::npos);
  std::set<std::string> tags;
  for (uint64_t id = 1; id <= 200; ++id) tags.insert(nearby_tag(id));
  EXPECT_GT(tags.size(), 190u) << "neighbouring ids give unrelated tags";
}

TEST(NearbyLabel, SeatsCountTheOtherPartnerAndCoachesAndEndWhenBegunOrFull) {
  v1::SessionState s;
  s.set_step(v1::STEP_LOBBY);
  s.set_phase(v1::PHASE_LOBBY);
  s.add_participants()->set_role(v1::ROLE_PARTNER_A);
  EXPECT_EQ(seats_to_announce(s), 3u);
  s.add_participants()->set_role(v1::ROLE_PARTNER_B);
  EXPECT_EQ(seats_to_announce(s), 2u);
  s.add_participants()->set_role(v1::ROLE_COACH);
  EXPECT_EQ(seats_to_announce(s), 1u);
  s.add_participants()->set_role(v1::ROLE_COACH);
  EXPECT_EQ(seats_to_announce(s), std::nullopt) << "full";
  s.mutable_participants()->RemoveLast();
  s.set_phase(v1::PHASE_ACTIVE);
  s.set_step(v1::STEP_NAME_IT);
  EXPECT_EQ(seats_to_announce(s), std::nullopt) << "begun";
}

}  // namespace
}  // namespace attune::discovery
