// proto/HANDSHAKE.md section 7, "Which source an attempt counts for" (reader
// 11, M2): a host listening on IPv6 and IPv4 at once sees IPv4 joiners as
// IPv4-mapped addresses. Each must still count as its own IPv4 address, not
// all of them as the one /64 ::ffff:0:0/64, or one busy neighbour's tries
// would rate-limit every other IPv4 joiner.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "doc_between.hpp"
#include "doc_section.hpp"
#include "net/transport.hpp"

namespace attune::net {
namespace {

using asio::ip::tcp;

// A listener on :: (IPv6 and IPv4 at once, as `--bind ::` makes).
class DualStackHost {
 public:
  DualStackHost() { listener_ = tcp_transport()->listen(io_, "::", 0); }

  // Connects from `from` to `to` on loopback; the source the host's side of
  // that stream counts it as ("" if nothing came in time).
  std::string source_of_a_joiner_at(const std::string& from, const std::string& to) {
    std::string source;
    bool done = false;
    listener_->async_accept([&](const asio::error_code& ec, std::unique_ptr<Stream> stream) {
      done = true;
      if (!ec) source = stream->source();
    });
    tcp::socket socket(io_);
    const auto local = asio::ip::make_address(from);
    socket.open(local.is_v4() ? tcp::v4() : tcp::v6());
    socket.bind({local, 0});
    socket.async_connect({asio::ip::make_address(to), listener_->port()}, [](const asio::error_code&) {});
    io_.restart();  // The last one ran out of work, which stops the context.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done && std::chrono::steady_clock::now() < deadline) io_.run_for(std::chrono::milliseconds(50));
    EXPECT_TRUE(done) << "no connection from " << from << " within 10 s";
    return source;
  }

 private:
  asio::io_context io_;
  std::unique_ptr<Listener> listener_;
};

TEST(RateLimitSourceDoc, AnIpv4JoinerCountsAsItsOwnAddressOnADualStackHost) {
  const std::string doc = contract::read_squeezed(contract::source_dir() / "proto" / "HANDSHAKE.md");
  const std::string rule = contract::between(doc, "**Which source an attempt counts for.**", "(test ");
  ASSERT_NE(rule.find("an IPv4-mapped address, `::ffff:192.0.2.7`: that counts as the IPv4 address "
                      "`192.0.2.7`, never as part of the /64 `::ffff:0:0/64`"),
            std::string::npos)
      << rule;
  ASSERT_NE(rule.find("The joiner's IPv4 address, or the /64 prefix of its IPv6 address."), std::string::npos)
      << rule;

  std::unique_ptr<DualStackHost> host;
  try {
    host = std::make_unique<DualStackHost>();
  } catch (const std::system_error& e) {
    GTEST_SKIP() << "this machine can't listen on :: (" << e.what() << ")";
  }
  // Two IPv4 joiners reach the host as ::ffff:127.0.0.x: two sources, each its own address.
  EXPECT_EQ(host->source_of_a_joiner_at("127.0.0.2", "127.0.0.1"), "127.0.0.2");
  EXPECT_EQ(host->source_of_a_joiner_at("127.0.0.3", "127.0.0.1"), "127.0.0.3");
  // A joiner that itself dials from the mapped form of its address.
  EXPECT_EQ(host->source_of_a_joiner_at("::ffff:127.0.0.4", "::ffff:127.0.0.1"), "127.0.0.4");
  // An IPv6 joiner counts as its /64.
  EXPECT_EQ(host->source_of_a_joiner_at("::1", "::1"), "::/64");
}

}  // namespace
}  // namespace attune::net
