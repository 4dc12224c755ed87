// The seam under Connection, Host and Joiner: how bytes get from one device
// to another. Two backends: TCP (transport_tcp.cpp, what the product uses)
// and an in-process loopback network (transport_loopback.hpp, for tests
// that run the real host, joiners, handshake and pinning in one process).
// Everything above the seam (framing, sealing, heartbeats) is the same for
// both. Every handler runs on the executor the stream or listener was made
// with.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace attune::net {

// One ordered, reliable byte stream to another device.
class Stream {
 public:
  using IoHandler = std::function<void(const asio::error_code&, std::size_t)>;
  virtual ~Stream() = default;

  virtual asio::any_io_executor executor() = 0;
  // Reads at least one byte into `buffer` (or fails: eof when the other side
  // shut its sending half).
  virtual void async_read_some(asio::mutable_buffer buffer, IoHandler handler) = 0;
  // Writes all of `buffer` (or fails). One write at a time.
  virtual void async_write(asio::const_buffer buffer, IoHandler handler) = 0;
  // One attempt to write `buffer` without waiting (a last word to a peer
  // gone silent); whatever doesn't fit is dropped.
  virtual void write_now(asio::const_buffer buffer) = 0;
  // No more bytes from this side; reading goes on.
  virtual void shutdown_send() = 0;
  // Closes both directions; pending operations end with operation_aborted.
  virtual void close() = 0;

  // Who is at the other end, for logs and the host's messages.
  virtual std::string remote() const = 0;
  // What the host's rate limits count for this stream (HANDSHAKE.md,
  // section 7): an IPv4 address (an IPv4-mapped one counts as its IPv4
  // address), an IPv6 /64, or a loopback device's name.
  virtual std::string source() const = 0;
};

using StreamHandler = std::function<void(const asio::error_code&, std::unique_ptr<Stream>)>;

// A bound address that hands over the streams devices open to it.
class Listener {
 public:
  virtual ~Listener() = default;
  virtual uint16_t port() const = 0;
  // One stream, or an error (operation_aborted once closed).
  virtual void async_accept(StreamHandler handler) = 0;
  virtual void close() = 0;
};

// A connection attempt in progress; destroying it doesn't cancel it.
class Dialing {
 public:
  virtual ~Dialing() = default;
  // Stops the attempt: its handler gets operation_aborted.
  virtual void cancel() = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Listens on `address`:`port` (0 picks a free port). Throws
  // std::system_error when the address cannot be bound.
  virtual std::unique_ptr<Listener> listen(asio::io_context& io, const std::string& address,
                                           uint16_t port) = 0;
  // Opens a stream to `host`:`port`; `done` gets it, or why not.
  virtual std::unique_ptr<Dialing> dial(asio::io_context& io, const std::string& host, uint16_t port,
                                        StreamHandler done) = 0;
};

// The product's transport: TCP over the machine's network.
std::shared_ptr<Transport> tcp_transport();
// A connected TCP socket as a Stream.
std::unique_ptr<Stream> tcp_stream(asio::ip::tcp::socket socket);

}  // namespace attune::net
