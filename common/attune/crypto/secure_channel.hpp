// The encrypted, authenticated channel used after a successful handshake.
//
// Every frame is sealed with XChaCha20-Poly1305 (IETF) under a key for its
// direction. Each direction counts frames from 0; the counter is sent in
// clear in the frame header, forms the nonce and is authenticated, and the
// receiver accepts only the next number. So a modified, replayed, reordered
// or cut-off frame is detected and named, and the connection is closed.
//
// Frame layout (see proto/HANDSHAKE.md):
//   counter: 8 bytes, big-endian
//   length:  4 bytes, big-endian, of the sealed part that follows
//   sealed:  XChaCha20-Poly1305(key, nonce = 16 zero bytes || counter,
//            ad = counter || length,
//            plaintext = pad(kind (1 byte) || payload)),
//            ciphertext then 16-byte tag
// kind 0 = data, 1 = close (an authenticated end of stream, so a truncated
// stream can be told apart from a clean goodbye). pad() is ISO/IEC 7816-4
// padding (0x80, then zeros; libsodium's sodium_pad) up to a size bucket, so
// an eavesdropper learns only the bucket, never a share's exact length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "attune/crypto/bytes.hpp"
#include "attune/crypto/kdf.hpp"

namespace attune::crypto {

inline constexpr std::size_t kFrameHeaderBytes = 12;
inline constexpr std::size_t kFrameTagBytes = 16;
inline constexpr std::size_t kFrameOverheadBytes = kFrameHeaderBytes + 1 + kFrameTagBytes;
// Padded plaintexts come in buckets: powers of two from 256 bytes to 32 KiB,
// then one last bucket, the largest plaintext a 64 KiB transport frame can
// carry once sealed and wrapped (65536 - 4 wrapping - 12 header - 16 tag).
inline constexpr std::size_t kPadSmallestBucket = 256;
inline constexpr std::size_t kPadLastPowerBucket = 32 * 1024;
inline constexpr std::size_t kPadLargestBucket = 64 * 1024 - 4 - kFrameHeaderBytes - kFrameTagBytes;

// The padded size of a plaintext of `plain_len` bytes (kind byte included):
// the smallest bucket holding it plus the one-byte padding marker. Beyond
// the largest bucket, a multiple of it (too big for a transport frame; the
// connection refuses such a message).
std::size_t padded_size(std::size_t plain_len);
// The size of the whole sealed frame (header, padded ciphertext, tag) that
// seal() makes of a payload of `payload_len` bytes.
std::size_t sealed_frame_size(std::size_t payload_len);

enum class ChannelError {
  Truncated,   // Frame too short, or the stream ended without a close frame.
  Modified,    // Authentication failed: the bytes were changed in transit.
  Replayed,    // A frame we already accepted arrived again.
  Reordered,   // A frame arrived ahead of its turn (one before it is missing).
  AfterClose,  // The peer sent more after saying goodbye.
  Broken,      // An earlier error already closed this channel.
};

// Short text for logs and for the person at the screen.
std::string_view describe(ChannelError error);

// The two keys of one side of a connection.
struct ChannelKeys {
  Key send;
  Key receive;
};

enum class FrameKind : std::uint8_t { Data = 0, Close = 1 };

struct OpenedFrame {
  std::optional<ChannelError> error;  // Set when the frame was refused.
  FrameKind kind = FrameKind::Data;
  Bytes payload;

  bool ok() const { return !error.has_value(); }
};

class SecureChannel {
 public:
  explicit SecureChannel(const ChannelKeys& keys);

  // Seals one data frame. Throws std::logic_error if called after seal_close().
  Bytes seal(ByteView payload);
  // Seals one data frame only if the whole frame fits in max_frame_bytes;
  // otherwise nullopt, and the send counter has not moved.
  std::optional<Bytes> seal_within(ByteView payload, std::size_t max_frame_bytes);
  // Seals the authenticated goodbye; nothing may be sent after it. `payload`
  // says why (a serialized attune.v1.Close, proto/README.md "Closing").
  Bytes seal_close(ByteView payload = {});

  // Opens the next frame from the peer. Any error is final: later frames
  // are refused with Broken, and the caller should close the connection.
  OpenedFrame open(ByteView frame);

  // Call when the peer's byte stream ends: returns Truncated unless the
  // peer's close frame was received.
  std::optional<ChannelError> end_of_stream();

  std::uint64_t frames_sent() const { return send_counter_; }
  std::uint64_t frames_received() const { return receive_counter_; }
  bool peer_closed() const { return peer_closed_; }

 private:
  std::optional<Bytes> seal_kind(FrameKind kind, ByteView payload, std::size_t max_frame_bytes);
  OpenedFrame fail(ChannelError error);

  Key send_key_;
  Key receive_key_;
  std::uint64_t send_counter_ = 0;
  std::uint64_t receive_counter_ = 0;
  bool closed_ = false;       // We sent our close frame.
  bool peer_closed_ = false;  // We received theirs.
  std::optional<ChannelError> broken_;
};

}  // namespace attune::crypto
