// Alex's real Postbox, in process, and Sam's paired device played by hand
// over the in-process loopback network: one pinned-key link from Sam, on
// which a test sends what it likes once the link is secure.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io_wait.hpp"
#include "identity/device_key_store.hpp"
#include "identity/system_random.hpp"
#include "invite/postbox.hpp"
#include "net/transport_loopback.hpp"
#include "peer_process.hpp"

namespace attune::invite::hand {

inline crypto::DeviceIdentity key_in(const std::filesystem::path& dir, const std::string& id) {
  auto loaded = identity::load_or_create_device_key(dir, identity::system_random(), id);
  EXPECT_TRUE(loaded.identity) << loaded.error;
  return *loaded.identity;
}

class HandPlayedPartner : public ::testing::Test {
 protected:
  HandPlayedPartner() {
    spdlog::set_level(spdlog::level::warn);
    std::string error;
    store_ = InviteStore::open(dirs_.path() / "alex", &error);
    EXPECT_TRUE(store_) << error;
    PostboxConfig config(alex_, sam_.peer_identity());
    config.bind_address = "127.0.0.1";
    config.transport = network_->device("dev-alex");
    config.find_on_network = false;
    config.on_event = [this](const nlohmann::json& j) { events_.push_back(j); };
    postbox_ = std::make_unique<Postbox>(io_, *store_, std::move(config));
    postbox_->start();
  }
  ~HandPlayedPartner() override {
    if (link_) link_->close("test over");
    postbox_->stop();
  }

  // Sam's device dials Alex's postbox; `secure` runs once the handshake is
  // done, `mail` for every InviteMail Alex's postbox sends.
  void dial_from_sam(std::function<void()> secure, std::function<void(const v1::InviteMail&)> mail) {
    dialing_ = network_->device("dev-sam")->dial(
        io_, "127.0.0.1", postbox_->port(),
        [this, secure, mail](const asio::error_code& ec, std::unique_ptr<net::Stream> stream) {
          ASSERT_FALSE(ec) << ec.message();
          link_ = std::make_shared<net::Connection>(std::move(stream), net::LinkTiming{});
          auto handshake =
              pairing::JoinerHandshake::with_pin(sam_, alex_.peer_identity(), identity::system_random());
          link_->secure_with(pairing::SecureLink::for_joiner(std::move(handshake)),
                             [secure](const pairing::HandshakeSuccess&) { secure(); });
          link_->start(
              [mail](const v1::Envelope& e) {
                if (e.has_invite_mail()) mail(e.invite_mail());
              },
              [](const std::string&) {});
          link_->open_handshake();
        });
  }
  // Sends on Sam's link (once it is secure).
  void send(const v1::InviteMail& mail) {
    v1::Envelope e;
    *e.mutable_invite_mail() = mail;
    link_->send(e);
  }
  template <typename Done>
  bool run_until(Done done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    return attune::test::run_io_until(io_, done, limit);
  }
  long count(const std::string& event) const {
    return std::count_if(events_.begin(), events_.end(),
                         [&](const nlohmann::json& j) { return j.value("event", "") == event; });
  }

  attune::test::TempDir dirs_;
  asio::io_context io_;
  std::shared_ptr<net::LoopbackNetwork> network_ = net::LoopbackNetwork::create();
  crypto::DeviceIdentity alex_ = key_in(dirs_.path() / "alex", "dev-alex");
  crypto::DeviceIdentity sam_ = key_in(dirs_.path() / "sam", "dev-sam");
  std::unique_ptr<InviteStore> store_;
  std::unique_ptr<Postbox> postbox_;
  std::vector<nlohmann::json> events_;
  std::unique_ptr<net::Dialing> dialing_;
  std::shared_ptr<net::Connection> link_;
};

}  // namespace attune::invite::hand
