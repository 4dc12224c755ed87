// proto/INVITE.md, section 1, "When an entry's seats are written" (reader 9,
// M2): the pin-seats table is played in order against one data folder, a
// code pairing as a real pin, each state through SeatPins, and after each
// row the entry must hold exactly the seats the table gives.
#include <gtest/gtest.h>
#include <sodium.h>

#include <optional>
#include <regex>
#include <string>

#include "attune/crypto/sodium_init.hpp"
#include "doc_section.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/seat_pins.hpp"
#include "peer_process.hpp"

namespace attune::identity {
namespace {

constexpr const char* kMe = "this-laptop";
constexpr const char* kThem = "that-laptop";

v1::Role role_named(const std::string& name) {
  v1::Role role = v1::ROLE_UNSPECIFIED;
  EXPECT_TRUE(v1::Role_Parse("ROLE_" + name, &role)) << name;
  return role;
}

// "this device `PARTNER_A`, that device `PARTNER_B`, waiting": the roster.
v1::SessionState state_from(const std::string& text) {
  v1::SessionState state;
  static const std::regex seat("(this|that) device `(\\w+)`");
  for (std::sregex_iterator it(text.begin(), text.end(), seat), end; it != end; ++it) {
    auto* p = state.add_participants();
    p->set_id((*it)[1] == "this" ? kMe : kThem);
    p->set_role(role_named((*it)[2]));
    p->set_display_name((*it)[1] == "this" ? "Alex" : "Sam");
    p->set_admitted(text.find("waiting") == std::string::npos);
  }
  return state;
}

TEST(PinSeatsDoc, EveryRowLeavesTheSeatsTheDocumentSays) {
  ASSERT_TRUE(crypto::init_crypto());
  // The table sits inside a list item, indented: read it without the indent.
  const auto doc = contract::read_contract(contract::source_dir() / "proto" / "INVITE.md", "pin-seats");
  ASSERT_TRUE(doc) << "proto/INVITE.md lost its pin-seats table";
  const auto rows = contract::markdown_rows(std::regex_replace(*doc, std::regex("(^|\n) +\\|"), "$1|"));
  ASSERT_GE(rows.size(), 5u);
  for (const auto& row : rows) ASSERT_EQ(row.size(), 2u) << row[0];
  test::TempDir dir;
  const auto data = dir.path() / "data";
  crypto::PeerIdentity them{kThem, {}};
  randombytes_buf(them.public_key.data(), them.public_key.size());
  SeatPins seats(data, kMe);
  for (const auto& row : rows) {
    if (row[0].find("code pairing") != std::string::npos) {
      PinnedPeerStore pins(data);
      ASSERT_EQ(pins.load(), std::nullopt);
      ASSERT_EQ(pins.pin(them, 1), std::nullopt) << row[0];
    } else {
      ASSERT_NE(row[0].find("state"), std::string::npos) << "a row is a code pairing or a state: " << row[0];
      ASSERT_EQ(seats.saw(state_from(row[0])), "") << row[0];
    }
    PinnedPeerStore pins(data);
    ASSERT_EQ(pins.load(), std::nullopt);
    const auto entry = pins.find(kThem);
    ASSERT_TRUE(entry) << row[0];
    if (row[1] == "none") {
      EXPECT_EQ(entry->role, v1::ROLE_UNSPECIFIED) << row[0];
      EXPECT_EQ(entry->my_role, v1::ROLE_UNSPECIFIED) << row[0];
      EXPECT_TRUE(seat_unknown(*entry)) << row[0];
      continue;
    }
    static const std::regex two("`(\\w+)`, `(\\w+)`");
    std::smatch m;
    ASSERT_TRUE(std::regex_match(row[1], m, two)) << row[1];
    EXPECT_EQ(entry->role, role_named(m[1])) << row[0];
    EXPECT_EQ(entry->my_role, role_named(m[2])) << row[0];
  }
}

}  // namespace
}  // namespace attune::identity
