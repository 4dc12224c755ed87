// How the joiner reaches a host that may be at several addresses (an
// invite's LAN address and its VPN address, say): every address in order,
// the next one started when the one before fails, or after a short stagger
// while it is still waiting (RFC 8305's "connection attempt delay"). The
// first to connect wins and the others are cancelled; each address has the
// dial timeout of its own. Runs on the io_context it is given.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/transport.hpp"

namespace attune::net {

// One place the host may be.
struct DialAddress {
  std::string host;  // Numeric address or name, without brackets.
  uint16_t port = 0;
  friend bool operator==(const DialAddress&, const DialAddress&) = default;
  // "host:port", an IPv6 address in brackets.
  std::string text() const;
};

class DialRace : public std::enable_shared_from_this<DialRace> {
 public:
  struct Failure {
    DialAddress address;
    std::string why;      // "Connection refused", "nothing answered in time", ...
    bool lookup = false;  // The name could not be looked up.
  };
  struct Result {
    std::unique_ptr<Stream> stream;  // The first address that answered; null when none did.
    std::size_t reached = 0;         // That address's place in the list.
    std::vector<Failure> failures;   // The addresses that failed, in the order they did.
  };
  using Done = std::function<void(Result)>;
  struct Timing {
    std::chrono::milliseconds stagger{250};     // Start the next address after this, if still waiting.
    std::chrono::milliseconds timeout{10'000};  // Give up on one address after this.
  };

  // Starts dialing `addresses` (not empty); `done` is called once, unless cancelled first.
  static std::shared_ptr<DialRace> start(asio::io_context& io, std::shared_ptr<Transport> transport,
                                         std::vector<DialAddress> addresses, Timing timing, Done done);
  DialRace(asio::io_context& io, std::shared_ptr<Transport> transport, std::vector<DialAddress> addresses,
           Timing timing, Done done);

  // Stops every attempt; `done` is never called after this.
  void cancel();

 private:
  struct Attempt {
    explicit Attempt(asio::io_context& io) : timer(io) {}
    std::unique_ptr<Dialing> dialing;
    asio::steady_timer timer;
    bool finished = false;
    bool timed_out = false;
  };
  void launch_next();
  void answered(std::size_t index, const asio::error_code& ec, std::unique_ptr<Stream> stream);
  void finish(Result result);

  asio::io_context& io_;
  std::shared_ptr<Transport> transport_;
  std::vector<DialAddress> addresses_;
  Timing timing_;
  Done done_;
  asio::steady_timer stagger_;
  std::vector<std::unique_ptr<Attempt>> attempts_;  // One for each address started, in order.
  std::vector<Failure> failures_;
  bool finished_ = false;
};

// Words for a whole dial that failed, as the joiner's link line says them:
// "the host did not answer: Connection refused", or for several addresses
// "the host did not answer at 10.0.0.5:47000 (Connection refused) or ...".
std::string dial_failure_words(const std::vector<DialRace::Failure>& failures);

}  // namespace attune::net
