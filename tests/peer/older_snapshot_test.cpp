// proto/README.md "Intents, changes and acknowledgements": a Snapshot whose
// seq is lower than the one a device holds is still the session. Here the
// host's data folder goes back to an earlier copy (as when a host ran on
// without its disk and restarted); the joining devices take the host's
// older state, tell their person plainly, and apply the changes after it.
#include <gtest/gtest.h>

#include <filesystem>

#include "peer_cluster.hpp"

namespace attune::test {
namespace {

namespace fs = std::filesystem;

bool shares_with_coach(const Json& state, const std::string& role) {
  for (const auto& p : state["participants"]) {
    if (p.value("role", "") == role) return p.value("shares_with_coach", false);
  }
  return false;
}

TEST(OlderSnapshot, DevicesTakeTheHostsEarlierSessionAndSaySo) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  cluster.act(Who::A, "admit partner-b");
  cluster.act(Who::A, "admit coach");
  const uint64_t earlier = cluster.act(Who::B, "admit coach");
  ASSERT_GT(earlier, 0u);

  // Keep the host's folder as it is now, then let the session move on.
  auto& host = cluster.peer(Who::A);
  const fs::path data = cluster.root() / "a";
  const fs::path kept = cluster.root() / "a-earlier";
  host.kill_hard();
  fs::copy(data, kept, fs::copy_options::recursive);
  host.restart();
  cluster.act(Who::B, "share-with-coach on");
  const uint64_t later = cluster.act(Who::A, "share-with-coach on");
  ASSERT_GT(later, earlier);
  ASSERT_TRUE(shares_with_coach(cluster.state(), "ROLE_PARTNER_B"));

  // The host comes back with the earlier copy: its session is at `earlier`.
  host.kill_hard();
  fs::remove_all(data);
  fs::copy(kept, data, fs::copy_options::recursive);
  auto& b = cluster.peer(Who::B);
  const auto from = b.line_count();
  host.restart();

  const auto back = b.wait_for(
      [&](const Json& j) {
        return j.value("event", "") == "state" && j.value("seq", uint64_t{0}) == earlier;
      },
      PeerCluster::kWait, from);
  ASSERT_TRUE(back) << "partner B kept its later copy\n" << b.tail() << host.tail();
  EXPECT_FALSE(shares_with_coach((*back)["state"], "ROLE_PARTNER_B")) << "B should show the host's session";
  const auto told = b.wait_for(
      [](const Json& j) {
        return j.value("event", "") == "peer_problem" &&
               j.value("message", "").find("a little earlier") != std::string::npos;
      },
      PeerCluster::kWait, from);
  EXPECT_TRUE(told) << "partner B was not told that the last moments are gone\n" << b.tail();
  cluster.converge();

  // What happens next is numbered on from the earlier change, and every device applies it.
  const uint64_t next = cluster.act(Who::B, "share-with-coach on");
  EXPECT_EQ(next, earlier + 1);
  const Json now = cluster.converge();
  EXPECT_TRUE(shares_with_coach(now, "ROLE_PARTNER_B"));
  EXPECT_EQ(b.latest_seq(), next);
  EXPECT_EQ(cluster.peer(Who::Coach).latest_seq(), next);
}

}  // namespace
}  // namespace attune::test
