// One reading of "where to join" for the window app and the headless peer.
#include "attune/discovery/join_target.hpp"

#include <gtest/gtest.h>

#include "attune/discovery/invite_code.hpp"

namespace attune::discovery {
namespace {

TEST(JoinTarget, AnInviteGivesItsFirstAddressPortAndCode) {
  InviteInfo info;
  info.addresses = {"192.168.1.20", "fd00::5"};
  info.port = 47000;
  info.session_code = "123456";
  const auto invite = encode_invite(info);
  ASSERT_EQ(invite.error, InviteError::None);
  // Chat apps change case and wrap long words: still the same invite.
  std::string pasted = invite.text;
  for (char& c : pasted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  pasted.insert(20, " -");
  for (const std::string& text : {invite.text, pasted}) {
    const JoinTarget t = parse_join_target(text);
    EXPECT_EQ(t.error, "") << text;
    EXPECT_EQ(t.host, "192.168.1.20");
    EXPECT_EQ(t.port, 47000);
    EXPECT_EQ(t.code, "123456");
  }
}

TEST(JoinTarget, AddressesNeedAPortAndCarryNoCode) {
  const JoinTarget v6 = parse_join_target("[fd00::5]:47000");
  EXPECT_EQ(v6.error, "");
  EXPECT_EQ(v6.host, "fd00::5");
  EXPECT_EQ(v6.port, 47000);
  EXPECT_EQ(v6.code, "");
  EXPECT_EQ(parse_join_target("laptop.lan:47000").host, "laptop.lan");
  EXPECT_NE(parse_join_target("192.168.1.20").error, "");
  EXPECT_NE(parse_join_target("").error, "");
}

TEST(JoinTarget, ADamagedInviteSaysWhyInTheInvitesOwnWords) {
  InviteInfo info;
  info.addresses = {"10.0.0.5"};
  info.port = 47000;
  std::string text = encode_invite(info).text;
  text[text.size() / 2] = text[text.size() / 2] == 'a' ? 'b' : 'a';
  const JoinTarget t = parse_join_target(text);
  EXPECT_EQ(t.error, describe(InviteError::BadChecksum));
  EXPECT_EQ(t.port, 0);
}

// attune-discovery reads targets through the same parser: it tries every
// place an invite names, and lets a bare address use the usual port.
TEST(JoinTarget, AnInviteListsEveryPlaceToTryAndABareAddressCanTakeTheUsualPort) {
  InviteInfo info;
  info.addresses = {"192.168.1.20", "fd00::5"};
  info.host_names = {"alex-laptop.lan"};
  info.port = 47000;
  info.session_code = "123456";
  const JoinTarget t = parse_join_target(encode_invite(info).text, 47000);
  ASSERT_EQ(t.error, "");
  ASSERT_EQ(t.candidates.size(), 3u);
  EXPECT_EQ(t.candidates[0].to_string(), "192.168.1.20:47000");
  EXPECT_EQ(t.candidates[1].to_string(), "[fd00::5]:47000");
  EXPECT_EQ(t.candidates[2].to_string(), "alex-laptop.lan:47000");

  const JoinTarget bare = parse_join_target("192.168.1.20", 47000);
  EXPECT_EQ(bare.error, "");
  EXPECT_EQ(bare.port, 47000);
  ASSERT_EQ(bare.candidates.size(), 1u);
  EXPECT_NE(parse_join_target("192.168.1.20").error, "") << "without a usual port, the port is needed";
}

}  // namespace
}  // namespace attune::discovery
