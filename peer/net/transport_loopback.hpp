// The in-process backend of the transport seam: a small network of named
// devices inside one process, joined by in-memory byte pipes. Each device's
// node runs its own io_context as usual; a pipe hands bytes from one
// device's executor to the other's, so the real Host, Joiner, Connection,
// handshake and pinning run unchanged on top of it. Tests use it to run a
// whole session in one process, to cut one device off (both ends see the
// link break, as when a laptop leaves the network) and to wait until
// nothing is in flight.
//
// Listeners are found by port alone; the address a host binds and the name
// a joiner dials are only words here. Nothing leaves the process.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "net/transport.hpp"

namespace attune::net {

class LoopbackNetwork : public std::enable_shared_from_this<LoopbackNetwork> {
 public:
  static std::shared_ptr<LoopbackNetwork> create();

  // The transport the device called `name` uses: its listeners are owned by
  // it, its dials come from it, and the other side knows it by that name.
  std::shared_ptr<Transport> device(const std::string& name);

  // Unreachable: every stream to or from `name` breaks at once (both ends
  // read connection_reset), and its dials are refused until it is reachable
  // again.
  void set_reachable(const std::string& name, bool reachable);

  // No byte waits in a pipe and no completion waits to run: every device has
  // handled everything sent to it, and everything it sent in reply.
  bool quiet() const;

  // (Internals shared with the streams and listeners of this network.)
  struct Pipe;
  struct Gate;
  void schedule(const asio::any_io_executor& executor, Stream::IoHandler handler, asio::error_code ec,
                std::size_t n);
  void schedule_stream(const asio::any_io_executor& executor, StreamHandler handler, asio::error_code ec,
                       std::unique_ptr<Stream> stream);
  std::unique_ptr<Listener> listen(const std::string& owner, asio::io_context& io, uint16_t port);
  std::unique_ptr<Dialing> dial(const std::string& from, asio::io_context& io, uint16_t port,
                                StreamHandler done);
  void unlisten(uint16_t port);
  std::mutex& mutex() const { return mu_; }

 private:
  LoopbackNetwork() = default;
  void op_done();
  void cut_locked(const std::string& name);

  mutable std::mutex mu_;
  int ops_ = 0;  // Completions posted and not yet run.
  uint16_t next_port_ = 40000;
  std::map<uint16_t, std::shared_ptr<Gate>> listeners_;
  std::vector<std::weak_ptr<Pipe>> pipes_;
  std::set<std::string> unreachable_;
};

}  // namespace attune::net
