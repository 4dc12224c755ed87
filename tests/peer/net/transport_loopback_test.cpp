// The in-process backend of the transport seam (peer/net/transport_loopback.hpp):
// what the window app's tests stand on when they run the real host, joiners
// and handshake in one process. Bytes arrive whole and in order, a closed
// side reads as the end, a cut device breaks both ends and can't dial until
// it is back, and quiet() says when nothing is in flight.
#include "net/transport_loopback.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace attune::net {
namespace {

using namespace std::chrono_literals;

struct Link {
  asio::io_context io;
  std::shared_ptr<LoopbackNetwork> net = LoopbackNetwork::create();
  std::unique_ptr<Listener> listener;
  std::unique_ptr<Stream> host_end;
  std::unique_ptr<Stream> joiner_end;

  Link() {
    listener = net->device("host")->listen(io, "0.0.0.0", 0);
    listener->async_accept([this](const asio::error_code& ec, std::unique_ptr<Stream> s) {
      ASSERT_FALSE(ec) << ec.message();
      host_end = std::move(s);
    });
    auto dialing = net->device("joiner")->dial(io, "host", listener->port(),
                                               [this](const asio::error_code& ec, std::unique_ptr<Stream> s) {
                                                 ASSERT_FALSE(ec) << ec.message();
                                                 joiner_end = std::move(s);
                                               });
    run_until([this] { return host_end && joiner_end; });
  }

  template <typename Done>
  bool run_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io.restart();  // It stops whenever it runs out of work.
      io.run_one_for(50ms);
    }
    return done();
  }

  // Reads from `from` until `want` bytes or an error arrive.
  std::pair<std::string, asio::error_code> read(Stream& from, std::size_t want) {
    std::string got;
    asio::error_code last;
    std::array<char, 5> buffer{};  // Small: a write arrives over several reads.
    bool busy = false;
    run_until([&] {
      if (!busy && !last && got.size() < want) {
        busy = true;
        from.async_read_some(asio::buffer(buffer), [&](const asio::error_code& ec, std::size_t n) {
          got.append(buffer.data(), n);
          last = ec;
          busy = false;
        });
      }
      return !busy && (last || got.size() >= want);
    });
    return {got, last};
  }
};

TEST(LoopbackTransport, BytesArriveInOrderAndAClosedSideReadsAsTheEnd) {
  Link link;
  EXPECT_EQ(link.host_end->remote(), "loopback device joiner");
  EXPECT_EQ(link.host_end->source(), "loopback:joiner");
  std::optional<std::size_t> written;
  link.joiner_end->async_write(asio::buffer(std::string("first, then second")),
                               [&](const asio::error_code& ec, std::size_t n) {
                                 EXPECT_FALSE(ec);
                                 written = n;
                               });
  const auto [text, ec] = link.read(*link.host_end, 18);
  EXPECT_EQ(text, "first, then second");
  EXPECT_EQ(written, 18u);

  link.joiner_end->write_now(asio::buffer(std::string("bye")));
  link.joiner_end->close();
  const auto [rest, end] = link.read(*link.host_end, 100);
  EXPECT_EQ(rest, "bye");
  EXPECT_EQ(end, asio::error::eof);
  EXPECT_TRUE(link.run_until([&] { return link.net->quiet(); }));
}

TEST(LoopbackTransport, ACutDeviceBreaksBothEndsAndDialsOnlyOnceItIsBack) {
  Link link;
  link.net->set_reachable("joiner", false);
  EXPECT_EQ(link.read(*link.host_end, 1).second, asio::error::connection_reset);
  EXPECT_EQ(link.read(*link.joiner_end, 1).second, asio::error::connection_reset);

  std::optional<asio::error_code> answer;
  auto dial = [&] {
    answer.reset();
    return link.net->device("joiner")->dial(link.io, "host", link.listener->port(),
                                            [&](const asio::error_code& ec, std::unique_ptr<Stream>) { answer = ec; });
  };
  auto refused = dial();
  ASSERT_TRUE(link.run_until([&] { return answer.has_value(); }));
  EXPECT_EQ(*answer, asio::error::connection_refused);

  link.net->set_reachable("joiner", true);
  link.listener->async_accept([](const asio::error_code&, std::unique_ptr<Stream>) {});
  auto accepted = dial();
  ASSERT_TRUE(link.run_until([&] { return answer.has_value(); }));
  EXPECT_FALSE(*answer) << answer->message();
}

TEST(LoopbackTransport, APortIsTakenOnceAndNothingListensAfterClose) {
  Link link;
  const auto port = link.listener->port();
  EXPECT_THROW(link.net->device("other")->listen(link.io, "0.0.0.0", port), std::system_error);
  link.listener->close();
  std::optional<asio::error_code> answer;
  auto dialing = link.net->device("joiner")->dial(
      link.io, "host", port, [&](const asio::error_code& ec, std::unique_ptr<Stream>) { answer = ec; });
  ASSERT_TRUE(link.run_until([&] { return answer.has_value(); }));
  EXPECT_EQ(*answer, asio::error::connection_refused);
}

}  // namespace
}  // namespace attune::net
