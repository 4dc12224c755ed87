#include "attune/frame_decoder.hpp"

namespace attune {

void FrameDecoder::feed(std::string_view bytes) {
  if (!error_.empty()) return;
  // Drop what was already handed out before growing, so the buffer never
  // holds more than one partial frame plus the new bytes.
  if (read_pos_ > 0) {
    buffer_.erase(0, read_pos_);
    read_pos_ = 0;
  }
  buffer_.append(bytes);
}

FrameDecoder::Status FrameDecoder::next(std::string& payload) {
  if (!error_.empty()) return Status::Bad;
  const std::size_t available = buffer_.size() - read_pos_;
  if (available < kFrameHeaderBytes) return Status::NeedMore;
  const auto* p = reinterpret_cast<const unsigned char*>(buffer_.data() + read_pos_);
  const std::uint32_t length = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                               (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
  if (length == 0) {
    error_ = "received an empty frame";
    return Status::Bad;
  }
  if (length > max_payload_) {
    error_ = "received a frame of " + std::to_string(length) + " bytes; the limit is " +
             std::to_string(max_payload_);
    too_large_ = true;
    return Status::Bad;
  }
  if (available - kFrameHeaderBytes < length) return Status::NeedMore;
  payload.assign(buffer_, read_pos_ + kFrameHeaderBytes, length);
  read_pos_ += kFrameHeaderBytes + length;
  if (read_pos_ == buffer_.size()) {
    buffer_.clear();
    read_pos_ = 0;
  }
  return Status::Good;
}

std::optional<std::string> encode_frame(std::string_view payload, std::size_t max_payload) {
  if (payload.empty() || payload.size() > max_payload) return std::nullopt;
  const auto n = static_cast<std::uint32_t>(payload.size());
  std::string out;
  out.reserve(kFrameHeaderBytes + payload.size());
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(payload);
  return out;
}

}  // namespace attune
