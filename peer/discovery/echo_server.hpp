// attune-discovery's stand-in for the session's TCP service: echoes each
// line back, so joins and round-trip times can be checked end to end.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/read_until.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>
#include <cstdint>
#include <memory>
#include <string>

namespace attune::discovery {

class EchoServer {
 public:
  EchoServer(asio::io_context& io, uint16_t port) : io_(io), acceptor_(io) {
    asio::ip::tcp::endpoint ep(asio::ip::tcp::v6(), port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::ip::v6_only(false));
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    accept();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void stop() {
    asio::error_code ec;
    acceptor_.close(ec);
  }

 private:
  struct Conn : std::enable_shared_from_this<Conn> {
    explicit Conn(asio::ip::tcp::socket s) : socket(std::move(s)), buffer(4096) {}
    asio::ip::tcp::socket socket;
    asio::streambuf buffer;
    std::string line;
    void read() {
      asio::async_read_until(socket, buffer, '\n',
                             [self = shared_from_this()](const asio::error_code& ec, size_t n) {
                               if (ec) return;  // Peer left or sent an over-long line: drop the connection.
                               self->line.assign(asio::buffers_begin(self->buffer.data()),
                                                 asio::buffers_begin(self->buffer.data()) + n);
                               self->buffer.consume(n);
                               asio::async_write(self->socket, asio::buffer(self->line),
                                                 [self](const asio::error_code& wec, size_t) {
                                                   if (!wec) self->read();
                                                 });
                             });
    }
  };
  void accept() {
    acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket s) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) std::make_shared<Conn>(std::move(s))->read();
      accept();
    });
  }
  asio::io_context& io_;
  asio::ip::tcp::acceptor acceptor_;
};

}  // namespace attune::discovery
