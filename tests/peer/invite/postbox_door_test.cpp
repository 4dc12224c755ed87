// INVITE.md section 1, "The door" (reader 12, M6): a postbox's listener
// keeps HANDSHAKE.md section 7's slots and deadline, as a session host
// does, and holds at most four links whose handshake finished. The
// neighbour's connections are raw streams on the in-process network.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "attune/wire_codec.hpp"
#include "doc_section.hpp"
#include "hand_partner.hpp"

namespace attune::invite {
namespace {

using namespace std::chrono_literals;

class PostboxDoor : public hand::HandPlayedPartner {
 protected:
  // A neighbour's connection that never starts a handshake; `closed_[i]`
  // turns true when the postbox ends it (its stream reads the end).
  void open_stranger(std::size_t i) {
    strangers_.resize(std::max(strangers_.size(), i + 1));
    closed_.resize(strangers_.size(), false);
    dialings_.push_back(
        network_->device("dev-neighbour")
            ->dial(io_, "127.0.0.1", postbox_->port(),
                   [this, i](const asio::error_code& ec, std::unique_ptr<net::Stream> stream) {
                     ASSERT_FALSE(ec) << ec.message();
                     strangers_[i] = std::move(stream);
                     read_from(i);
                   }));
    ASSERT_TRUE(run_until([&] { return strangers_[i] != nullptr; }));
  }
  void read_from(std::size_t i) {
    strangers_[i]->async_read_some(asio::buffer(sink_), [this, i](const asio::error_code& ec, std::size_t) {
      if (ec) {
        closed_[i] = true;
        return;
      }
      read_from(i);
    });
  }
  // A clear heartbeat, which a host ignores during a handshake but which
  // keeps its silence limit away.
  void heartbeat(std::size_t i) {
    v1::Envelope beat;
    beat.mutable_heartbeat();
    static const std::string frame = *encode_envelope(beat);
    if (strangers_[i] && !closed_[i]) strangers_[i]->write_now(asio::buffer(frame));
  }
  // Runs the postbox for `span`, each stranger sending a heartbeat every second.
  void run_for(std::chrono::milliseconds span) {
    const auto end = std::chrono::steady_clock::now() + span;
    auto next_beat = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() < end) {
      if (std::chrono::steady_clock::now() >= next_beat) {
        for (std::size_t i = 0; i < strangers_.size(); ++i) heartbeat(i);
        next_beat += 1s;
      }
      io_.restart();
      io_.run_for(5ms);
    }
  }
  ~PostboxDoor() override {
    for (auto& s : strangers_)
      if (s) s->close();
    io_.restart();
    io_.run_for(20ms);
  }

  std::vector<std::unique_ptr<net::Dialing>> dialings_;
  std::vector<std::unique_ptr<net::Stream>> strangers_;
  std::vector<bool> closed_;
  std::array<char, 4096> sink_{};
};

TEST_F(PostboxDoor, AFifthHandshakeFromOneSourceClosesTheOldest) {
  for (std::size_t i = 0; i < 5; ++i) ASSERT_NO_FATAL_FAILURE(open_stranger(i));
  run_for(500ms);
  EXPECT_TRUE(closed_[0]) << "the oldest handshake from the neighbour's address was kept";
  for (std::size_t i = 1; i < 5; ++i) EXPECT_FALSE(closed_[i]) << "handshake " << i;
}

TEST_F(PostboxDoor, AHandshakeThatNeverFinishesIsClosedAfterFifteenSeconds) {
  ASSERT_NO_FATAL_FAILURE(open_stranger(0));
  const auto opened = std::chrono::steady_clock::now();
  run_for(13s);
  EXPECT_FALSE(closed_[0])
      << "closed before its deadline: a heartbeat every second keeps the silence limit away";
  run_for(3s);
  EXPECT_TRUE(closed_[0])
      << "still open "
      << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - opened).count()
      << " s after it was opened";
}

// Sam's device opens six pinned links: only the four newest stay.
TEST_F(PostboxDoor, AtMostFourPartnerLinksStayOpen) {
  const std::string doc = contract::read_squeezed(contract::source_dir() / "proto" / "INVITE.md");
  ASSERT_NE(doc.find("at most **4 links whose handshake finished**"), std::string::npos);
  ASSERT_NE(doc.find("the oldest finished link gets the close frame `CLOSE_REASON_REPLACED`"), std::string::npos);
  std::vector<std::unique_ptr<net::Dialing>> dialing;
  std::vector<std::shared_ptr<net::Connection>> links(6);
  std::vector<int> ended(6, 0);
  int secured = 0;
  for (std::size_t i = 0; i < links.size(); ++i) {
    dialing.push_back(network_->device("dev-sam")->dial(
        io_, "127.0.0.1", postbox_->port(),
        [&, i](const asio::error_code& ec, std::unique_ptr<net::Stream> stream) {
          ASSERT_FALSE(ec) << ec.message();
          links[i] = std::make_shared<net::Connection>(std::move(stream), net::LinkTiming{});
          auto handshake =
              pairing::JoinerHandshake::with_pin(sam_, alex_.peer_identity(), identity::system_random());
          links[i]->secure_with(pairing::SecureLink::for_joiner(std::move(handshake)),
                                [&](const pairing::HandshakeSuccess&) { ++secured; });
          links[i]->start([](const v1::Envelope&) {}, [&, i](const std::string&) { ended[i] = 1; });
          links[i]->open_handshake();
        }));
    // One at a time, so "oldest" means the first.
    ASSERT_TRUE(run_until([&] { return secured == static_cast<int>(i) + 1; })) << "link " << i;
  }
  ASSERT_TRUE(run_until([&] { return ended[0] + ended[1] == 2; }))
      << "more than four partner links stayed open";
  for (std::size_t i = 0; i < 2; ++i) {
    ASSERT_TRUE(links[i]->peer_goodbye().has_value()) << "link " << i << " ended without a close frame";
    EXPECT_EQ(links[i]->peer_goodbye()->reason(), v1::CLOSE_REASON_REPLACED);
  }
  io_.restart();
  io_.run_for(200ms);
  for (std::size_t i = 2; i < links.size(); ++i) EXPECT_EQ(ended[i], 0) << "link " << i;
  for (auto& link : links) link->close("test over");
}

}  // namespace
}  // namespace attune::invite
