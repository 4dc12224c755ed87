// The check number a partner compares with the coach's screen (issue 15):
// the same for the same key every time, different for different keys, and
// twelve digits in three groups a person can read aloud.
#include "attune/crypto/check_number.hpp"

#include <gtest/gtest.h>

#include <sodium.h>

#include <set>

#include "attune/crypto/sodium_init.hpp"

namespace attune::crypto {
namespace {

PublicKey counting_key() {
  PublicKey key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  return key;
}

TEST(CheckNumber, IsStableForAKeyAndReadsAsThreeGroupsOfFour) {
  const PublicKey key = counting_key();
  EXPECT_EQ(check_number(key), check_number(key));
  // Computed separately, with Python's hashlib.blake2b(key, key=label, digest_size=16).
  EXPECT_EQ(check_digits(key), "570394566690");
  EXPECT_EQ(check_number(key), "5703 9456 6690");
  PublicKey ones{};
  ones.fill(0xff);
  EXPECT_EQ(check_number(ones), "8269 2556 4274");
}

TEST(CheckNumber, DiffersForDifferentKeysEvenOneBitApart) {
  ASSERT_TRUE(init_crypto());
  std::set<std::string> seen;
  const PublicKey base = counting_key();
  seen.insert(check_number(base));
  for (std::size_t byte = 0; byte < base.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      PublicKey flipped = base;
      flipped[byte] = static_cast<std::uint8_t>(flipped[byte] ^ (1u << bit));
      seen.insert(check_number(flipped));
    }
  }
  EXPECT_EQ(seen.size(), 1u + 32u * 8u);  // Every one of the 257 keys has its own number.
  for (int i = 0; i < 200; ++i) {
    Seed seed;
    randombytes_buf(seed.data(), seed.size());
    const std::string number = check_number(DeviceIdentity("coach", seed).public_key());
    ASSERT_EQ(number.size(), 14u);
    EXPECT_EQ(number[4], ' ');
    EXPECT_EQ(number[9], ' ');
    seen.insert(number);
  }
  EXPECT_EQ(seen.size(), 257u + 200u);
}

}  // namespace
}  // namespace attune::crypto
