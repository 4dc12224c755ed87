#include "attune/discovery/diagnosis.hpp"

#include <gtest/gtest.h>

namespace attune::discovery {
namespace {

using namespace std::chrono_literals;

InterfaceReport eth0() {
  InterfaceReport r;
  r.name = "eth0";
  r.addresses = {"192.168.1.20"};
  r.joined = true;
  r.sent = 6;
  r.heard_own = 6;
  return r;
}

DiagnosisInput looked_for(std::chrono::milliseconds t) {
  DiagnosisInput in;
  in.interfaces = {eth0()};
  in.listening_for = t;
  return in;
}

bool mentions(const std::vector<std::string>& lines, const std::string& word) {
  for (const auto& l : lines) {
    if (l.find(word) != std::string::npos) return true;
  }
  return false;
}

TEST(Diagnosis, FoundNeedsNoAdvice) {
  auto in = looked_for(5s);
  in.hosts_listed = 2;
  const auto d = diagnose(in);
  EXPECT_EQ(d.verdict, Verdict::Found);
  EXPECT_TRUE(d.advice.empty());
}

TEST(Diagnosis, TooEarlyToJudge) { EXPECT_EQ(diagnose(looked_for(500ms)).verdict, Verdict::StillLooking); }

TEST(Diagnosis, NothingHeardNamesInterfacesAndSuggestsInvite) {
  const auto d = diagnose(looked_for(5s));
  EXPECT_EQ(d.verdict, Verdict::NothingHeard);
  EXPECT_NE(d.headline.find("eth0"), std::string::npos);
  EXPECT_TRUE(mentions(d.checked, "eth0 (192.168.1.20): sent 6"));
  EXPECT_TRUE(mentions(d.advice, "invite"));
  EXPECT_TRUE(mentions(d.advice, "firewall"));
}

TEST(Diagnosis, OwnEchoMissingPointsAtThisDevicesFirewall) {
  auto in = looked_for(5s);
  in.interfaces[0].heard_own = 0;
  const auto d = diagnose(in);
  EXPECT_EQ(d.verdict, Verdict::BlockedHere);
  EXPECT_TRUE(mentions(d.advice, "firewall on this device"));
  EXPECT_TRUE(mentions(d.advice, "invite"));
}

TEST(Diagnosis, EverySendFailing) {
  auto in = looked_for(5s);
  in.interfaces[0].send_errors = 6;
  in.interfaces[0].last_send_error = "Operation not permitted";
  in.interfaces[0].heard_own = 0;
  const auto d = diagnose(in);
  EXPECT_EQ(d.verdict, Verdict::CannotSend);
  EXPECT_TRUE(mentions(d.checked, "Operation not permitted"));
}

TEST(Diagnosis, OtherVersionsAskForAnUpdate) {
  auto in = looked_for(5s);
  in.other_version = 3;
  in.interfaces[0].heard_others = 3;
  const auto d = diagnose(in);
  EXPECT_EQ(d.verdict, Verdict::OtherVersionsOnly);
  EXPECT_TRUE(mentions(d.advice, "Update"));
}

TEST(Diagnosis, OtherBrowsersButNoHost) {
  auto in = looked_for(5s);
  in.interfaces[0].heard_others = 4;
  EXPECT_EQ(diagnose(in).verdict, Verdict::NobodyHosting);
}

TEST(Diagnosis, NoInterfacesOrNoListening) {
  DiagnosisInput in;
  in.listening_for = 5s;
  EXPECT_EQ(diagnose(in).verdict, Verdict::NoNetwork);
  in.socket_problem = "IPv4 port 47177: Address already in use";
  EXPECT_EQ(diagnose(in).verdict, Verdict::CannotListen);
}

TEST(Diagnosis, ReachableRecentHostIsOffered) {
  auto in = looked_for(5s);
  in.direct = {DirectCheck{"10.8.0.2:47000", true, "connected"},
               DirectCheck{"10.8.0.3:47000", false, "timed out"}};
  const auto d = diagnose(in);
  EXPECT_TRUE(mentions(d.advice, "10.8.0.2:47000"));
  EXPECT_TRUE(mentions(d.checked, "10.8.0.3:47000 directly: timed out"));
}

TEST(Diagnosis, EveryVerdictHasAName) {
  for (auto v :
       {Verdict::Found, Verdict::StillLooking, Verdict::NoNetwork, Verdict::CannotListen, Verdict::CannotSend,
        Verdict::OtherVersionsOnly, Verdict::NobodyHosting, Verdict::BlockedHere, Verdict::NothingHeard}) {
    EXPECT_NE(verdict_name(v), "unknown");
  }
}

}  // namespace
}  // namespace attune::discovery
