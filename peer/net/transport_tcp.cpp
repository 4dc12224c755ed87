// The TCP backend of the transport seam: an Asio socket per stream, an
// acceptor per listener, and a resolver plus async_connect per dial.
#include <algorithm>

#include "net/transport.hpp"

namespace attune::net {

namespace {

using asio::ip::tcp;

// Rate limits count an IPv4 address, or an IPv6 /64 (HANDSHAKE.md, section 7).
std::string source_of(const asio::ip::address& address) {
  if (address.is_v6() && !address.to_v6().is_v4_mapped()) {
    auto bytes = address.to_v6().to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return asio::ip::address_v6(bytes).to_string() + "/64";
  }
  return address.is_v6() ? asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string()
                         : address.to_string();
}

class TcpStream final : public Stream {
 public:
  explicit TcpStream(tcp::socket socket) : socket_(std::move(socket)) {
    asio::error_code ec;
    const auto endpoint = socket_.remote_endpoint(ec);
    if (ec) {
      remote_ = "unknown peer";
      source_ = "unknown";
    } else {
      remote_ = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
      source_ = source_of(endpoint.address());
    }
    // Small frames matter more than throughput here: send each at once.
    socket_.set_option(tcp::no_delay(true), ec);
  }

  asio::any_io_executor executor() override { return socket_.get_executor(); }
  void async_read_some(asio::mutable_buffer buffer, IoHandler handler) override {
    socket_.async_read_some(buffer, std::move(handler));
  }
  void async_write(asio::const_buffer buffer, IoHandler handler) override {
    asio::async_write(socket_, buffer, std::move(handler));
  }
  void write_now(asio::const_buffer buffer) override {
    asio::error_code ignored;
    socket_.non_blocking(true, ignored);
    asio::write(socket_, buffer, ignored);
  }
  void shutdown_send() override {
    asio::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
  }
  void close() override {
    asio::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
  std::string remote() const override { return remote_; }
  std::string source() const override { return source_; }

 private:
  tcp::socket socket_;
  std::string remote_;
  std::string source_;
};

class TcpListener final : public Listener {
 public:
  TcpListener(asio::io_context& io, const std::string& address, uint16_t port) : acceptor_(io) {
    const tcp::endpoint endpoint(asio::ip::make_address(address), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
  }
  uint16_t port() const override { return acceptor_.local_endpoint().port(); }
  void async_accept(StreamHandler handler) override {
    acceptor_.async_accept([handler = std::move(handler)](const asio::error_code& ec, tcp::socket socket) {
      if (ec) {
        handler(ec, nullptr);
        return;
      }
      handler(ec, std::make_unique<TcpStream>(std::move(socket)));
    });
  }
  void close() override {
    asio::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  tcp::acceptor acceptor_;
};

// Resolves, then tries each address in turn. The state outlives the handle
// (the handlers hold it), so dropping the handle never frees it early.
class TcpDialing final : public Dialing {
 public:
  struct State {
    State(asio::io_context& io) : resolver(io), socket(io) {}
    tcp::resolver resolver;
    tcp::socket socket;
    bool cancelled = false;
  };
  explicit TcpDialing(std::shared_ptr<State> state) : state_(std::move(state)) {}
  void cancel() override {
    state_->cancelled = true;
    state_->resolver.cancel();
    asio::error_code ignored;
    state_->socket.close(ignored);
  }

 private:
  std::shared_ptr<State> state_;
};

class TcpTransport final : public Transport {
 public:
  std::unique_ptr<Listener> listen(asio::io_context& io, const std::string& address, uint16_t port) override {
    return std::make_unique<TcpListener>(io, address, port);
  }

  std::unique_ptr<Dialing> dial(asio::io_context& io, const std::string& host, uint16_t port,
                                StreamHandler done) override {
    auto state = std::make_shared<TcpDialing::State>(io);
    state->resolver.async_resolve(
        host, std::to_string(port),
        [state, done = std::move(done)](const asio::error_code& ec, tcp::resolver::results_type results) {
          if (ec || state->cancelled) {
            done(ec ? ec : asio::error::operation_aborted, nullptr);
            return;
          }
          asio::async_connect(state->socket, results,
                              [state, done](const asio::error_code& ec2, const tcp::endpoint&) {
                                if (ec2 || state->cancelled) {
                                  done(ec2 ? ec2 : asio::error::operation_aborted, nullptr);
                                  return;
                                }
                                done(ec2, std::make_unique<TcpStream>(std::move(state->socket)));
                              });
        });
    return std::make_unique<TcpDialing>(std::move(state));
  }
};

}  // namespace

std::unique_ptr<Stream> tcp_stream(asio::ip::tcp::socket socket) {
  return std::make_unique<TcpStream>(std::move(socket));
}

std::shared_ptr<Transport> tcp_transport() {
  static const std::shared_ptr<Transport> transport = std::make_shared<TcpTransport>();
  return transport;
}

}  // namespace attune::net
