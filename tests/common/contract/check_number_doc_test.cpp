// proto/README.md's check-number vectors ("Ratings for the coach"), checked
// against the code, so the document and check_number() never drift.
#include <gtest/gtest.h>
#include <sodium.h>

#include "attune/crypto/bytes.hpp"
#include "attune/crypto/check_number.hpp"
#include "doc_section.hpp"

namespace attune::contract {
namespace {

TEST(CheckNumberDoc, TheDocumentsVectorsAreWhatTheCodeShows) {
  std::string problem;
  const auto rows = contract_table(source_dir() / "proto" / "README.md", "check-number-vectors", 3, 2, &problem);
  ASSERT_TRUE(rows) << problem;
  for (const auto& row : *rows) {
    const auto key_bytes = crypto::from_hex(unquoted(row[0]));
    ASSERT_TRUE(key_bytes && key_bytes->size() == crypto::kPublicKeyBytes) << row[0];
    crypto::PublicKey key{};
    std::copy(key_bytes->begin(), key_bytes->end(), key.begin());
    std::array<std::uint8_t, 16> digest{};
    crypto_generichash(digest.data(), digest.size(), key.data(), key.size(),
                       reinterpret_cast<const unsigned char*>(crypto::kCheckNumberLabel.data()),
                       crypto::kCheckNumberLabel.size());
    EXPECT_EQ(crypto::to_hex(crypto::view_of(digest)), unquoted(row[1]));
    EXPECT_EQ(crypto::check_number(key), unquoted(row[2]));
  }
}

}  // namespace
}  // namespace attune::contract
