// Length-prefixed framing for the wire: a 4-byte big-endian payload length,
// then the payload (one serialized attune.v1.Envelope). The decoder is fed
// bytes as they arrive and hands out whole frames; it checks the length
// against the limit before it buffers any payload, so a hostile length
// costs nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace attune {

inline constexpr std::size_t kFrameHeaderBytes = 4;
inline constexpr std::size_t kMaxFramePayload = 64 * 1024;

class FrameDecoder {
 public:
  enum class Status {
    Good,      // A whole frame is in `payload`.
    NeedMore,  // Feed more bytes.
    Bad,       // The stream is broken (see error()); close the connection.
  };

  explicit FrameDecoder(std::size_t max_payload = kMaxFramePayload) : max_payload_(max_payload) {}

  // Appends received bytes. Callers feed at most one read's worth at a time
  // and drain with next() before feeding again, which bounds memory to
  // max_payload plus one read.
  void feed(std::string_view bytes);

  // Takes the next complete frame out of the buffer. After Bad, every later
  // call returns Bad.
  Status next(std::string& payload);

  // Plain words about why the stream is broken; empty while it is fine.
  const std::string& error() const { return error_; }
  bool too_large() const { return too_large_; }

  // Bytes fed but not yet handed out (a truncated frame at close time).
  std::size_t buffered() const { return buffer_.size() - read_pos_; }

 private:
  std::size_t max_payload_;
  std::string buffer_;
  std::size_t read_pos_ = 0;
  std::string error_;
  bool too_large_ = false;
};

// Frames a payload; nullopt when it is larger than the limit.
std::optional<std::string> encode_frame(std::string_view payload, std::size_t max_payload = kMaxFramePayload);

}  // namespace attune
