// The real Postbox, in process, against its paired partner's device played
// by hand over the in-process loopback network: a refusal for a letter that
// isn't waiting here (never written, or long delivered) is not news for
// anyone. It is dropped and counted, and no `letter_refused` reaches the
// person. A letter turned away gets the same refusal each time it comes.
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

// Alex's postbox, and Sam's device played by hand: a pinned-key link on
// which `mail` is sent once secure; what comes back is kept in `replies`.
class PostboxAnswers : public ::testing::Test {
 protected:
  PostboxAnswers() {
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
  ~PostboxAnswers() override {
    if (link_) link_->close("test over");
    postbox_->stop();
  }

  void send_from_sam(std::vector<v1::InviteMail> mail) {
    dialing_ = network_->device("dev-sam")->dial(
        io_, "127.0.0.1", postbox_->port(),
        [this, mail](const asio::error_code& ec, std::unique_ptr<net::Stream> stream) {
          ASSERT_FALSE(ec) << ec.message();
          link_ = std::make_shared<net::Connection>(std::move(stream), net::LinkTiming{});
          auto handshake = pairing::JoinerHandshake::with_pin(sam_, alex_.peer_identity(), identity::system_random());
          link_->secure_with(pairing::SecureLink::for_joiner(std::move(handshake)),
                             [this, mail](const pairing::HandshakeSuccess&) {
                               for (const auto& m : mail) {
                                 v1::Envelope e;
                                 *e.mutable_invite_mail() = m;
                                 link_->send(e);
                               }
                             });
          link_->start([this](const v1::Envelope& e) { if (e.has_invite_mail()) replies_.push_back(e.invite_mail()); },
                       [](const std::string&) {});
          link_->open_handshake();
        });
  }
  template <typename Done>
  bool run_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      io_.restart();
      io_.run_for(2ms);
    }
    return true;
  }
  long count(const std::string& event) const {
    return std::count_if(events_.begin(), events_.end(),
                         [&](const nlohmann::json& j) { return j.value("event", "") == event; });
  }

  test::TempDir dirs_;
  asio::io_context io_;
  std::shared_ptr<net::LoopbackNetwork> network_ = net::LoopbackNetwork::create();
  crypto::DeviceIdentity alex_ = key_in(dirs_.path() / "alex", "dev-alex");
  crypto::DeviceIdentity sam_ = key_in(dirs_.path() / "sam", "dev-sam");
  std::unique_ptr<InviteStore> store_;
  std::unique_ptr<Postbox> postbox_;
  std::vector<nlohmann::json> events_;
  std::unique_ptr<net::Dialing> dialing_;
  std::shared_ptr<net::Connection> link_;
  std::vector<v1::InviteMail> replies_;
};

TEST_F(PostboxAnswers, ARefusalForALetterNotWaitingIsDroppedUnshown) {
  v1::InviteMail refusal;
  refusal.mutable_refusal()->set_letter_id("never-written");
  refusal.mutable_refusal()->set_message("No thanks.");
  send_from_sam({refusal});
  run_until([&] { return postbox_->unmatched_answers() != 0; });
  EXPECT_EQ(postbox_->unmatched_answers(), 1u);
  EXPECT_EQ(count("letter_refused"), 0);
  EXPECT_EQ(count("partner_reached"), 1);  // It was a real, sealed link.
}

// A letter turned away whose refusal was lost comes again: it was answered
// "ack", and Sam's device told Sam it was delivered. It gets the same
// refusal, and Alex's screen says so only once.
TEST_F(PostboxAnswers, ARefusedLetterSentAgainIsRefusedAgain) {
  v1::InviteMail letter;
  letter.mutable_letter()->set_letter_id("letter-empty");  // No body: a broken rule.
  send_from_sam({letter, letter});
  ASSERT_TRUE(run_until([&] { return replies_.size() >= 2; })) << "answered " << replies_.size() << " times";
  for (const auto& reply : replies_) {
    ASSERT_TRUE(reply.has_refusal()) << "answered ack for a letter it turned away";
    EXPECT_EQ(reply.refusal().letter_id(), "letter-empty");
    EXPECT_EQ(reply.refusal().message(), replies_[0].refusal().message());
  }
  EXPECT_EQ(count("invite_error"), 1);
  EXPECT_TRUE(store_->list().empty());
}

}  // namespace
}  // namespace attune::invite
