// proto/README.md's coin vectors ("Step 4"), checked against the engine: the
// host's draw gives the side each row names, and the documented hash of the
// row's inputs is the row's `h`. So a second host built from the paragraph
// and the reference host pick the same partner.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "attune/engine.hpp"
#include "doc_section.hpp"
#include "session_driver.hpp"

namespace attune::contract {
namespace {

// The paragraph's formula, as a second implementation would write it.
std::uint64_t documented_h(const std::string& session_id, std::int64_t now) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::uint8_t b) {
    h ^= b;
    h *= 1099511628211ULL;
  };
  for (const char ch : session_id) mix(static_cast<std::uint8_t>(ch));
  for (int i = 0; i < 8; ++i) mix(static_cast<std::uint8_t>(static_cast<std::uint64_t>(now) >> (8 * i)));
  h ^= h >> 29;
  return h;
}

std::string hex16(std::uint64_t v) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(v));
  return out;
}

// The table sits inside a list item, so its lines are indented.
std::vector<std::vector<std::string>> vector_rows() {
  const auto text = read_contract(source_dir() / "proto" / "README.md", "coin-vectors");
  if (!text) return {};
  std::istringstream in(*text);
  std::string flush_left;
  for (std::string line; std::getline(in, line);) {
    const auto start = line.find_first_not_of(' ');
    flush_left += (start == std::string::npos ? std::string() : line.substr(start)) + "\n";
  }
  return markdown_rows(flush_left);
}

TEST(CoinDoc, TheDocumentsCoinVectorsAreWhatTheHostDraws) {
  const auto rows = vector_rows();
  ASSERT_GE(rows.size(), 2u) << "proto/README.md's coin-vectors table is missing or short";
  bool saw_a = false;
  bool saw_b = false;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 4u);
    const std::string session_id = unquoted(row[0]);
    const std::int64_t now = std::stoll(unquoted(row[1]));
    const std::string first = unquoted(row[3]);
    EXPECT_EQ(hex16(documented_h(session_id, now)), unquoted(row[2])) << session_id << " " << now;

    // The engine's own draw: A asked for it, B accepts at `now`.
    test::SessionDriver d;
    d.to_who_first();
    d.ok(test::kA, test::make::request_draw());
    State before = d.state();
    before.set_session_id(session_id);
    const Result drawn =
        apply(before, test::make::accept_first(), Actor::participant(test::kB), from_ms(now));
    ASSERT_TRUE(drawn.accepted()) << session_id << " " << now;
    const v1::Role decided = drawn.state.who_first().decided();
    EXPECT_EQ(decided == v1::ROLE_PARTNER_A ? "ROLE_PARTNER_A" : "ROLE_PARTNER_B", first)
        << session_id << " " << now;
    saw_a = saw_a || first == "ROLE_PARTNER_A";
    saw_b = saw_b || first == "ROLE_PARTNER_B";
  }
  EXPECT_TRUE(saw_a && saw_b) << "the vectors should show both sides of the coin";
}

}  // namespace
}  // namespace attune::contract
