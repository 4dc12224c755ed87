// Joining by address, over loopback only.
#include "direct_connector.hpp"

#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace attune::discovery {
namespace {

using namespace std::chrono_literals;

struct ConnectRun {
  asio::io_context io;
  std::optional<ConnectOutcome> outcome;
  void connect(std::vector<HostAddress> targets, std::chrono::milliseconds timeout = 3s) {
    DirectConnector::connect(io, std::move(targets), timeout,
                             [this](ConnectOutcome o) { outcome = std::move(o); });
    io.run_for(10s);  // Bounded: the connector's own deadline ends it much sooner.
  }
};

uint16_t free_closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();  // Closed again when `a` goes away.
}

TEST(DirectConnector, ConnectsToAListeningHostByAddressAndByName) {
  ConnectRun run;
  asio::ip::tcp::acceptor acceptor(run.io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  acceptor.listen();
  const uint16_t port = acceptor.local_endpoint().port();
  run.connect({HostAddress{HostAddress::Kind::Name, "localhost", port}});
  ASSERT_TRUE(run.outcome.has_value());
  ASSERT_TRUE(run.outcome->socket.has_value()) << "localhost did not connect";
  EXPECT_EQ(run.outcome->socket->remote_endpoint().port(), port);

  ConnectRun again;
  asio::ip::tcp::acceptor acceptor2(again.io,
                                    asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  acceptor2.listen();
  const uint16_t port2 = acceptor2.local_endpoint().port();
  // The dead candidate must not stop the live one from winning.
  again.connect({HostAddress{HostAddress::Kind::Ipv4, "127.0.0.1", free_closed_port()},
                 HostAddress{HostAddress::Kind::Ipv4, "127.0.0.1", port2}});
  ASSERT_TRUE(again.outcome && again.outcome->socket);
  EXPECT_EQ(again.outcome->connected_to, "127.0.0.1:" + std::to_string(port2));
}

TEST(DirectConnector, RefusedPortIsExplainedInPlainWords) {
  ConnectRun run;
  run.connect({HostAddress{HostAddress::Kind::Ipv4, "127.0.0.1", free_closed_port()}});
  ASSERT_TRUE(run.outcome.has_value());
  EXPECT_FALSE(run.outcome->socket.has_value());
  ASSERT_EQ(run.outcome->attempts.size(), 1u);
  EXPECT_FALSE(run.outcome->attempts[0].reachable);
  EXPECT_NE(run.outcome->attempts[0].detail.find("nothing listens"), std::string::npos);
}

TEST(DirectConnector, EmptyListFinishesAtOnce) {
  ConnectRun none;
  none.connect({});
  ASSERT_TRUE(none.outcome.has_value());
  EXPECT_FALSE(none.outcome->socket.has_value());
  EXPECT_TRUE(none.outcome->attempts.empty());
}

}  // namespace
}  // namespace attune::discovery
