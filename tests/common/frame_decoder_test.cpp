#include "attune/frame_decoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attune/wire_codec.hpp"

namespace attune {
namespace {

std::string header(uint32_t n) {
  return {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
          static_cast<char>(n)};
}

TEST(FrameDecoder, HandsOutWholeFramesFedAtOnce) {
  FrameDecoder decoder;
  const auto a = encode_frame("hello");
  const auto b = encode_frame("world!");
  ASSERT_TRUE(a && b);
  decoder.feed(*a + *b);
  std::string payload;
  ASSERT_EQ(decoder.next(payload), FrameDecoder::Status::Good);
  EXPECT_EQ(payload, "hello");
  ASSERT_EQ(decoder.next(payload), FrameDecoder::Status::Good);
  EXPECT_EQ(payload, "world!");
  EXPECT_EQ(decoder.next(payload), FrameDecoder::Status::NeedMore);
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(FrameDecoder, ByteAtATimeGivesTheSameFrames) {
  std::vector<std::string> sent = {"a", std::string(300, 'x'), std::string(kMaxFramePayload, 'm'), "z"};
  std::string stream;
  for (const auto& s : sent) stream += *encode_frame(s);

  FrameDecoder decoder;
  std::vector<std::string> got;
  std::string payload;
  for (char c : stream) {
    decoder.feed(std::string_view(&c, 1));
    for (;;) {
      const auto status = decoder.next(payload);
      ASSERT_NE(status, FrameDecoder::Status::Bad);
      if (status == FrameDecoder::Status::NeedMore) break;
      got.push_back(payload);
    }
  }
  EXPECT_EQ(got, sent);
}

TEST(FrameDecoder, RefusesAnOversizedLengthBeforeItsBodyArrives) {
  FrameDecoder decoder;
  // Only the header: the decoder must judge the length without the body.
  decoder.feed(header(kMaxFramePayload + 1));
  std::string payload;
  EXPECT_EQ(decoder.next(payload), FrameDecoder::Status::Bad);
  EXPECT_TRUE(decoder.too_large());
  EXPECT_NE(decoder.error().find("limit"), std::string::npos);
  // Once broken, it stays broken whatever comes next.
  decoder.feed(*encode_frame("fine"));
  EXPECT_EQ(decoder.next(payload), FrameDecoder::Status::Bad);
}

TEST(FrameDecoder, AHugeLengthCostsNoMemory) {
  FrameDecoder decoder;
  decoder.feed(header(0xffffffffu));
  std::string payload;
  EXPECT_EQ(decoder.next(payload), FrameDecoder::Status::Bad);
  EXPECT_LE(decoder.buffered(), kFrameHeaderBytes);
}

TEST(FrameDecoder, ExactlyTheLimitIsAccepted) {
  FrameDecoder decoder;
  decoder.feed(*encode_frame(std::string(kMaxFramePayload, 'q')));
  std::string payload;
  EXPECT_EQ(decoder.next(payload), FrameDecoder::Status::Good);
  EXPECT_EQ(payload.size(), kMaxFramePayload);
}

TEST(FrameDecoder, AnEmptyFrameIsBad) {
  FrameDecoder decoder;
  decoder.feed(header(0));
  std::string payload;
  EXPECT_EQ(decoder.next(payload), FrameDecoder::Status::Bad);
  EXPECT_FALSE(decoder.error().empty());
}

TEST(FrameDecoder, ATruncatedFrameWaitsAndCountsWhatArrived) {
  FrameDecoder decoder;
  const auto frame = *encode_frame("truncated message");
  decoder.feed(std::string_view(frame).substr(0, 9));
  std::string payload;
  EXPECT_EQ(decoder.next(payload), FrameDecoder::Status::NeedMore);
  EXPECT_EQ(decoder.buffered(), 9u);
  decoder.feed(std::string_view(frame).substr(9));
  EXPECT_EQ(decoder.next(payload), FrameDecoder::Status::Good);
  EXPECT_EQ(payload, "truncated message");
}

TEST(FrameEncoder, RefusesPayloadsAboveTheLimit) {
  EXPECT_FALSE(encode_frame(std::string(kMaxFramePayload + 1, 'x')));
  EXPECT_FALSE(encode_frame(""));
  const auto frame = encode_frame("abc");
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->substr(0, 4), header(3));
}

TEST(WireCodec, RoundTripsAnEnvelope) {
  v1::Envelope hello;
  hello.mutable_hello()->set_device_id("device-1");
  hello.mutable_hello()->set_last_seq(42);
  const auto frame = encode_envelope(hello);
  ASSERT_TRUE(frame);
  FrameDecoder decoder;
  decoder.feed(*frame);
  std::string payload;
  ASSERT_EQ(decoder.next(payload), FrameDecoder::Status::Good);
  v1::Envelope back;
  EXPECT_FALSE(decode_envelope(payload, back));
  EXPECT_EQ(back.hello().device_id(), "device-1");
  EXPECT_EQ(back.hello().last_seq(), 42u);
}

TEST(WireCodec, NamesGarbageAndUnknownMessages) {
  v1::Envelope out;
  const auto garbage = decode_envelope("\xff\xff\xff\xff", out);
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->error, WireError::Malformed);

  // Field 99 is a message kind from a future version: parses, but unknown.
  const std::string future("\x9a\x06\x00", 3);
  const auto unknown = decode_envelope(future, out);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->error, WireError::UnknownMessage);
}

}  // namespace
}  // namespace attune
