// Codes: six digits, uniform, and forgiving about how people type them.
#include "attune/pairing/pairing_code.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <cmath>

namespace attune::pairing {
namespace {

using RandomBlock = std::array<std::uint8_t, kCodeRandomBytes>;

TEST(PairingCode, TakesTheFirstTwentyBitsWhenInRange) {
  RandomBlock zero{};
  EXPECT_EQ(make_code(zero), "000000");
  // 999999 = 0xF423F in the first 20 bits.
  RandomBlock top{};
  top[0] = 0xF4;
  top[1] = 0x23;
  top[2] = 0xF0;
  EXPECT_EQ(make_code(top), "999999");
}

TEST(PairingCode, RejectsOutOfRangeDrawsInsteadOfWrappingThem) {
  // First 20 bits = 1,000,000 (0xF4240): rejected, not wrapped to 000000.
  // The next 20 bits are 0x00001 -> "000001".
  RandomBlock block{};
  block[0] = 0xF4;
  block[1] = 0x24;
  block[2] = 0x00;
  block[3] = 0x00;
  block[4] = 0x01;
  EXPECT_EQ(make_code(block), "000001");
}

TEST(PairingCode, AllDrawsRejectedGivesNoCode) {
  RandomBlock ones;
  ones.fill(0xFF);
  EXPECT_EQ(make_code(ones), std::nullopt);
}

TEST(PairingCode, CodesAreSixDigitsAndEvenlySpread) {
  ASSERT_GE(sodium_init(), 0);
  constexpr int kDraws = 50'000;
  std::array<int, 10> first_digit{};
  for (int i = 0; i < kDraws; ++i) {
    RandomBlock block;
    randombytes_buf(block.data(), block.size());
    const auto code = make_code(block);
    ASSERT_TRUE(code.has_value());
    ASSERT_EQ(code->size(), 6u);
    ++first_digit[static_cast<std::size_t>((*code)[0] - '0')];
  }
  // Chi-square over the leading digit, 9 degrees of freedom; 27.9 is the
  // 0.1% critical value, so an honest generator fails this once in 1000 runs.
  double chi2 = 0;
  const double expected = kDraws / 10.0;
  for (int n : first_digit) chi2 += (n - expected) * (n - expected) / expected;
  EXPECT_LT(chi2, 27.9);
}

TEST(PairingCode, NormalizesWhatPeopleType) {
  EXPECT_EQ(normalize_code("123456"), "123456");
  EXPECT_EQ(normalize_code("123 456"), "123456");
  EXPECT_EQ(normalize_code(" 12-34-56 "), "123456");
  EXPECT_EQ(normalize_code("12345"), std::nullopt);
  EXPECT_EQ(normalize_code("1234567"), std::nullopt);
  EXPECT_EQ(normalize_code("12a456"), std::nullopt);
  EXPECT_EQ(normalize_code(""), std::nullopt);
  EXPECT_EQ(display_code("123456"), "123 456");
}

}  // namespace
}  // namespace attune::pairing
