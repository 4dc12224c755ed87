#include "attune/crypto/secure_channel.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

namespace attune::crypto {
namespace {

using Nonce = std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES>;

Nonce nonce_for(std::uint64_t counter) {
  Nonce nonce{};  // 16 zero bytes, then the counter: keys are per direction and per connection.
  const auto be = be64(counter);
  std::copy(be.begin(), be.end(), nonce.end() - 8);
  return nonce;
}

std::uint64_t read_be(ByteView bytes) {
  std::uint64_t v = 0;
  for (std::uint8_t b : bytes) v = (v << 8) | b;
  return v;
}

}  // namespace

std::size_t padded_size(std::size_t plain_len) {
  const std::size_t need = plain_len + 1;  // The 0x80 marker always fits.
  if (need > kPadLargestBucket) return (need + kPadLargestBucket - 1) / kPadLargestBucket * kPadLargestBucket;
  if (need > kPadLastPowerBucket) return kPadLargestBucket;
  std::size_t bucket = kPadSmallestBucket;
  while (bucket < need) bucket *= 2;
  return bucket;
}

std::size_t sealed_frame_size(std::size_t payload_len) {
  return kFrameHeaderBytes + padded_size(1 + payload_len) + kFrameTagBytes;
}

std::string_view describe(ChannelError error) {
  switch (error) {
    case ChannelError::Truncated:
      return "The connection was cut off partway through a message, so we closed it to keep your session "
             "safe.";
    case ChannelError::Modified:
      return "A message arrived changed on the way, so we closed the connection to keep your session safe.";
    case ChannelError::Replayed:
      return "An old message arrived a second time, so we closed the connection to keep your session safe.";
    case ChannelError::Reordered:
      return "Messages arrived out of order, so we closed the connection to keep your session safe.";
    case ChannelError::AfterClose:
      return "More arrived after the other device said goodbye, so we closed the connection.";
    case ChannelError::Broken:
      return "This connection was already closed for safety.";
  }
  return "The connection was closed for safety.";
}

SecureChannel::SecureChannel(const ChannelKeys& keys) : send_key_(keys.send), receive_key_(keys.receive) {}

Bytes SecureChannel::seal(ByteView payload) { return *seal_kind(FrameKind::Data, payload, SIZE_MAX); }

std::optional<Bytes> SecureChannel::seal_within(ByteView payload, std::size_t max_frame_bytes) {
  return seal_kind(FrameKind::Data, payload, max_frame_bytes);
}

Bytes SecureChannel::seal_close(ByteView payload) {
  Bytes frame = *seal_kind(FrameKind::Close, payload, SIZE_MAX);
  closed_ = true;
  return frame;
}

std::optional<Bytes> SecureChannel::seal_kind(FrameKind kind, ByteView payload, std::size_t max_frame_bytes) {
  if (closed_) throw std::logic_error("SecureChannel: sealing after close");
  if (send_counter_ == UINT64_MAX) throw std::logic_error("SecureChannel: counter exhausted");
  const std::size_t padded = padded_size(1 + payload.size());
  if (padded > UINT32_MAX - kFrameTagBytes) throw std::logic_error("SecureChannel: frame too large");
  Bytes plain;
  plain.reserve(padded);
  plain.push_back(static_cast<std::uint8_t>(kind));
  append(plain, payload);
  const std::size_t unpadded = plain.size();
  plain.resize(padded);
  std::size_t padded_len = 0;
  // Block size = the bucket: the plaintext is shorter, so it pads to exactly one bucket.
  if (sodium_pad(&padded_len, plain.data(), unpadded, padded, padded) != 0 || padded_len != padded)
    throw std::logic_error("SecureChannel: padding failed");

  // The size is checked on the padded frame, and the counter moves only once
  // a frame is really sealed: a frame refused for its size leaves the next
  // one in order.
  const std::size_t sealed_len = plain.size() + kFrameTagBytes;
  if (sealed_len > max_frame_bytes - std::min(max_frame_bytes, kFrameHeaderBytes)) {
    sodium_memzero(plain.data(), plain.size());
    return std::nullopt;
  }
  const std::uint64_t counter = send_counter_;
  const auto counter_be = be64(counter);
  const auto length_be = be32(static_cast<std::uint32_t>(sealed_len));
  Bytes header(counter_be.begin(), counter_be.end());
  append(header, length_be);
  Bytes frame(kFrameHeaderBytes + sealed_len);
  std::copy(header.begin(), header.end(), frame.begin());
  const Nonce nonce = nonce_for(counter);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(frame.data() + kFrameHeaderBytes, &written, plain.data(),
                                             plain.size(), header.data(), header.size(), nullptr,
                                             nonce.data(), send_key_.data());
  sodium_memzero(plain.data(), plain.size());
  frame.resize(kFrameHeaderBytes + static_cast<std::size_t>(written));
  send_counter_ = counter + 1;
  return frame;
}

OpenedFrame SecureChannel::fail(ChannelError error) {
  if (!broken_) broken_ = error;
  OpenedFrame out;
  out.error = error;
  return out;
}

OpenedFrame SecureChannel::open(ByteView frame) {
  if (broken_) return fail(ChannelError::Broken);
  if (peer_closed_) return fail(ChannelError::AfterClose);
  if (frame.size() < kFrameOverheadBytes) return fail(ChannelError::Truncated);

  const ByteView header = frame.first(kFrameHeaderBytes);
  const std::uint64_t counter = read_be(header.first(8));
  const std::uint64_t sealed_len = read_be(header.subspan(8, 4));
  // The length is authenticated below; checked first so a frame that was cut
  // off is named as such rather than as a failed authentication.
  if (frame.size() - kFrameHeaderBytes < sealed_len) return fail(ChannelError::Truncated);
  if (frame.size() - kFrameHeaderBytes > sealed_len) return fail(ChannelError::Modified);
  // Authenticate first, under the counter the frame claims: only a frame we
  // really sealed can reach the ordering checks, so an attacker cannot make
  // a modification look like a mere reordering.
  const ByteView sealed = frame.subspan(kFrameHeaderBytes);
  Bytes plain(sealed.size() - kFrameTagBytes);
  unsigned long long plain_len = 0;
  const Nonce nonce = nonce_for(counter);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plain_len, nullptr, sealed.data(),
                                                 sealed.size(), header.data(), header.size(), nonce.data(),
                                                 receive_key_.data()) != 0) {
    return fail(ChannelError::Modified);
  }
  if (counter < receive_counter_) return fail(ChannelError::Replayed);
  if (counter > receive_counter_) return fail(ChannelError::Reordered);
  // Authentic, so the padding is ours; malformed padding is still refused.
  std::size_t unpadded = 0;
  if (plain_len < 2 ||
      sodium_unpad(&unpadded, plain.data(), static_cast<std::size_t>(plain_len),
                   static_cast<std::size_t>(plain_len)) != 0 ||
      unpadded < 1) {
    return fail(ChannelError::Modified);
  }
  plain_len = unpadded;
  ++receive_counter_;

  OpenedFrame out;
  // Compared as a raw byte: an authentic frame with a kind we do not know
  // comes from a newer peer; refuse it rather than guess.
  const std::uint8_t kind = plain[0];
  if (kind == static_cast<std::uint8_t>(FrameKind::Data)) {
    out.kind = FrameKind::Data;
    out.payload.assign(plain.begin() + 1, plain.begin() + static_cast<std::ptrdiff_t>(plain_len));
  } else if (kind == static_cast<std::uint8_t>(FrameKind::Close)) {
    out.kind = FrameKind::Close;
    out.payload.assign(plain.begin() + 1, plain.begin() + static_cast<std::ptrdiff_t>(plain_len));
    peer_closed_ = true;
  } else {
    return fail(ChannelError::Modified);
  }
  sodium_memzero(plain.data(), plain.size());
  return out;
}

std::optional<ChannelError> SecureChannel::end_of_stream() {
  if (peer_closed_) return std::nullopt;
  if (!broken_) broken_ = ChannelError::Truncated;
  return ChannelError::Truncated;
}

}  // namespace attune::crypto
