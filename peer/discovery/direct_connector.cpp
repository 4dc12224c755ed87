#include "direct_connector.hpp"

#include <asio/post.hpp>

namespace attune::discovery {

void DirectConnector::connect(asio::io_context& io, std::vector<HostAddress> targets,
                              std::chrono::milliseconds timeout, Done done) {
  auto self = std::make_shared<DirectConnector>(io, timeout, std::move(done));
  self->start(std::move(targets));
}

DirectConnector::DirectConnector(asio::io_context& io, std::chrono::milliseconds timeout, Done done)
    : io_(io), resolver_(io), deadline_(io), done_(std::move(done)) {
  deadline_.expires_after(timeout);
}

void DirectConnector::start(std::vector<HostAddress> targets) {
  auto self = shared_from_this();
  deadline_.async_wait([self](const asio::error_code& ec) {
    if (ec) return;
    for (auto& attempt : self->outcome_.attempts) {
      if (attempt.detail.empty()) attempt.detail = "no answer in time";
    }
    self->finish();
  });
  pending_ = targets.size();
  if (targets.empty()) {
    finish();
    return;
  }
  for (const auto& target : targets) {
    switch (target.kind) {
      case HostAddress::Kind::Ipv4:
      case HostAddress::Kind::Ipv6: {
        asio::error_code ec;
        const auto address = asio::ip::make_address(target.host, ec);
        if (ec) {
          outcome_.attempts.push_back(DirectCheck{target.to_string(), false, "not a usable address"});
          attempt_finished();
        } else {
          ++pending_;
          try_endpoint(asio::ip::tcp::endpoint(address, target.port), target.to_string());
          attempt_finished();
        }
        break;
      }
      case HostAddress::Kind::Name:
        resolver_.async_resolve(
            target.host, std::to_string(target.port),
            [self, target](const asio::error_code& ec, asio::ip::tcp::resolver::results_type results) {
              if (self->finished_) return;
              if (ec || results.empty()) {
                self->outcome_.attempts.push_back(DirectCheck{target.to_string(), false, "name not found"});
              } else {
                for (const auto& entry : results) {
                  ++self->pending_;
                  const auto& ep = entry.endpoint();
                  self->try_endpoint(
                      ep, target.host + " (" + ep.address().to_string() + "):" + std::to_string(ep.port()));
                }
              }
              self->attempt_finished();
            });
        break;
    }
  }
}

void DirectConnector::try_endpoint(const asio::ip::tcp::endpoint& endpoint, const std::string& label) {
  auto socket = std::make_shared<asio::ip::tcp::socket>(io_);
  sockets_.push_back(socket);
  const size_t index = outcome_.attempts.size();
  outcome_.attempts.push_back(DirectCheck{label, false, {}});
  socket->async_connect(endpoint, [self = shared_from_this(), socket, index](const asio::error_code& ec) {
    if (self->finished_) return;
    auto& attempt = self->outcome_.attempts[index];
    if (!ec) {
      attempt.reachable = true;
      attempt.detail = "connected";
      self->outcome_.connected_to = attempt.address;
      self->outcome_.socket.emplace(std::move(*socket));
      self->finish();
      return;
    }
    attempt.detail = ec == asio::error::connection_refused
                         ? "the device answered but nothing listens on that port"
                         : ec.message();
    self->attempt_finished();
  });
}

void DirectConnector::attempt_finished() {
  if (pending_ > 0) --pending_;
  if (pending_ == 0) finish();
}

void DirectConnector::finish() {
  if (finished_) return;
  finished_ = true;
  deadline_.cancel();
  resolver_.cancel();
  for (auto& s : sockets_) {
    asio::error_code ec;
    if (s->is_open()) s->close(ec);
  }
  auto done = std::move(done_);
  auto outcome = std::move(outcome_);
  // Deliver outside any handler of ours so the callee may start new work freely.
  asio::post(io_, [done = std::move(done), outcome = std::move(outcome)]() mutable {
    if (done) done(std::move(outcome));
  });
}

}  // namespace attune::discovery
