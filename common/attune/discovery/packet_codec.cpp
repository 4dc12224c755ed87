#include "attune/discovery/packet_codec.hpp"

namespace attune::discovery {

void DecodeCounters::count(DecodeOutcome outcome) {
  switch (outcome) {
    case DecodeOutcome::Beacon:
      ++beacons;
      return;
    case DecodeOutcome::Query:
      ++queries;
      return;
    case DecodeOutcome::Goodbye:
      ++goodbyes;
      return;
    case DecodeOutcome::NotAttune:
      ++not_attune;
      return;
    case DecodeOutcome::OtherVersion:
      ++other_version;
      return;
    case DecodeOutcome::Malformed:
      ++malformed;
      return;
  }
}

std::string beacon_problem(const v1::Beacon& beacon) {
  if (beacon.protocol_version() != kProtocolVersion) return "beacon version differs from envelope";
  if (beacon.instance_id() == 0) return "instance id is zero";
  if (beacon.port() == 0 || beacon.port() > 65535) return "port out of range";
  if (beacon.session_name().size() > kMaxNameBytes) return "session name too long";
  if (beacon.host_name().size() > kMaxNameBytes) return "host name too long";
  if (beacon.open_seats() > kMaxOpenSeats) return "too many open seats";
  if (beacon.interval_ms() < kMinIntervalMs || beacon.interval_ms() > kMaxIntervalMs)
    return "interval out of range";
  return {};
}

namespace {

Decoded classify(std::string_view bytes) {
  Decoded out;
  if (bytes.empty() || bytes.size() > kMaxPacketBytes) return out;  // NotAttune
  if (!out.packet.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return out;
  if (out.packet.magic() != kMagic) return out;
  out.version = out.packet.protocol_version();
  if (out.version != kProtocolVersion) {
    out.outcome = DecodeOutcome::OtherVersion;
    return out;
  }
  out.outcome = DecodeOutcome::Malformed;
  switch (out.packet.body_case()) {
    case v1::DiscoveryPacket::kBeacon:
      if (beacon_problem(out.packet.beacon()).empty()) out.outcome = DecodeOutcome::Beacon;
      return out;
    case v1::DiscoveryPacket::kQuery:
      if (out.packet.query().browser_id() != 0) out.outcome = DecodeOutcome::Query;
      return out;
    case v1::DiscoveryPacket::kGoodbye:
      if (out.packet.goodbye().instance_id() != 0) out.outcome = DecodeOutcome::Goodbye;
      return out;
    case v1::DiscoveryPacket::BODY_NOT_SET:
      return out;
  }
  return out;
}

std::string serialize(v1::DiscoveryPacket& packet, uint32_t version = kProtocolVersion) {
  packet.set_magic(kMagic);
  packet.set_protocol_version(version);
  return packet.SerializeAsString();
}

}  // namespace

Decoded decode_packet(std::string_view bytes, DecodeCounters* counters) {
  Decoded out = classify(bytes);
  if (counters != nullptr) counters->count(out.outcome);
  return out;
}

std::string encode_beacon(const v1::Beacon& beacon, uint32_t version) {
  v1::DiscoveryPacket packet;
  *packet.mutable_beacon() = beacon;
  packet.mutable_beacon()->set_protocol_version(version);
  return serialize(packet, version);
}

std::string encode_query(uint64_t browser_id) {
  v1::DiscoveryPacket packet;
  packet.mutable_query()->set_browser_id(browser_id);
  return serialize(packet);
}

std::string encode_goodbye(uint64_t instance_id) {
  v1::DiscoveryPacket packet;
  packet.mutable_goodbye()->set_instance_id(instance_id);
  return serialize(packet);
}

}  // namespace attune::discovery
