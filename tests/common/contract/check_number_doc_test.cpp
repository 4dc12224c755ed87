// proto/README.md's check-number vectors ("Ratings for the coach"), checked
// against the code, so the document and check_number() never drift.
#include <gtest/gtest.h>
#include <sodium.h>

#include "attune/crypto/bytes.hpp"
#include "attune/crypto/check_number.hpp"
#include "doc_section.hpp"

namespace attune::contract {
namespace {

std::string unquote(std::string cell) {
  std::erase(cell, '`');
  return cell;
}

TEST(CheckNumberDoc, TheDocumentsVectorsAreWhatTheCodeShows) {
  const auto doc = read_contract(source_dir() / "proto" / "README.md", "check-number-vectors");
  ASSERT_TRUE(doc) << "proto/README.md lost its check-number vectors";
  const auto rows = markdown_rows(*doc);
  ASSERT_GE(rows.size(), 2u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 3u);
    const auto key_bytes = crypto::from_hex(unquote(row[0]));
    ASSERT_TRUE(key_bytes && key_bytes->size() == crypto::kPublicKeyBytes) << row[0];
    crypto::PublicKey key{};
    std::copy(key_bytes->begin(), key_bytes->end(), key.begin());
    std::array<std::uint8_t, 16> digest{};
    crypto_generichash(digest.data(), digest.size(), key.data(), key.size(),
                       reinterpret_cast<const unsigned char*>(crypto::kCheckNumberLabel.data()),
                       crypto::kCheckNumberLabel.size());
    EXPECT_EQ(crypto::to_hex(crypto::view_of(digest)), unquote(row[1]));
    EXPECT_EQ(crypto::check_number(key), unquote(row[2]));
  }
}

}  // namespace
}  // namespace attune::contract
