// "Start now" (README.md, "A reminder at the time you agreed"): each device
// decides alone whether it hosts or joins, from its own pins, and the two
// must never both host or both join, or they never meet. These are the
// histories where a rule read from one device's own "host pin" went wrong:
// the pair code-paired both ways, one of them later joined someone else, and
// pins kept from before the direction was written.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "attune/crypto/sodium_init.hpp"
#include "cli/reminder_command.hpp"
#include "identity/device_key_store.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/private_file.hpp"
#include "identity/system_random.hpp"
#include "peer_process.hpp"

namespace attune::cli {
namespace {

struct Device {
  std::filesystem::path data;
  crypto::PeerIdentity id;
};

class StartNowRoles : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::init_crypto()); }

  Device device(const std::string& id) {
    const auto data = dir.path() / id;
    const auto key = identity::load_or_create_device_key(data, identity::system_random(), id);
    EXPECT_TRUE(key.identity) << key.error;
    return {data, {id, key.identity->public_key()}};
  }

  // A code pairing: the one handshake pins each on the other's device.
  static void pair(const Device& joiner, const Device& host, std::int64_t at_ms) {
    ASSERT_EQ(identity::PinnedPeerStore(joiner.data).set_host(host.id, at_ms), std::nullopt);
    ASSERT_EQ(identity::PinnedPeerStore(host.data).pin(joiner.id, at_ms), std::nullopt);
  }

  static bool hosts(const Device& me, const Device& partner) {
    std::string error;
    const auto plan = plan_with_partner(me.data, partner.id.device_id, &error);
    EXPECT_TRUE(plan) << error;
    return plan && plan->host;
  }

  test::TempDir dir;
};

TEST_F(StartNowRoles, AfterPairingBothWaysTheOneWhoJoinedLastJoinsAgain) {
  const Device alex = device("dev-alex");
  const Device sam = device("dev-sam");
  pair(/*joiner=*/alex, /*host=*/sam, 1);
  EXPECT_FALSE(hosts(alex, sam));
  EXPECT_TRUE(hosts(sam, alex));
  pair(/*joiner=*/sam, /*host=*/alex, 2);  // Later the other way round.
  EXPECT_TRUE(hosts(alex, sam));
  EXPECT_FALSE(hosts(sam, alex));
}

TEST_F(StartNowRoles, JoiningSomeoneElseLaterDoesNotMakeBothHost) {
  const Device alex = device("dev-alex");
  const Device sam = device("dev-sam");
  const Device casey = device("dev-casey");
  pair(/*joiner=*/alex, /*host=*/sam, 1);
  pair(/*joiner=*/alex, /*host=*/casey, 2);  // Alex's host pin is now Casey's device.
  EXPECT_FALSE(hosts(alex, sam));
  EXPECT_TRUE(hosts(sam, alex));
}

TEST_F(StartNowRoles, PinsThatDontSayHowTheyPairedLetTheFirstIdHost) {
  const Device alex = device("dev-alex");
  const Device sam = device("dev-sam");
  pair(/*joiner=*/sam, /*host=*/alex, 1);
  // Kept by an earlier build: no direction on either pin, no host pin.
  for (const Device* d : {&alex, &sam}) {
    const auto file = identity::identity_dir(d->data) / "pinned_peers.json";
    auto doc = nlohmann::json::parse(*identity::read_private_file(file).contents);
    doc["host_device_id"] = "";
    for (auto& entry : doc["peers"]) entry.erase("paired_as");
    ASSERT_EQ(identity::write_private_file(file, doc.dump()), std::nullopt);
  }
  EXPECT_TRUE(hosts(alex, sam));  // "dev-alex" sorts before "dev-sam".
  EXPECT_FALSE(hosts(sam, alex));
}

}  // namespace
}  // namespace attune::cli
