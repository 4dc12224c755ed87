// Fuzzes the incremental frame decoder: the bytes arrive in fuzzer-chosen
// chunks and every frame it hands out is checked against a plain reading of
// the same stream, so a split in an awkward place can't change the result.
//
// Input: [limit selector][chunk sizes: 8 bytes][stream...]
#include <array>
#include <string>
#include <vector>

#include "attune/frame_decoder.hpp"
#include "fuzz_support.hpp"

namespace {

struct Reference {
  std::vector<std::string> frames;
  bool bad = false;  // The stream breaks after `frames`.
};

// The framing rules, written out the obvious way.
Reference read_all(std::string_view s, std::size_t limit) {
  Reference out;
  std::size_t pos = 0;
  while (s.size() - pos >= attune::kFrameHeaderBytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data() + pos);
    const std::size_t n =
        (std::size_t{p[0]} << 24) | (std::size_t{p[1]} << 16) | (std::size_t{p[2]} << 8) | p[3];
    if (n == 0 || n > limit) {
      out.bad = true;
      return out;
    }
    if (s.size() - pos - attune::kFrameHeaderBytes < n) return out;
    out.frames.emplace_back(s.substr(pos + attune::kFrameHeaderBytes, n));
    pos += attune::kFrameHeaderBytes + n;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  attune::fuzz::ByteReader in(data, size);
  static constexpr std::array<std::size_t, 4> kLimits = {attune::kMaxFramePayload, 16, 300, 1};
  const std::size_t limit = kLimits[in.byte() % kLimits.size()];
  std::array<std::size_t, 8> chunks{};
  for (auto& c : chunks) c = 1 + in.byte() % 64;
  const std::string_view stream = in.rest();

  const Reference want = read_all(stream, limit);
  attune::FrameDecoder decoder(limit);
  std::vector<std::string> got;
  bool bad = false;
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < stream.size() && !bad; ++i) {
    const std::size_t n = std::min(chunks[i % chunks.size()], stream.size() - pos);
    decoder.feed(stream.substr(pos, n));
    pos += n;
    // Memory stays bounded: one partial frame (header + limit) plus one read.
    FUZZ_CHECK(decoder.buffered() <= attune::kFrameHeaderBytes + limit + 64);
    for (int guard = 0; guard < 1'000'000; ++guard) {
      std::string payload;
      const auto status = decoder.next(payload);
      if (status == attune::FrameDecoder::Status::NeedMore) break;
      if (status == attune::FrameDecoder::Status::Bad) {
        bad = true;
        FUZZ_CHECK(!decoder.error().empty());
        break;
      }
      FUZZ_CHECK(!payload.empty() && payload.size() <= limit);
      got.push_back(std::move(payload));
    }
  }
  FUZZ_CHECK(got == want.frames);
  FUZZ_CHECK(bad == want.bad);
  if (bad) {
    // Broken stays broken.
    std::string payload;
    decoder.feed("\x00\x00\x00\x01x");
    FUZZ_CHECK(decoder.next(payload) == attune::FrameDecoder::Status::Bad);
  }
  // Every frame handed out encodes back to the bytes it came from.
  std::string again;
  for (const auto& f : got) {
    const auto framed = attune::encode_frame(f, limit);
    FUZZ_CHECK(framed.has_value());
    again += *framed;
  }
  FUZZ_CHECK(stream.substr(0, again.size()) == again);
  return 0;
}
