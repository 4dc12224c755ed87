// The real Postbox, in process, against its paired partner's device played
// by hand over the in-process loopback network: a refusal for a letter that
// isn't waiting here (never written, or long delivered) is not news for
// anyone. It is dropped and counted, and no `letter_refused` reaches the
// person.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "identity/device_key_store.hpp"
#include "identity/system_random.hpp"
#include "invite/postbox.hpp"
#include "net/transport_loopback.hpp"
#include "peer_process.hpp"

namespace attune::invite {
namespace {

using namespace std::chrono_literals;

crypto::DeviceIdentity key_in(const std::filesystem::path& dir, const std::string& id) {
  auto loaded = identity::load_or_create_device_key(dir, identity::system_random(), id);
  EXPECT_TRUE(loaded.identity) << loaded.error;
  return *loaded.identity;
}

TEST(PostboxAnswers, ARefusalForALetterNotWaitingIsDroppedUnshown) {
  spdlog::set_level(spdlog::level::warn);
  test::TempDir dirs;
  asio::io_context io;
  auto network = net::LoopbackNetwork::create();
  const auto alex = key_in(dirs.path() / "alex", "dev-alex");
  const auto sam = key_in(dirs.path() / "sam", "dev-sam");
  std::string error;
  auto store = InviteStore::open(dirs.path() / "alex", &error);
  ASSERT_TRUE(store) << error;

  std::vector<std::string> events;
  PostboxConfig config(alex, sam.peer_identity());
  config.bind_address = "127.0.0.1";
  config.transport = network->device("dev-alex");
  config.find_on_network = false;
  config.on_event = [&](const nlohmann::json& j) { events.push_back(j.value("event", "")); };
  Postbox postbox(io, *store, std::move(config));
  postbox.start();

  // Sam's device: the pinned-key handshake, then one refusal for a letter Alex never wrote.
  std::shared_ptr<net::Connection> link;
  auto dialing = network->device("dev-sam")->dial(
      io, "127.0.0.1", postbox.port(), [&](const asio::error_code& ec, std::unique_ptr<net::Stream> stream) {
        ASSERT_FALSE(ec) << ec.message();
        link = std::make_shared<net::Connection>(std::move(stream), net::LinkTiming{});
        auto handshake = pairing::JoinerHandshake::with_pin(sam, alex.peer_identity(), identity::system_random());
        link->secure_with(pairing::SecureLink::for_joiner(std::move(handshake)),
                          [&](const pairing::HandshakeSuccess&) {
                            v1::Envelope e;
                            e.mutable_invite_mail()->mutable_refusal()->set_letter_id("never-written");
                            e.mutable_invite_mail()->mutable_refusal()->set_message("No thanks.");
                            link->send(e);
                          });
        link->start([](const v1::Envelope&) {}, [](const std::string&) {});
        link->open_handshake();
      });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (postbox.unmatched_answers() == 0 && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(2ms);
  }
  EXPECT_EQ(postbox.unmatched_answers(), 1u);
  EXPECT_EQ(std::count(events.begin(), events.end(), "letter_refused"), 0);
  EXPECT_EQ(std::count(events.begin(), events.end(), "partner_reached"), 1);  // It was a real, sealed link.
  if (link) link->close("test over");
  postbox.stop();
}

}  // namespace
}  // namespace attune::invite
