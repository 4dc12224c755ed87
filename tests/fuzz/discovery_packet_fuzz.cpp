// Fuzzes the discovery datagram parser: anything can arrive on a multicast
// group. Each datagram must be sorted into exactly one outcome, an accepted
// beacon must be within bounds, and it must survive re-encoding.
#include "attune/discovery/packet_codec.hpp"
#include "fuzz_support.hpp"

namespace disc = attune::discovery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  disc::DecodeCounters counters;
  const disc::Decoded d = disc::decode_packet(bytes, &counters);
  FUZZ_CHECK(counters.beacons + counters.queries + counters.goodbyes + counters.ignored() == 1);
  switch (d.outcome) {
    case disc::DecodeOutcome::Beacon: {
      FUZZ_CHECK(d.packet.has_beacon());
      const auto& b = d.packet.beacon();
      FUZZ_CHECK(disc::beacon_problem(b).empty());
      FUZZ_CHECK(b.port() >= 1 && b.port() <= 65535);
      FUZZ_CHECK(b.session_name().size() <= disc::kMaxNameBytes);
      FUZZ_CHECK(b.host_name().size() <= disc::kMaxNameBytes);
      FUZZ_CHECK(b.open_seats() <= disc::kMaxOpenSeats);
      const auto again = disc::decode_packet(disc::encode_beacon(b));
      FUZZ_CHECK(again.outcome == disc::DecodeOutcome::Beacon);
      FUZZ_CHECK(again.packet.beacon().SerializeAsString() == b.SerializeAsString());
      break;
    }
    case disc::DecodeOutcome::Query: {
      FUZZ_CHECK(d.packet.query().browser_id() != 0);
      const auto again = disc::decode_packet(disc::encode_query(d.packet.query().browser_id()));
      FUZZ_CHECK(again.outcome == disc::DecodeOutcome::Query);
      break;
    }
    case disc::DecodeOutcome::Goodbye: {
      FUZZ_CHECK(d.packet.goodbye().instance_id() != 0);
      const auto again = disc::decode_packet(disc::encode_goodbye(d.packet.goodbye().instance_id()));
      FUZZ_CHECK(again.outcome == disc::DecodeOutcome::Goodbye);
      break;
    }
    case disc::DecodeOutcome::OtherVersion:
      FUZZ_CHECK(d.version != disc::kDiscoveryVersion);
      break;
    case disc::DecodeOutcome::NotAttune:
    case disc::DecodeOutcome::Malformed:
      break;
  }
  if (size > disc::kMaxPacketBytes) FUZZ_CHECK(d.outcome == disc::DecodeOutcome::NotAttune);
  return 0;
}
