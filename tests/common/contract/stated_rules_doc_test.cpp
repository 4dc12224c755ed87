// Small rules the documents state in words (reader 9: L2, L8, L10, L12),
// each read from its document and checked against the code that keeps it.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "../discovery/invite_from.hpp"
#include "attune/discovery/host_address.hpp"
#include "attune/discovery/join_target.hpp"
#include "attune/journal/follow_up.hpp"
#include "attune/journal/rupture.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/v1/wire.pb.h"
#include "doc_between.hpp"
#include "doc_section.hpp"

namespace attune::contract {
namespace {

std::vector<std::string> spans(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex span("`([^`]*)`");
  for (std::sregex_iterator it(text.begin(), text.end(), span), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

// discovery.md, "Addresses typed by hand": every form parses; the session
// joiner, which has no default port, takes exactly those that carry one.
TEST(AddressesDoc, EveryFormParsesAndTheSessionJoinerNeedsThePort) {
  const std::string doc = read_text(source_dir() / "proto" / "discovery.md");
  const auto forms = spans(between(doc, "## Addresses typed by hand", "all parse"));
  ASSERT_GE(forms.size(), 8u);
  for (const auto& form : forms) {
    const auto parsed = discovery::parse_host_address(form, 47000);
    ASSERT_TRUE(parsed.address) << form << ": " << parsed.error;
    const bool has_port = std::regex_search(form, std::regex("(^[^:]*|\\]):[0-9]+$"));
    const auto target = discovery::parse_join_target(form);
    EXPECT_EQ(target.error.empty(), has_port) << form << ": " << target.error;
    if (!has_port) {
      EXPECT_EQ(parsed.address->port, 47000) << form;
    }
  }
  EXPECT_NE(doc.find("A port is 1..65535 in decimal (0 is refused)."), std::string::npos);
  EXPECT_TRUE(discovery::parse_host_address("10.0.0.5:65535", 0).address);
  EXPECT_FALSE(discovery::parse_host_address("10.0.0.5:65536", 0).address);
  EXPECT_FALSE(discovery::parse_host_address("10.0.0.5:0", 47000).address);
}

// discovery.md, "The order of these checks" (reader 11, L4): the first bad
// address names the error, and a link-local one reads differently from one
// of a wrong length.
TEST(InviteOrderDoc, TheFirstBadAddressNamesTheErrorInItsOwnWords) {
  const std::string doc = read_squeezed(source_dir() / "proto" / "discovery.md");
  const std::string rule =
      between(doc, "(1) each address in order, the first bad one naming the error:", "; (2)");
  const std::string link_local_words = between(rule, "link-local sentence (\"", "\")");
  const std::string address_words = between(rule, "the address sentence (\"", "\")");
  ASSERT_FALSE(link_local_words.empty() || address_words.empty()) << rule;
  EXPECT_NE(rule.find("an IPv6 link-local one gives the link-local sentence"), std::string::npos) << rule;
  EXPECT_NE(rule.find("one of neither 4 nor 16 bytes the address sentence"), std::string::npos) << rule;

  std::string link_local(16, '\0');
  link_local[0] = static_cast<char>(0xfe);
  link_local[1] = static_cast<char>(0x80);
  link_local[15] = 1;
  const std::string five_bytes("\x0a\x08\x00\x02\x01", 5);
  auto words_for = [](const std::vector<std::string>& addresses) {
    v1::Invite invite;
    for (const auto& a : addresses) invite.add_addresses(a);
    invite.set_port(47000);
    return discovery::describe(discovery::parse_invite(discovery::invite_from(invite)).error);
  };
  EXPECT_TRUE(words_for({link_local}).starts_with(link_local_words)) << words_for({link_local});
  EXPECT_TRUE(words_for({five_bytes}).starts_with(address_words)) << words_for({five_bytes});
  EXPECT_NE(words_for({link_local}), words_for({five_bytes}));
  // In order: whichever bad address comes first decides.
  EXPECT_EQ(words_for({link_local, five_bytes}), words_for({link_local}));
  EXPECT_EQ(words_for({five_bytes, link_local}), words_for({five_bytes}));
  EXPECT_EQ(words_for({std::string("\x0a\x08\x00\x02", 4), five_bytes, link_local}), words_for({five_bytes}));
}

// HANDSHAKE.md section 2 and proto/README.md "Versioning": two numbers.
TEST(VersionsDoc, TheHandshakeAndTheSessionProtocolEachStateTheirOwnNumber) {
  const std::string handshake = read_text(source_dir() / "proto" / "HANDSHAKE.md");
  const std::string proto = read_text(source_dir() / "proto" / "README.md");
  EXPECT_EQ(std::stoul(between(handshake, "`protocol_version` is ", ".")), pairing::kHandshakeVersion);
  EXPECT_EQ(std::stoul(between(proto, "`PROTOCOL_VERSION_CURRENT` (now ", ")")),
            static_cast<unsigned long>(v1::PROTOCOL_VERSION_CURRENT));
}

// README.md, "Your private journal": the range of --gap-days and its words.
TEST(FollowUpDoc, TheGapRangeAndItsWordsAreTheJournals) {
  const std::string readme = read_text(source_dir() / "README.md");
  const std::string rule = std::regex_replace(
      between(readme, "`--gap-days` takes a number of days", "The default is"), std::regex("\\s+"), " ");
  ASSERT_NE(rule.find("from one hour to"), std::string::npos);
  const long long days = std::stoll(between(rule, "from one hour to ", " days"));
  EXPECT_EQ(journal::kMinGapMs, 3'600'000);
  EXPECT_FALSE(journal::check_gap(journal::kMinGapMs));
  EXPECT_FALSE(journal::check_gap(days * journal::kDayMs));
  const auto short_one = journal::check_gap(journal::kMinGapMs - 1);
  const auto long_one = journal::check_gap(days * journal::kDayMs + 1);
  ASSERT_TRUE(short_one && long_one);
  EXPECT_NE(rule.find("\"" + short_one->message + "\""), std::string::npos) << short_one->message;
  EXPECT_NE(rule.find("\"" + long_one->message + "\""), std::string::npos) << long_one->message;
  EXPECT_EQ(
      std::stoll(between(readme, "only shows the settings. The default is ", " days.")) * journal::kDayMs,
      journal::kDefaultGapMs);
}

// README.md, the local-events table: the order of `journal`'s two lists.
TEST(JournalOrderDoc, OpenIsOldestFirstRepairedIsLatestRepairFirstTiesByLowerId) {
  const std::string readme = read_text(source_dir() / "README.md");
  ASSERT_NE(
      readme.find("entries still open, the earliest `happened_utc` first, and repaired ones, the latest "
                  "`repaired.repaired_utc` first (ties: the lower `id` first)"),
      std::string::npos);
  auto entry = [](int64_t id, int64_t happened, std::optional<int64_t> repaired) {
    journal::Rupture r;
    r.id = id;
    r.happened_ms = happened;
    if (repaired) r.repair = journal::Repair{journal::RepairWay::TalkedThrough, {}, *repaired};
    return r;
  };
  // As the store hands them over: by id.
  const auto h = journal::history_of({entry(1, 300, {}), entry(2, 100, {}), entry(3, 300, {}),
                                      entry(4, 50, 500), entry(5, 60, 900), entry(6, 70, 500)});
  std::vector<int64_t> open, repaired;
  for (const auto& r : h.open) open.push_back(r.id);
  for (const auto& r : h.repaired) repaired.push_back(r.id);
  EXPECT_EQ(open, (std::vector<int64_t>{2, 1, 3}));
  EXPECT_EQ(repaired, (std::vector<int64_t>{5, 4, 6}));
}

}  // namespace
}  // namespace attune::contract
