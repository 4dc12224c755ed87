// The encrypted channel: frames go through intact and in order, and every
// kind of interference closes the channel with its own named error.
#include "attune/crypto/secure_channel.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>
#include <string>

#include "attune/crypto/sodium_init.hpp"

namespace attune::crypto {
namespace {

Key key_filled(std::uint8_t v) {
  Key k;
  k.bytes.fill(v);
  return k;
}

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }
std::string str(const Bytes& b) { return std::string(b.begin(), b.end()); }

class SecureChannelTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(init_crypto()); }
  // Alice sends with key 1 and receives with key 2; Bob the other way round.
  SecureChannel alice{ChannelKeys{key_filled(1), key_filled(2)}};
  SecureChannel bob{ChannelKeys{key_filled(2), key_filled(1)}};
};

TEST_F(SecureChannelTest, FramesArriveIntactInBothDirections) {
  for (int i = 0; i < 5; ++i) {
    const std::string msg = "share " + std::to_string(i);
    const OpenedFrame got = bob.open(alice.seal(text(msg)));
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got.kind, FrameKind::Data);
    EXPECT_EQ(str(got.payload), msg);
    const OpenedFrame back = alice.open(bob.seal(text("heard " + std::to_string(i))));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(str(back.payload), "heard " + std::to_string(i));
  }
  EXPECT_EQ(alice.frames_sent(), 5u);
  EXPECT_EQ(bob.frames_received(), 5u);
  // An empty payload is a valid frame too.
  const OpenedFrame empty = bob.open(alice.seal({}));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.payload.empty());
}

TEST_F(SecureChannelTest, PlaintextDoesNotAppearOnTheWire) {
  const std::string secret = "my activation is 8 and I felt unheard";
  const Bytes frame = alice.seal(text(secret));
  EXPECT_EQ(str(frame).find("activation"), std::string::npos);
  EXPECT_EQ(str(frame).find("unheard"), std::string::npos);
}

TEST_F(SecureChannelTest, ModifiedCiphertextIsRefused) {
  Bytes frame = alice.seal(text("hello"));
  frame[kFrameHeaderBytes + 2] ^= 0x01;
  const OpenedFrame got = bob.open(frame);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(*got.error, ChannelError::Modified);
  // The channel stays closed even for a genuine frame afterwards.
  EXPECT_EQ(*bob.open(alice.seal(text("next"))).error, ChannelError::Broken);
}

TEST_F(SecureChannelTest, ModifiedTagOrHeaderIsRefused) {
  Bytes tag_flip = alice.seal(text("hello"));
  tag_flip.back() ^= 0x80;
  EXPECT_EQ(*bob.open(tag_flip).error, ChannelError::Modified);

  SecureChannel a2{ChannelKeys{key_filled(1), key_filled(2)}};
  SecureChannel b2{ChannelKeys{key_filled(2), key_filled(1)}};
  Bytes counter_flip = a2.seal(text("hello"));
  counter_flip[7] ^= 0x01;  // Claims to be frame 1: authentication must fail, not "reordered".
  EXPECT_EQ(*b2.open(counter_flip).error, ChannelError::Modified);
}

TEST_F(SecureChannelTest, ExtraBytesAreRefusedAsModified) {
  Bytes frame = alice.seal(text("hello"));
  frame.push_back(0);
  EXPECT_EQ(*bob.open(frame).error, ChannelError::Modified);
}

TEST_F(SecureChannelTest, ReplayedFrameIsRefused) {
  const Bytes first = alice.seal(text("one"));
  const Bytes second = alice.seal(text("two"));
  ASSERT_TRUE(bob.open(first).ok());
  ASSERT_TRUE(bob.open(second).ok());
  const OpenedFrame again = bob.open(first);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(*again.error, ChannelError::Replayed);
}

TEST_F(SecureChannelTest, ReorderedFrameIsRefused) {
  const Bytes first = alice.seal(text("one"));
  const Bytes second = alice.seal(text("two"));
  const OpenedFrame early = bob.open(second);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(*early.error, ChannelError::Reordered);
  EXPECT_EQ(*bob.open(first).error, ChannelError::Broken);
}

TEST_F(SecureChannelTest, TruncatedFrameIsRefused) {
  const Bytes frame = alice.seal(text("a longer message that gets cut"));
  const Bytes cut(frame.begin(), frame.end() - 5);
  EXPECT_EQ(*bob.open(cut).error, ChannelError::Truncated);

  SecureChannel b2{ChannelKeys{key_filled(2), key_filled(1)}};
  const Bytes tiny(frame.begin(), frame.begin() + 10);
  EXPECT_EQ(*b2.open(tiny).error, ChannelError::Truncated);
}

TEST_F(SecureChannelTest, StreamEndingWithoutGoodbyeIsTruncated) {
  ASSERT_TRUE(bob.open(alice.seal(text("one"))).ok());
  EXPECT_EQ(bob.end_of_stream(), ChannelError::Truncated);
}

TEST_F(SecureChannelTest, CleanCloseIsNotAnError) {
  ASSERT_TRUE(bob.open(alice.seal(text("bye for now"))).ok());
  const OpenedFrame close = bob.open(alice.seal_close());
  ASSERT_TRUE(close.ok());
  EXPECT_EQ(close.kind, FrameKind::Close);
  EXPECT_TRUE(bob.peer_closed());
  EXPECT_EQ(bob.end_of_stream(), std::nullopt);
  EXPECT_THROW(alice.seal(text("too late")), std::logic_error);
}

