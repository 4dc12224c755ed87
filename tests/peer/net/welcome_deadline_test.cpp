// proto/README.md, "Liveness and reconnecting" (issue 15, L9): a session
// joiner that dials its partner's postbox by mistake gets through the pinned
// handshake (the postbox pins it), but the postbox ignores the Hello and
// keeps the link alive with heartbeats. The joiner gives the Welcome a
// deadline: past it, it closes that link, tells its person in words what
// probably happened, and dials again. The real net::Joiner and the real
// invite::Postbox, in process, over TCP on 127.0.0.1.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "io_wait.hpp"
#include "doc_section.hpp"
#include "identity/device_key_store.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/system_random.hpp"
#include "invite/postbox.hpp"
#include "net/joiner.hpp"
#include "peer_process.hpp"
#include "wall_clock.hpp"

namespace attune::net {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

crypto::DeviceIdentity key_in(const std::filesystem::path& dir, const std::string& id) {
  auto loaded = identity::load_or_create_device_key(dir, identity::system_random(), id);
  EXPECT_TRUE(loaded.identity) << loaded.error;
  return *loaded.identity;
}

class WelcomeDeadline : public ::testing::Test {
 protected:
  WelcomeDeadline() { spdlog::set_level(spdlog::level::err); }
  ~WelcomeDeadline() override {
    if (joiner_) joiner_->stop();
    if (postbox_) postbox_->stop();
    run_until([] { return false; }, 50ms);
    joiner_.reset();
    postbox_.reset();
  }

  // Alex's postbox on 127.0.0.1, carrying letters for Sam's device.
  void open_postbox() {
    std::string error;
    invites_ = invite::InviteStore::open(dirs_.path() / "alex", &error);
    ASSERT_TRUE(invites_) << error;
    invite::PostboxConfig config(alex_, sam_.peer_identity());
    config.bind_address = "127.0.0.1";
    config.find_on_network = false;
    config.on_event = [this](const nlohmann::json& j) { postbox_events_.push_back(j.value("event", "")); };
    postbox_ = std::make_unique<invite::Postbox>(io_, *invites_, std::move(config));
    postbox_->start();
  }

  // Sam's device joins "Alex's session" at the postbox's port: it pinned
  // Alex's device as its host when they paired, so the handshake goes through.
  void join_at(uint16_t port, std::chrono::milliseconds welcome_timeout) {
    identity::PinnedPeerStore pins(dirs_.path() / "sam");
    ASSERT_FALSE(pins.load());
    ASSERT_FALSE(pins.set_host(alex_.peer_identity(), wall_ms()));
    store_ = std::make_unique<store::Store>(dirs_.path() / "sam");
    JoinerConfig config(sam_);
    config.host = "127.0.0.1";
    config.port = port;
    config.device_id = sam_.device_id();
    config.display_name = "Sam";
    config.app_version = "test";
    config.first_contact_cap = 50ms;
    config.welcome_timeout = welcome_timeout;
    config.data_dir = dirs_.path() / "sam";
    ReplicaEvents events;
    events.link = [this](LinkState, const std::string& detail) { details_.push_back(detail); };
    events.fatal = [this](Fatal, const std::string& message) { fatals_.push_back(message); };
    joiner_ = std::make_unique<Joiner>(io_, *store_, std::move(config), std::move(events));
    started_ = Clock::now();
    joiner_->start();
  }

  template <typename Done>
  bool run_until(Done done, std::chrono::milliseconds limit = 10s) {
    return attune::test::run_io_until(io_, done, limit);
  }
  long postbox_said(const std::string& event) const {
    return std::count(postbox_events_.begin(), postbox_events_.end(), event);
  }
  std::optional<std::string> detail_with(const std::string& words) const {
    for (const auto& d : details_)
      if (d.find(words) != std::string::npos) return d;
    return std::nullopt;
  }

  attune::test::TempDir dirs_;
  asio::io_context io_;
  crypto::DeviceIdentity alex_ = key_in(dirs_.path() / "alex", "dev-alex");
  crypto::DeviceIdentity sam_ = key_in(dirs_.path() / "sam", "dev-sam");
  std::unique_ptr<invite::InviteStore> invites_;
  std::unique_ptr<invite::Postbox> postbox_;
  std::vector<std::string> postbox_events_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Joiner> joiner_;
  Clock::time_point started_;
  std::vector<std::string> details_;
  std::vector<std::string> fatals_;
};

TEST_F(WelcomeDeadline, TheDocumentStatesTheDeadlineTheJoinerKeeps) {
  const std::string doc = contract::read_squeezed(contract::source_dir() / "proto" / "README.md");
  EXPECT_NE(doc.find("The reference joiner (`JoinerConfig::welcome_timeout`, `Joiner::await_welcome`) gives "
                     "each link **10 s** from the moment it sent its `Hello`; heartbeats don't count as an "
                     "answer."),
            std::string::npos);
  EXPECT_NE(doc.find("it closes that link with the close frame (`CLOSE_REASON_GOING_AWAY`)"),
            std::string::npos);
  EXPECT_EQ(JoinerConfig(sam_).welcome_timeout, 10s);
}

TEST_F(WelcomeDeadline, AJoinerThatDialsAPostboxIsToldAndTriesAgain) {
  open_postbox();
  ASSERT_NE(postbox_->port(), 0);
  constexpr auto kDeadline = 400ms;
  join_at(postbox_->port(), kDeadline);

  ASSERT_TRUE(run_until([&] { return detail_with("postbox").has_value(); }))
      << "the joiner still waits for a Welcome the postbox never sends";
  EXPECT_GE(Clock::now() - started_, kDeadline) << "gave up before its deadline";
  const std::string words = *detail_with("postbox");
  const std::string where = "127.0.0.1:" + std::to_string(postbox_->port());
  EXPECT_NE(
      words.find("Something answered at " + where + ", but no session let this device in within 1 second."),
      std::string::npos)
      << words;
  EXPECT_NE(words.find("Please check the address and port the host's screen shows"), std::string::npos)
      << words;
  EXPECT_NE(words.find("trying again in"), std::string::npos) << words;
  EXPECT_EQ(postbox_said("partner_reached"), 1)
      << "the pinned handshake did not finish, so this tested nothing";

  // The postbox heard a close frame, and the joiner came back to try again.
  ASSERT_TRUE(run_until([&] { return postbox_said("partner_reached") >= 2; }))
      << "the joiner stopped dialing";
  EXPECT_GE(postbox_said("partner_away"), 1);
  EXPECT_TRUE(fatals_.empty()) << fatals_.front();
}

}  // namespace
}  // namespace attune::net
