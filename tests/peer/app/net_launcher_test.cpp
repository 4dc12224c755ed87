// The window app's way into the network node: what the demo does (host on
// loopback, join with the host's invite) and what bad input gets back.
#include "app/net_launcher.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "launcher_support.hpp"

namespace attune::app {
namespace {

namespace fs = std::filesystem;

using test::TempDir;
using test::wait_for;

// Hosts "Trying Attune" as Alex and waits (bounded) for its first code.
std::shared_ptr<NodeApi> host_with_code(NetLauncher& launcher) {
  std::string error;
  auto host = launcher.host(HostRequest{"Alex", "Trying Attune", v1::ROLE_PARTNER_A, {}}, &error);
  EXPECT_TRUE(host) << error;
  if (host) {
    EXPECT_TRUE(wait_for(*host, [&](const NodeView&) { return !launcher.pairing_code().empty(); }));
  }
  return host;
}

TEST(NetLauncher, TheDemoPathHostsOnLoopbackAndJoinsWithTheInvite) {
  TempDir a, b;
  NetLauncher host_side({a.path, "127.0.0.1", 0, false});
  NetLauncher join_side({b.path, "127.0.0.1", 0, false});
  std::string error;
  auto host = host_side.host(HostRequest{"Alex", "Trying Attune", v1::ROLE_PARTNER_A, {}}, &error);
  ASSERT_TRUE(host) << error;
  // The invite carries the host's pairing code, so pasting it is enough.
  ASSERT_TRUE(wait_for(*host, [&](const NodeView&) { return !host_side.pairing_code().empty(); }));
  const std::string invite = host_side.invite();
  ASSERT_EQ(invite.rfind("attune:", 0), 0u) << invite;
  EXPECT_NE(invite.find("127.0.0.1:"), std::string::npos) << invite;
  EXPECT_NE(invite.find(host_side.pairing_code()), std::string::npos) << invite;

  auto partner = join_side.join(JoinRequest{"Sam", invite, "", v1::ROLE_PARTNER_B}, &error);
  ASSERT_TRUE(partner) << error;
  // The host sees Sam asking to join; Sam sees the session's lobby roster.
  EXPECT_TRUE(wait_for(*host, [](const NodeView& s) { return s.state.participants_size() == 2; }));
  EXPECT_TRUE(
      wait_for(*partner, [](const NodeView& s) { return s.state.session_name() == "Trying Attune"; }));
  EXPECT_EQ(host->snapshot()->link, LinkState::Hosting);

  // Letting go of the hosted node ends the invite.
  host.reset();
  host_side.released();
  EXPECT_EQ(host_side.invite(), "");
}

TEST(NetLauncher, BadAddressesGetPlainWords) {
  TempDir dir;
  NetLauncher launcher({dir.path, "127.0.0.1", 0, false});
  std::string error;
  EXPECT_FALSE(launcher.join(JoinRequest{"Sam", "my partner's laptop", "", v1::ROLE_PARTNER_B}, &error));
  EXPECT_FALSE(error.empty());
  error.clear();
  EXPECT_FALSE(launcher.join(JoinRequest{"Sam", "192.168.1.20", "", v1::ROLE_PARTNER_B}, &error));
  EXPECT_NE(error.find("port"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(launcher.join(JoinRequest{"Sam", "attune:abcdefg", "", v1::ROLE_PARTNER_B}, &error));
  EXPECT_FALSE(error.empty());
  EXPECT_TRUE(launcher.nearby().empty());  // Discovery is off here.
}

// After five wrong codes the host makes a new code, and the lobby gets a
// sentence saying why, until the host dismisses it.
TEST(NetLauncher, FiveWrongCodesReplaceTheCodeAndTellTheHostWhy) {
  TempDir a, b;
  NetLauncher host_side({a.path, "127.0.0.1", 0, false});
  std::string error;
  auto host = host_side.host(HostRequest{"Alex", "Trying Attune", v1::ROLE_PARTNER_A, {}}, &error);
  ASSERT_TRUE(host) << error;
  ASSERT_TRUE(wait_for(*host, [&](const NodeView&) { return !host_side.pairing_code().empty(); }));
  const std::string first_code = host_side.pairing_code();
  EXPECT_EQ(host_side.code_notice(), "") << "nothing to explain while the first code stands";
  // "attune:...  (or 127.0.0.1:PORT, code NNNNNN)": dial the address by hand.
  const std::string invite = host_side.invite();
  const auto from = invite.find("(or ") + 4;
  const std::string address = invite.substr(from, invite.find(", code") - from);
  ASSERT_EQ(address.rfind("127.0.0.1:", 0), 0u) << invite;
  const std::string wrong = first_code == "000000" ? "000001" : "000000";

  for (int i = 0; i < 5; ++i) {
    // Each wrong guess is its own device, turned away with plain words.
    NetLauncher guesser({b.path / std::to_string(i), "127.0.0.1", 0, false});
    auto node = guesser.join(JoinRequest{"Guess", address, wrong, v1::ROLE_PARTNER_B}, &error);
    ASSERT_TRUE(node) << error;
    EXPECT_TRUE(wait_for(
        *node, [](const NodeView& s) { return s.link_detail.find("didn't match") != std::string::npos; }))
        << "guess " << i << ": " << node->snapshot()->link_detail;
    if (i < 4) {
      EXPECT_EQ(host_side.pairing_code(), first_code) << "the code stands until the fifth miss";
      EXPECT_EQ(host_side.code_notice(), "");
    }
  }
  ASSERT_TRUE(wait_for(*host, [&](const NodeView&) { return host_side.pairing_code() != first_code; }));
  EXPECT_FALSE(host_side.pairing_code().empty()) << "a fresh code, not none";
  EXPECT_NE(host_side.invite().find(host_side.pairing_code()), std::string::npos)
      << "the invite carries the new code";
  const std::string notice = host_side.code_notice();
  EXPECT_NE(notice.find("didn't match"), std::string::npos) << notice;
  EXPECT_NE(notice.find("new code"), std::string::npos) << notice;
  // It stays until the host says so, and nobody's session was disturbed.
  EXPECT_EQ(host_side.code_notice(), notice);
  EXPECT_EQ(host->snapshot()->state.participants_size(), 1);
  host_side.dismiss_code_notice();
  EXPECT_EQ(host_side.code_notice(), "");
}

TEST(NetLauncher, ADamagedSavedSessionIsNamedAndStartFreshKeepsItAside) {
  TempDir a;
  const fs::path file = a.path / "attune.db";
  { std::ofstream(file, std::ios::binary) << std::string(6000, '\x7f'); }
  NetLauncher launcher({a.path, "127.0.0.1", 0, false});
  std::string error;
  EXPECT_FALSE(launcher.host(HostRequest{"Alex", "", v1::ROLE_PARTNER_A, {}}, &error));
  EXPECT_NE(error.find("saved on this computer"), std::string::npos) << error;
  EXPECT_EQ(launcher.damaged_file(), file.string());

  std::string note;
  ASSERT_TRUE(launcher.fresh_start(&note)) << note;
  EXPECT_NE(note.find("attune.db.set-aside-"), std::string::npos) << note;
  EXPECT_TRUE(launcher.damaged_file().empty());
  EXPECT_FALSE(fs::exists(file) && fs::file_size(file) == 6000) << "the damaged file was moved away";
  auto host = launcher.host(HostRequest{"Alex", "", v1::ROLE_PARTNER_A, {}}, &error);
  ASSERT_TRUE(host) << error;
  EXPECT_TRUE(host->snapshot()->storage_notice.empty());
}

// A partner arriving after the code ran out: the lobby offers "Make a new
// code" (only then), and what the button calls opens a fresh code that the
// invite carries and a joiner can use.
TEST(NetLauncher, AfterTheCodeExpiresMakeANewCodeLetsALatecomerIn) {
  TempDir a, b;
  NetLauncher host_side({a.path, "127.0.0.1", 0, false});
  host_side.set_code_lifetime(std::chrono::milliseconds(1500));
  NetLauncher join_side({b.path, "127.0.0.1", 0, false});
  auto host = host_with_code(host_side);
  ASSERT_TRUE(host);
  std::string error;
  const std::string first_code = host_side.pairing_code();
  EXPECT_FALSE(host_side.can_make_code()) << "no button while a code is open";

  ASSERT_TRUE(wait_for(*host, [&](const NodeView&) { return host_side.pairing_code().empty(); }));
  const std::string notice = host_side.code_notice();
  EXPECT_NE(notice.find("make a new code"), std::string::npos) << notice;
  EXPECT_EQ(host_side.invite().find(first_code), std::string::npos) << "the invite no longer carries it";
  EXPECT_TRUE(host_side.can_make_code());

  host_side.make_code();
  ASSERT_TRUE(wait_for(*host, [&](const NodeView&) { return !host_side.pairing_code().empty(); }));
  const std::string fresh = host_side.pairing_code();
  EXPECT_NE(fresh, first_code);
  EXPECT_EQ(host_side.code_notice(), "") << "the expiry news is old now";
  EXPECT_FALSE(host_side.can_make_code());
  const std::string invite = host_side.invite();
  EXPECT_NE(invite.find(fresh), std::string::npos) << invite;

  auto partner = join_side.join(JoinRequest{"Sam", invite, "", v1::ROLE_PARTNER_B}, &error);
  ASSERT_TRUE(partner) << error;
  EXPECT_TRUE(wait_for(*host, [](const NodeView& s) { return s.state.participants_size() == 2; }))
      << partner->snapshot()->link_detail;
}

// Once the session began nobody can join, so there is no button, and a
// stray call says why in the lobby's notice instead of opening a code.
TEST(NetLauncher, NoNewCodeOnceTheSessionBegan) {
  TempDir a, b;
  NetLauncher host_side({a.path, "127.0.0.1", 0, false});
  NetLauncher join_side({b.path, "127.0.0.1", 0, false});
  std::string error;
  auto host = host_with_code(host_side);
  ASSERT_TRUE(host);
  auto partner = join_side.join(JoinRequest{"Sam", host_side.invite(), "", v1::ROLE_PARTNER_B}, &error);
  ASSERT_TRUE(partner) << error;
  ASSERT_NO_FATAL_FAILURE(test::admit_and_begin(*host, *partner));
  // Coach seats are still free, but joining is lobby-only.
  EXPECT_FALSE(host_side.can_make_code());
  const std::string before = host_side.pairing_code();
  host_side.make_code();
  ASSERT_TRUE(wait_for(*host, [&](const NodeView&) { return !host_side.code_notice().empty(); }));
  EXPECT_NE(host_side.code_notice().find("already begun"), std::string::npos) << host_side.code_notice();
  EXPECT_EQ(host_side.pairing_code(), before) << "nothing changed";
}

TEST(NetLauncher, AFolderAnotherAttuneUsesIsSaidInOneSentence) {
  TempDir a;
  NetLauncher first({a.path, "127.0.0.1", 0, false});
  NetLauncher second({a.path, "127.0.0.1", 0, false});
  std::string error;
  auto host = first.host(HostRequest{"Alex", "", v1::ROLE_PARTNER_A, {}}, &error);
  ASSERT_TRUE(host) << error;
  EXPECT_FALSE(second.host(HostRequest{"Alex", "", v1::ROLE_PARTNER_A, {}}, &error));
  EXPECT_EQ(error.rfind("Another Attune is already using this data folder", 0), 0u) << error;
  EXPECT_EQ(error.find("locked"), std::string::npos) << error;
}

}  // namespace
}  // namespace attune::app