TEST_F(SecureChannelTest, CloseFrameCarriesItsReason) {
  // proto/README.md "Closing": the goodbye says why, authenticated like data.
  const OpenedFrame close = bob.open(alice.seal_close(text("going away for now")));
  ASSERT_TRUE(close.ok());
  EXPECT_EQ(close.kind, FrameKind::Close);
  EXPECT_EQ(std::string(close.payload.begin(), close.payload.end()), "going away for now");
  EXPECT_EQ(bob.end_of_stream(), std::nullopt);
}

TEST_F(SecureChannelTest, FrameAfterCloseIsRefused) {
  const Bytes first = alice.seal(text("a"));
  const Bytes close = alice.seal_close();
  // A genuine-looking third frame (same keys, counter 2) after the goodbye.
  SecureChannel twin{ChannelKeys{key_filled(1), key_filled(2)}};
  twin.seal(text("x"));
  twin.seal(text("y"));
  const Bytes third = twin.seal(text("z"));
  ASSERT_TRUE(bob.open(first).ok());
  ASSERT_TRUE(bob.open(close).ok());
  EXPECT_EQ(*bob.open(third).error, ChannelError::AfterClose);
}

TEST_F(SecureChannelTest, ReflectedFrameIsRefused) {
  // A frame bounced back to its sender must not open: keys are per direction.
  const Bytes frame = alice.seal(text("hello"));
  EXPECT_EQ(*alice.open(frame).error, ChannelError::Modified);
}

TEST_F(SecureChannelTest, FrameFromAnotherSessionIsRefused) {
  SecureChannel stranger{ChannelKeys{key_filled(9), key_filled(8)}};
  EXPECT_EQ(*bob.open(stranger.seal(text("hi"))).error, ChannelError::Modified);
}

// What an eavesdropper sees of a frame is its size; it must tell a bucket,
// never a share's length. Header 12 + tag 16 around the padded plaintext.
constexpr std::size_t kAroundPadded = 12 + 16;

TEST_F(SecureChannelTest, TwoSharesOfDifferentLengthsInOneBucketSealToTheSameSize) {
  const Bytes short_share = alice.seal(text("I felt hurt"));
  const Bytes long_share = alice.seal(text(std::string(
      "I felt hurt and alone when you left the party without me, and I kept checking my phone all night "
      "hoping you would write, and nothing came; I felt small.")));
  EXPECT_EQ(short_share.size(), long_share.size());
  EXPECT_EQ(short_share.size(), 256 + kAroundPadded);
  // A heartbeat-sized message looks the same as a share, too.
  EXPECT_EQ(alice.seal({}).size(), short_share.size());
  // Past the first bucket, the next one: 512.
  EXPECT_EQ(alice.seal(text(std::string(300, 'a'))).size(), 512 + kAroundPadded);
  EXPECT_EQ(alice.seal(text(std::string(500, 'a'))).size(), 512 + kAroundPadded);
}

TEST_F(SecureChannelTest, EverySealedSizeIsABucketAndEveryPayloadComesBackExactly) {
  std::set<std::size_t> buckets{65504};
  for (std::size_t b = 256; b <= 32768; b *= 2) buckets.insert(b);
  std::set<std::size_t> seen;
  for (std::size_t len : {0, 1, 254, 255, 256, 511, 1000, 4095, 8192, 20000, 32766, 32767, 40000, 65502}) {
    const Bytes payload(len, static_cast<std::uint8_t>(0x80));  // The marker byte itself, to be sure.
    const Bytes frame = alice.seal(payload);
    const std::size_t padded = frame.size() - kAroundPadded;
    EXPECT_TRUE(buckets.count(padded)) << len << " bytes sealed to " << frame.size();
    EXPECT_GT(padded, len) << len;
    seen.insert(padded);
    const OpenedFrame got = bob.open(frame);
    ASSERT_TRUE(got.ok()) << len;
    EXPECT_EQ(got.payload, payload) << len;
  }
  EXPECT_LT(seen.size(), 10u);  // 14 lengths, far fewer sizes.
  EXPECT_TRUE(bob.open(alice.seal_close()).ok());
}

TEST_F(SecureChannelTest, AuthenticFrameWithoutPaddingIsRefused) {
  // Sealed with the right key and counter, but no padding marker: only a
  // broken or foreign sender makes this, and it is refused, not guessed at.
  const Bytes plain = {0, 'h', 'i', 0, 0, 0};
  Bytes frame = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(plain.size() + 16)};
  std::array<std::uint8_t, 24> nonce{};
  frame.resize(12 + plain.size() + 16);
  unsigned long long written = 0;
  const Key key = key_filled(1);
  crypto_aead_xchacha20poly1305_ietf_encrypt(frame.data() + 12, &written, plain.data(), plain.size(),
                                             frame.data(), 12, nullptr, nonce.data(), key.data());
  EXPECT_EQ(bob.open(frame).error, ChannelError::Modified);
}

TEST_F(SecureChannelTest, AFrameRefusedForItsSizeUsesNoCounter) {
  // Issue 12: a message sealed and then dropped as too big used up a counter,
  // so every later frame looked out of order. Refused first, it uses none.
  const Bytes big(70000, 0x78);
  EXPECT_FALSE(alice.seal_within(big, 65000));
  EXPECT_EQ(alice.frames_sent(), 0u);
  const auto next = alice.seal_within(text("still in order"), 65000);
  ASSERT_TRUE(next);
  EXPECT_TRUE(bob.open(*next).ok());
  EXPECT_EQ(alice.frames_sent(), 1u);
}

TEST_F(SecureChannelTest, EveryErrorHasPlainText) {
  for (ChannelError e : {ChannelError::Truncated, ChannelError::Modified, ChannelError::Replayed,
                         ChannelError::Reordered, ChannelError::AfterClose, ChannelError::Broken}) {
    EXPECT_FALSE(describe(e).empty());
  }
}

}  // namespace
}  // namespace attune::crypto
