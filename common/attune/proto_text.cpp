#include "attune/proto_text.hpp"

#include <cstdint>

#include "attune/text.hpp"

namespace attune {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

constexpr int kMaxDepth = 64;

bool read_varint(std::string_view in, std::size_t& i, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && i < in.size(); shift += 7) {
    const auto b = static_cast<uint8_t>(in[i++]);
    value |= uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

void write_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::optional<std::string> walk(std::string_view in, const Descriptor* type, bool& changed, int depth);

// One length-delimited field: `tag` is its raw tag bytes.
bool walk_delimited(std::string_view tag, std::string_view body, const FieldDescriptor* field,
                    std::string& out, bool& changed, int depth) {
  std::string replaced;
  if (field != nullptr && field->type() == FieldDescriptor::TYPE_STRING && !is_valid_utf8(body)) {
    replaced = repair_utf8(body);
    changed = true;
  } else if (field != nullptr && field->type() == FieldDescriptor::TYPE_MESSAGE) {
    auto inner = walk(body, field->message_type(), changed, depth + 1);
    if (!inner) return false;
    replaced = std::move(*inner);
  } else {
    replaced = std::string(body);  // Bytes, packed numbers, or a field this build doesn't know.
  }
  out.append(tag);
  write_varint(out, replaced.size());
  out.append(replaced);
  return true;
}

std::optional<std::string> walk(std::string_view in, const Descriptor* type, bool& changed, int depth) {
  if (depth > kMaxDepth) return std::nullopt;
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    const std::size_t start = i;
    uint64_t tag = 0;
    if (!read_varint(in, i, tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1FFFFFFF) return std::nullopt;
    const std::string_view tag_bytes = in.substr(start, i - start);
    std::size_t fixed = 0;
    switch (tag & 7) {
      case 0: {
        uint64_t ignored = 0;
        if (!read_varint(in, i, ignored)) return std::nullopt;
        out.append(in.substr(start, i - start));
        continue;
      }
      case 1:
        fixed = 8;
        break;
      case 5:
        fixed = 4;
        break;
      case 2: {
        uint64_t len = 0;
        if (!read_varint(in, i, len) || len > in.size() - i) return std::nullopt;
        const auto* field = type ? type->FindFieldByNumber(static_cast<int>(tag >> 3)) : nullptr;
        if (!walk_delimited(tag_bytes, in.substr(i, len), field, out, changed, depth)) return std::nullopt;
        i += len;
        continue;
      }
      default:
        return std::nullopt;  // Groups: never written by proto3.
    }
    if (fixed > in.size() - i) return std::nullopt;
    i += fixed;
    out.append(in.substr(start, i - start));
  }
  return out;
}

}  // namespace

std::optional<std::string> repair_wire_utf8(std::string_view wire, const Descriptor& type, bool* changed) {
  bool any = false;
  auto out = walk(wire, &type, any, 0);
  if (changed) *changed = any;
  return out;
}

bool parse_repairing(std::string_view wire, google::protobuf::Message& out, bool* repaired) {
  if (repaired) *repaired = false;
  if (out.ParseFromArray(wire.data(), static_cast<int>(wire.size()))) return true;
  bool changed = false;
  const auto fixed = repair_wire_utf8(wire, *out.GetDescriptor(), &changed);
  if (!fixed || !changed || !out.ParseFromString(*fixed)) return false;
  if (repaired) *repaired = true;
  return true;
}

std::string serialize_readable(const google::protobuf::Message& message) {
  std::string out;
  message.SerializeToString(&out);
  bool changed = false;
  auto fixed = repair_wire_utf8(out, *message.GetDescriptor(), &changed);
  return fixed && changed ? std::move(*fixed) : out;
}

}  // namespace attune
