// One link's write queue is bounded (issue 12, item 4): when the device at
// the other end stops reading, the link is closed (as faulted, with words)
// instead of holding ever more for it; a device that reads gets everything.
// Real sockets on loopback; the far side is a plain socket. The frames are
// Errors, the one thing a link sends before (or without) its handshake.
#include <gtest/gtest.h>

#include <array>
#include <asio.hpp>
#include <cstdio>
#include <optional>
#include <string>

#include "attune/host/device_limits.hpp"
#include "attune/wire_codec.hpp"
#include "net/connection.hpp"

namespace attune::net {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kFrame = 60 * 1024;
constexpr int kFrames = 400;  // 24 MB: far more than a link may hold unsent.

// One frame of about kFrame bytes.
v1::Envelope big(char fill) {
  v1::Envelope envelope;
  envelope.mutable_error()->set_message(std::string(kFrame, fill));
  return envelope;
}

struct Pair {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  asio::ip::tcp::socket far{io};
  std::shared_ptr<Connection> link;
  std::optional<std::string> closed;

  explicit Pair(bool small_window) {
    far.open(asio::ip::tcp::v4());
    if (small_window) far.set_option(asio::socket_base::receive_buffer_size(4096));
    far.connect(acceptor.local_endpoint());
    // Silence is not what this is about: a long limit keeps it out of the way.
    link = std::make_shared<Connection>(tcp_stream(acceptor.accept()), LinkTiming{1000ms, 60000ms, {}});
    link->limit_unsent(host::kMaxUnsentBytesPerLink);  // As the host sets it.
    link->start([](const v1::Envelope&) {}, [this](const std::string& reason) { closed = reason; });
  }

  // Queues frames as fast as the caller can, the way a host fans out changes.
  // Returns how many it queued before the link closed.
  int flood() {
    int i = 0;
    for (; i < kFrames && !closed; ++i) {
      link->send(big(static_cast<char>('a' + i % 26)));
      io.poll();
    }
    return i;
  }
};

TEST(ConnectionLimits, ALinkWhoseDeviceStopsReadingIsClosedWithWords) {
  Pair pair(/*small_window=*/true);
  const int queued = pair.flood();
  std::printf("unread link: closed after %d frames of %zu KiB were queued (%d KiB)\n", queued, kFrame / 1024,
              queued * static_cast<int>(kFrame / 1024));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!pair.closed && std::chrono::steady_clock::now() < deadline) pair.io.run_one_for(100ms);
  ASSERT_TRUE(pair.closed) << "a link that is never read held " << kFrames * kFrame / 1024 << " KiB";
  EXPECT_TRUE(pair.link->faulted());
  EXPECT_NE(pair.closed->find("stopped reading"), std::string::npos) << *pair.closed;
}

TEST(ConnectionLimits, ADeviceThatReadsGetsEverything) {
  Pair pair(/*small_window=*/false);
  std::size_t received = 0;
  std::array<char, 64 * 1024> buffer{};
  std::function<void()> read = [&] {
    pair.far.async_read_some(asio::buffer(buffer), [&](const asio::error_code& ec, std::size_t n) {
      received += n;
      if (!ec) read();
    });
  };
  read();
  const std::size_t total = 100 * kFrame;  // 6 MB, more than the limit, read as it comes.
  for (int i = 0; i < 100 && !pair.closed; ++i) {
    pair.link->send(big('r'));
    // A reader keeps up: give it a turn between frames, as a LAN would.
    for (int turns = 0; turns < 64 && pair.io.poll_one() > 0; ++turns) {
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!pair.closed && received < total && std::chrono::steady_clock::now() < deadline) {
    pair.io.run_one_for(100ms);
  }
  EXPECT_FALSE(pair.closed) << *pair.closed;
  EXPECT_GE(received, total);
}

// There is no cleartext mode (issue 11): a link without keys (the host turns
// it away before any handshake) writes only handshake steps and Errors;
// session messages and heartbeats never leave it in clear.
TEST(ConnectionLimits, ALinkWithoutKeysSendsNothingButPlainWordsOfRefusal) {
  Pair pair(/*small_window=*/false);
  std::string received;
  std::array<char, 4096> buffer{};
  std::function<void()> read = [&] {
    pair.far.async_read_some(asio::buffer(buffer), [&](const asio::error_code& ec, std::size_t n) {
      received.append(buffer.data(), n);
      if (!ec) read();
    });
  };
  read();
  v1::Envelope submit;
  submit.mutable_submit_intent()->set_intent_id("i-1");
  submit.mutable_submit_intent()->mutable_intent()->mutable_write_text()->set_text("what I never said aloud");
  pair.link->send(submit);
  v1::Envelope beat;
  beat.mutable_heartbeat()->set_sent_ms(1);
  pair.link->send(beat);
  v1::Envelope words;
  words.mutable_error()->set_message("please try again later");
  pair.link->send(words);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (received.find("please try again later") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    pair.io.run_one_for(100ms);
  }
  EXPECT_NE(received.find("please try again later"), std::string::npos) << "the Error did not go out";
  EXPECT_EQ(received.find("what I never said aloud"), std::string::npos) << "a session message went out in clear";
  EXPECT_EQ(received, encode_envelope(words).value_or("")) << "only the Error's frame may go out";
}

// A host fanning one change out to every device holds each link while it
// seals, then writes (issue 18): nothing may leave a held link, and on
// release everything queued goes out whole and in order.
TEST(ConnectionLimits, AHeldLinkSendsNothingUntilReleasedThenAllOfItInOrder) {
  Pair pair(false);
  std::string expected;
  pair.link->hold();
  for (const char* text : {"first", "second", "third"}) {
    v1::Envelope words;
    words.mutable_error()->set_message(text);
    expected += encode_envelope(words).value_or("");
    pair.link->send(words);
  }
  pair.io.poll();
  asio::error_code ec;
  EXPECT_EQ(pair.far.available(ec), 0u) << "a held link wrote before it was released";
  pair.link->release();
  std::string received;
  std::array<char, 4096> buffer{};
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (received.size() < expected.size() && std::chrono::steady_clock::now() < deadline) {
    pair.io.poll();
    if (pair.far.available(ec) == 0) continue;
    received.append(buffer.data(), pair.far.read_some(asio::buffer(buffer), ec));
  }
  EXPECT_EQ(received, expected) << "the held frames did not all go out, in order, on release";
  EXPECT_FALSE(pair.closed) << "releasing closed the link: " << pair.closed.value_or("");
}

}  // namespace
}  // namespace attune::net
