// Valid UTF-8 in every string field of a protobuf message. proto3 refuses
// to parse a string field that isn't, so one bad byte (a name typed on a
// Latin-1 terminal by an older version, or sent by a misbehaving device)
// would make a whole stored session or wire message unreadable. These work
// on the serialized bytes, guided by the message's descriptor.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <optional>
#include <string>
#include <string_view>

namespace attune {

// `wire` with every string field repaired (repair_utf8: read as Latin-1 when
// not UTF-8); other fields are copied as they are. Sets *changed when any
// string was repaired. nullopt when `wire` is not a well-formed message.
std::optional<std::string> repair_wire_utf8(std::string_view wire, const google::protobuf::Descriptor& type,
                                            bool* changed = nullptr);

// Parses `wire` into `out`, repairing invalid UTF-8 first if that is what
// stopped it. Sets *repaired when it did. False when the bytes are damaged
// some other way.
bool parse_repairing(std::string_view wire, google::protobuf::Message& out, bool* repaired = nullptr);

// `message` serialized so that it always parses back: any invalid UTF-8 in
// its strings is repaired on the way out.
std::string serialize_readable(const google::protobuf::Message& message);

}  // namespace attune
