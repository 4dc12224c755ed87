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
#include "doc_section.hpp"
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

  // Takes the direction off `d`'s pins, as a build from before it was
  // written kept them (and, with `host_pin`, its host pin too).
  static void forget_direction(const Device& d, bool host_pin) {
    const auto file = identity::identity_dir(d.data) / "pinned_peers.json";
    auto doc = nlohmann::json::parse(*identity::read_private_file(file).contents);
    if (host_pin) doc["host_device_id"] = "";
    for (auto& entry : doc["peers"]) entry.erase("paired_as");
    ASSERT_EQ(identity::write_private_file(file, doc.dump()), std::nullopt);
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
  forget_direction(alex, true);
  forget_direction(sam, true);
  EXPECT_TRUE(hosts(alex, sam));  // "dev-alex" sorts before "dev-sam".
  EXPECT_FALSE(hosts(sam, alex));
}

// README.md and HANDSHAKE.md section 5 (reader 11, L6): with the direction
// on one device only, each still decides alone and they may pick the same
// role, as the documents warn; one more code pairing settles it.
TEST_F(StartNowRoles, WithTheDirectionOnOneDeviceOnlyTheyMayPickTheSameRole) {
  const std::string readme = contract::read_squeezed(contract::source_dir() / "README.md");
  ASSERT_NE(readme.find("If only one of the two has it (one of them was updated before they last paired), "
                        "each still decides alone, so they may both host or both join and never meet; "
                        "pairing once more with a code puts it on both."),
            std::string::npos);
  const Device alex = device("dev-alex");  // Sorts first: the id rule has Alex host.
  const Device sam = device("dev-sam");
  pair(/*joiner=*/alex, /*host=*/sam, 1);
  forget_direction(sam, false);
  EXPECT_FALSE(hosts(alex, sam));  // Alex reads "joiner"; Sam, with nothing, lets the first id host,
  EXPECT_FALSE(hosts(sam, alex));  // so both join.
  pair(/*joiner=*/alex, /*host=*/sam, 2);
  forget_direction(alex, false);
  EXPECT_TRUE(hosts(alex, sam));           // Alex, with nothing, hosts by the id rule; Sam reads "host":
  EXPECT_TRUE(hosts(sam, alex));           // both host.
  pair(/*joiner=*/sam, /*host=*/alex, 3);  // The way round the id rule agrees with: they still meet.
  forget_direction(sam, false);
  EXPECT_TRUE(hosts(alex, sam));
  EXPECT_FALSE(hosts(sam, alex));
  pair(/*joiner=*/alex, /*host=*/sam, 4);  // One more code pairing writes it on both.
  EXPECT_FALSE(hosts(alex, sam));
  EXPECT_TRUE(hosts(sam, alex));
}

}  // namespace
}  // namespace attune::cli
