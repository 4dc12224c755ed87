#include "loopback_relay.hpp"

#include <array>

namespace attune::app::test {
namespace {

using asio::ip::tcp;

struct Pipe {
  Pipe(tcp::socket a, tcp::socket b) : from_client(std::move(a)), to_host(std::move(b)) {}
  tcp::socket from_client, to_host;
  std::array<char, 4096> up{}, down{};
  void close() {
    asio::error_code ignored;
    from_client.close(ignored);
    to_host.close(ignored);
  }
};

// Bytes from `from` to `to`, until either end closes.
void pump(const std::shared_ptr<Pipe>& pipe, tcp::socket& from, tcp::socket& to, std::array<char, 4096>& buf) {
  from.async_read_some(asio::buffer(buf), [pipe, &from, &to, &buf](const asio::error_code& ec, std::size_t n) {
    if (ec) return pipe->close();
    asio::async_write(to, asio::buffer(buf.data(), n), [pipe, &from, &to, &buf](const asio::error_code& e, std::size_t) {
      if (e) return pipe->close();
      pump(pipe, from, to, buf);
    });
  });
}

}  // namespace

LoopbackRelay::LoopbackRelay(uint16_t host_port, Kind kind, const std::string& bind, uint16_t port)
    : acceptor_(io_), delay_(io_), host_port_(host_port), bind_(bind) {
  const tcp::endpoint here(asio::ip::make_address(bind), port);
  acceptor_.open(here.protocol());
  acceptor_.bind(here);
  acceptor_.listen(kind == Kind::Quick ? asio::socket_base::max_listen_connections : 1);
  port_ = acceptor_.local_endpoint().port();
  if (kind != Kind::Quick) {
    // A queue of one holds two: with both taken, the kernel drops new SYNs.
    for (int i = 0; i < 2; ++i) {
      fillers_.emplace_back(io_);
      fillers_.back().connect({here.address(), port_});
      filler_ports_.insert(fillers_.back().local_endpoint().port());
    }
  }
  if (kind == Kind::Slow) {
    delay_.expires_after(std::chrono::milliseconds(1500));
    delay_.async_wait([this](const asio::error_code& ec) {
      if (!ec) accept_next();
    });
  } else if (kind == Kind::Quick) {
    accept_next();
  }
  thread_ = std::thread([this] {
    auto work = asio::make_work_guard(io_);
    io_.run();
  });
}

LoopbackRelay::~LoopbackRelay() {
  io_.stop();
  thread_.join();
}

void LoopbackRelay::accept_next() {
  acceptor_.async_accept([this](const asio::error_code& ec, tcp::socket client) {
    if (ec) return;
    asio::error_code e;
    const auto remote = client.remote_endpoint(e);
    if (!e && filler_ports_.count(remote.port())) {
      client.close(e);  // One of our own fillers.
    } else {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - made_);
      long none = -1;
      first_ms_.compare_exchange_strong(none, static_cast<long>(ms.count()));
      ++connections_;
      tcp::socket host(io_);
      host.connect({asio::ip::make_address("127.0.0.1"), host_port_}, e);
      if (!e) {
        auto pipe = std::make_shared<Pipe>(std::move(client), std::move(host));
        pump(pipe, pipe->from_client, pipe->to_host, pipe->up);
        pump(pipe, pipe->to_host, pipe->from_client, pipe->down);
      }
    }
    accept_next();
  });
}

}  // namespace attune::app::test
