// Joining by address: resolves a typed address or an invite's addresses and
// tries them all at once over TCP; the first that connects wins. Also used to
// try recently used hosts in the background. Runs on the caller's io_context.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attune/discovery/diagnosis.hpp"
#include "attune/discovery/host_address.hpp"

namespace attune::discovery {

struct ConnectOutcome {
  std::optional<asio::ip::tcp::socket> socket;  // Connected socket when one attempt worked.
  std::string connected_to;                     // "address:port" that worked.
  std::vector<DirectCheck> attempts;            // Every candidate and how it went.
};

class DirectConnector : public std::enable_shared_from_this<DirectConnector> {
 public:
  using Done = std::function<void(ConnectOutcome)>;

  // Tries every address (names are resolved first) in parallel; calls `done`
  // once, on the io_context, when one connects or all failed or timed out.
  static void connect(asio::io_context& io, std::vector<HostAddress> targets,
                      std::chrono::milliseconds timeout, Done done);

  DirectConnector(asio::io_context& io, std::chrono::milliseconds timeout, Done done);

 private:
  void start(std::vector<HostAddress> targets);
  void try_endpoint(const asio::ip::tcp::endpoint& endpoint, const std::string& label);
  void attempt_finished();
  void finish();

  asio::io_context& io_;
  asio::ip::tcp::resolver resolver_;
  asio::steady_timer deadline_;
  Done done_;
  ConnectOutcome outcome_;
  std::vector<std::shared_ptr<asio::ip::tcp::socket>> sockets_;
  size_t pending_ = 0;
  bool finished_ = false;
};

}  // namespace attune::discovery
