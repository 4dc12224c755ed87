#include "attune/discovery/invite_code.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>

#include "attune/v1/discovery.pb.h"
#include "invite_from.hpp"

namespace attune::discovery {
namespace {

InviteInfo sample() {
  InviteInfo i;
  i.addresses = {"10.8.0.2", "fd7a:115c:a1e0::1234"};
  i.host_names = {"sams-laptop.tailnet.ts.net"};
  i.port = 47000;
  i.session_code = "482913";
  return i;
}

TEST(Base32, RoundTripsEveryLength) {
  std::mt19937 rng(3);
  for (size_t n = 0; n < 40; ++n) {
    std::string bytes(n, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    const auto text = base32_encode(bytes);
    EXPECT_EQ(text.size(), (n * 8 + 4) / 5);
    EXPECT_EQ(base32_decode(text), bytes);
  }
  EXPECT_EQ(base32_encode("foobar"), "mzxw6ytboi");  // RFC 4648 test vector, lowercase.
  EXPECT_EQ(base32_decode("MZXW6YTBOI"), "foobar");
  EXPECT_FALSE(base32_decode("mzxw6ytbo1").has_value());  // '1' is not base32.
  EXPECT_FALSE(base32_decode("a").has_value());           // Impossible length.
}

TEST(Invite, RoundTripsAndIsCompactAndChatSafe) {
  const auto enc = encode_invite(sample());
  ASSERT_EQ(enc.error, InviteError::None);
  EXPECT_TRUE(enc.text.starts_with("attune:"));
  EXPECT_LT(enc.text.size(), 160u);
  // Only lowercase letters and digits after the prefix: nothing a chat app formats.
  EXPECT_TRUE(std::all_of(enc.text.begin() + 7, enc.text.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(c);
  }));
  const auto parsed = parse_invite(enc.text);
  ASSERT_EQ(parsed.error, InviteError::None) << describe(parsed.error);
  EXPECT_EQ(*parsed.invite, sample());
}

TEST(Invite, SurvivesWhatChatsDoToText) {
  const auto text = encode_invite(sample()).text;
  std::string upper = text;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  EXPECT_EQ(parse_invite(upper).invite, sample());
  // Wrapped across lines and padded with spaces.
  const std::string wrapped =
      "  " + text.substr(0, 20) + "\n" + text.substr(20, 15) + " -" + text.substr(35) + "\n";
  EXPECT_EQ(parse_invite(wrapped).invite, sample());
}

TEST(Invite, EverySingleCharacterChangeIsCaught) {
  const auto text = encode_invite(sample()).text;
  int caught = 0;
  int total = 0;
  for (size_t i = 7; i < text.size(); ++i) {
    for (const char c : std::string("abcdefghijklmnopqrstuvwxyz234567")) {
      if (c == text[i]) continue;
      std::string changed = text;
      changed[i] = c;
      ++total;
      const auto p = parse_invite(changed);
      if (!p.invite) ++caught;
    }
  }
  EXPECT_EQ(caught, total);
}

TEST(Invite, GarbageGivesClearErrors) {
  EXPECT_EQ(parse_invite("").error, InviteError::Empty);
  EXPECT_EQ(parse_invite("   \n").error, InviteError::Empty);
  EXPECT_EQ(parse_invite("hello there").error, InviteError::MissingPrefix);
  EXPECT_EQ(parse_invite("attune:").error, InviteError::Truncated);
  EXPECT_EQ(parse_invite("attune:abc!def").error, InviteError::BadCharacter);
  EXPECT_EQ(parse_invite("attune:" + std::string(2000, 'a')).error, InviteError::TooLong);
  EXPECT_EQ(parse_invite(std::string(100000, 'x')).error, InviteError::TooLong);
  const auto text = encode_invite(sample()).text;
  const auto cut = parse_invite(text.substr(0, text.size() - 5));
  EXPECT_FALSE(cut.invite.has_value());
  EXPECT_TRUE(cut.error == InviteError::BadChecksum || cut.error == InviteError::Truncated);
  for (auto e : {InviteError::Empty, InviteError::BadChecksum, InviteError::LinkLocalAddress}) {
    EXPECT_FALSE(describe(e).empty());
  }
}

TEST(Invite, EncodingRefusesUnusableContent) {
  InviteInfo i = sample();
  i.addresses = {"fe80::1"};
  i.host_names.clear();
  EXPECT_EQ(encode_invite(i).error, InviteError::LinkLocalAddress);
  i.addresses = {"fe80::1%eth0"};
  EXPECT_EQ(encode_invite(i).error, InviteError::LinkLocalAddress);
  i.addresses = {"laptop"};
  EXPECT_EQ(encode_invite(i).error, InviteError::BadAddress);
  i.addresses.clear();
  EXPECT_EQ(encode_invite(i).error, InviteError::NoAddress);
  i = sample();
  i.port = 0;
  EXPECT_EQ(encode_invite(i).error, InviteError::BadPort);
  i = sample();
  i.addresses = std::vector<std::string>(kMaxInviteAddresses + 1, "10.0.0.1");
  EXPECT_EQ(encode_invite(i).error, InviteError::TooMany);
  i = sample();
  i.host_names = {"bad name with spaces"};
  EXPECT_EQ(encode_invite(i).error, InviteError::BadAddress);
}

// proto/discovery.md: session_code, when present, is the six-digit pairing
// code; anything else makes the invite invalid (the old example carried
// "5abbfb", which no host can ever accept as a code).
TEST(Invite, ASessionCodeIsEmptyOrTheSixDigitsTheHostShows) {
  InviteInfo i = sample();
  for (const std::string bad : {"5abbfb", "48291", "4829130", "482 913", "482-913"}) {
    i.session_code = bad;
    EXPECT_EQ(encode_invite(i).error, InviteError::BadCode) << bad;
  }
  i.session_code = "";
  EXPECT_EQ(encode_invite(i).error, InviteError::None);
  EXPECT_EQ(parse_invite("attune:bicautiaaeinpoacdiddkylcmjtgfngerdzq").error, InviteError::BadCode);
  // The document's example decodes to what it says.
  const auto example = parse_invite("attune:bicautiaaeinpoacdiddiobsheytgchjslxa");
  ASSERT_EQ(example.error, InviteError::None);
  EXPECT_EQ(example.invite->session_code, "482913");
  EXPECT_EQ(example.invite->port, 40023);
  ASSERT_EQ(example.invite->addresses.size(), 1u);
  EXPECT_EQ(example.invite->addresses[0], "10.77.0.1");
}

// proto/discovery.md: a reader applies the same limits as a writer, so an
// invite from another implementation that carries an IPv6 link-local address
// (unusable off the host's link) or an impossible port is refused.
TEST(Invite, ReadingRefusesWhatMakingRefuses) {
  v1::Invite invite;
  invite.add_addresses(std::string("\x0a\x08\x00\x02", 4));
  invite.set_port(47000);
  ASSERT_EQ(parse_invite(invite_from(invite)).error, InviteError::None);
  std::string link_local(16, '\0');
  link_local[0] = static_cast<char>(0xfe);
  link_local[1] = static_cast<char>(0x80);
  link_local[15] = 1;
  invite.add_addresses(link_local);
  EXPECT_EQ(parse_invite(invite_from(invite)).error, InviteError::LinkLocalAddress);
  invite.clear_addresses();
  invite.add_host_names("laptop.lan");
  EXPECT_EQ(parse_invite(invite_from(invite)).error, InviteError::None);
  invite.set_port(0);
  EXPECT_EQ(parse_invite(invite_from(invite)).error, InviteError::BadPort);
  invite.set_port(65536);
  EXPECT_EQ(parse_invite(invite_from(invite)).error, InviteError::BadPort);
  invite.set_port(47000);
  invite.clear_host_names();
  EXPECT_EQ(parse_invite(invite_from(invite)).error, InviteError::NoAddress);
  invite.add_host_names("laptop\xff.lan");  // Not UTF-8: protobuf refuses the whole payload.
  EXPECT_EQ(parse_invite(invite_from(invite)).error, InviteError::Malformed);
}

TEST(Invite, LooksLikeInvite) {
  EXPECT_TRUE(looks_like_invite("  ATTUNE:abc"));
  EXPECT_FALSE(looks_like_invite("10.0.0.1:47000"));
  EXPECT_FALSE(looks_like_invite("att"));
}

TEST(Invite, RandomPastesNeverCrash) {
  std::mt19937 rng(11);
  for (int n = 0; n < 3000; ++n) {
    std::string s = "attune:";
    const size_t len = rng() % 120;
    for (size_t k = 0; k < len; ++k) s.push_back("abcdefghijklmnopqrstuvwxyz234567"[rng() % 32]);
    const auto p = parse_invite(s);
    if (p.invite) {
      // Passing the CRC by chance is possible but must still give a usable invite.
      EXPECT_NE(p.invite->port, 0);
    } else {
      EXPECT_NE(p.error, InviteError::None);
    }
  }
}

}  // namespace
}  // namespace attune::discovery
