// The postbox of `attune host`/`join` and the window follows the pins while
// it runs (proto/INVITE.md, section 1, "Pins change while it runs"): a newer
// partner paired, it closes and opens for that one; that one forgotten, it
// goes back to the one left; each time on the port it listened on, even
// when the port its data folder remembers was busy at the start.
#include "invite/postbox_runner.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <asio.hpp>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <vector>

#include "attune/crypto/sodium_init.hpp"
#include "identity/device_key_store.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/system_random.hpp"
#include "peer_process.hpp"

namespace attune::invite {
namespace {

using namespace std::chrono_literals;

class PostboxRunnerFollows : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::init_crypto());
    ASSERT_TRUE(identity::load_or_create_device_key(data, identity::system_random()).identity);
  }
  // Pins `id` as the other partner, paired at `at_ms`.
  void paired(const std::string& id, int64_t at_ms) {
    crypto::PeerIdentity peer{id, {}};
    randombytes_buf(peer.public_key.data(), peer.public_key.size());
    identity::PinnedPeerStore pins(data);
    ASSERT_EQ(pins.pin(peer, at_ms), std::nullopt);
    ASSERT_EQ(pins.note_seat(id, v1::ROLE_PARTNER_B, v1::ROLE_PARTNER_A, id), std::nullopt);
  }
  void forgotten(const std::string& id) {
    identity::PinnedPeerStore pins(data);
    ASSERT_EQ(pins.load(), std::nullopt);
    ASSERT_EQ(pins.forget(id), std::nullopt);
  }
  // The `count`-th postbox_open (from 1), waited for with a deadline.
  std::optional<nlohmann::json> opened(std::size_t count) {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, 10s, [&] { return opens.size() >= count; })) return std::nullopt;
    return opens[count - 1];
  }
  PostboxRunnerOptions options() {
    PostboxRunnerOptions o;
    o.data_dir = data;
    o.bind_address = "127.0.0.1";
    o.find_on_network = false;
    o.look_again = 50ms;
    o.on_event = [this](const nlohmann::json& j) {
      std::lock_guard lock(mu);
      if (j.value("event", "") == "postbox_open") opens.push_back(j);
      cv.notify_all();
    };
    return o;
  }
  test::TempDir dir;
  std::filesystem::path data = dir.path() / "data";
  std::mutex mu;
  std::condition_variable cv;
  std::vector<nlohmann::json> opens;
};

TEST_F(PostboxRunnerFollows, ANewerPartnerPairedWhileItRunsIsServedOnTheSamePort) {
  // Something else holds the port this folder remembers: this run takes another.
  asio::io_context io;
  asio::ip::tcp::acceptor squatter(io, {asio::ip::make_address("127.0.0.1"), 0});
  std::ofstream(postbox_port_file(data)) << squatter.local_endpoint().port() << "\n";
  paired("sam-laptop", 1000);
  PostboxRunner runner(options());
  runner.start();
  const auto first = opened(1);
  ASSERT_TRUE(first) << "the postbox did not open for the one partner";
  EXPECT_EQ((*first)["partner_device_id"], "sam-laptop");
  const auto port = (*first)["port"].get<std::uint16_t>();
  EXPECT_NE(port, squatter.local_endpoint().port());

  paired("robin-laptop", 2000);  // Paired again, with a newer device.
  const auto second = opened(2);
  ASSERT_TRUE(second) << "the postbox did not follow the newer partner";
  EXPECT_EQ((*second)["partner_device_id"], "robin-laptop");
  EXPECT_NE(second->value("message", "").find("paired most recently"), std::string::npos) << second->dump();
  EXPECT_EQ((*second)["port"].get<std::uint16_t>(), port) << "the partner's remembered address would be wrong";

  forgotten("robin-laptop");  // The newer one forgotten: back to the one left.
  const auto third = opened(3);
  ASSERT_TRUE(third) << "the postbox did not go back to the partner left";
  EXPECT_EQ((*third)["partner_device_id"], "sam-laptop");
  EXPECT_EQ((*third)["port"].get<std::uint16_t>(), port);
  runner.stop();
  std::lock_guard lock(mu);
  EXPECT_EQ(opens.size(), 3u) << "one postbox_open for each partner it served";
}

}  // namespace
}  // namespace attune::invite
