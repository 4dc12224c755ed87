#include "net/transport_loopback.hpp"

#include <algorithm>
#include <cstring>
#include <deque>

namespace attune::net {

namespace {

// Bytes flowing toward one end of a pipe, and that end's one pending read.
struct Direction {
  std::string bytes;
  bool eof = false;     // The writer shut its sending half (after `bytes`).
  bool broken = false;  // Cut, or the reader closed: nothing more arrives.
  bool reading = false;
  asio::mutable_buffer target;
  Stream::IoHandler handler;
  asio::any_io_executor reader;
};

}  // namespace

struct LoopbackNetwork::Pipe {
  std::string names[2];  // The device at each end: [0] dialed, [1] accepted.
  Direction toward[2];   // toward[i]: bytes for end i.
};

// A listening port: its owner, executor, waiting accept and arrivals.
struct LoopbackNetwork::Gate {
  std::string owner;
  asio::any_io_executor executor;
  StreamHandler accepting;
  std::deque<std::unique_ptr<Stream>> arrived;
  bool open = true;
};

namespace {

using Net = LoopbackNetwork;

// Completes the pending read on `d`, if any and if there is something to say.
void deliver_locked(Net& net, Direction& d) {
  if (!d.reading) return;
  if (!d.bytes.empty()) {
    const std::size_t n = std::min(d.bytes.size(), d.target.size());
    std::memcpy(d.target.data(), d.bytes.data(), n);
    d.bytes.erase(0, n);
    d.reading = false;
    net.schedule(d.reader, std::move(d.handler), {}, n);
  } else if (d.broken || d.eof) {
    d.reading = false;
    const asio::error_code ec =
        d.broken ? asio::error_code(asio::error::connection_reset) : asio::error_code(asio::error::eof);
    net.schedule(d.reader, std::move(d.handler), ec, 0);
  }
}

class LoopbackStream final : public Stream {
 public:
  LoopbackStream(std::shared_ptr<Net> net, std::shared_ptr<Net::Pipe> pipe, int side,
                 asio::any_io_executor executor)
      : net_(std::move(net)), pipe_(std::move(pipe)), side_(side), executor_(std::move(executor)) {}
  ~LoopbackStream() override { close(); }

  asio::any_io_executor executor() override { return executor_; }

  void async_read_some(asio::mutable_buffer buffer, IoHandler handler) override {
    std::lock_guard lock(net_->mutex());
    if (closed_) {
      net_->schedule(executor_, std::move(handler), asio::error::operation_aborted, 0);
      return;
    }
    Direction& in = pipe_->toward[side_];
    in.reading = true;
    in.target = buffer;
    in.handler = std::move(handler);
    in.reader = executor_;
    deliver_locked(*net_, in);
  }

  void async_write(asio::const_buffer buffer, IoHandler handler) override {
    std::lock_guard lock(net_->mutex());
    Direction& out = pipe_->toward[1 - side_];
    if (closed_ || out.broken || out.eof) {
      net_->schedule(executor_, std::move(handler),
                     closed_ ? asio::error::operation_aborted : asio::error::broken_pipe, 0);
      return;
    }
    out.bytes.append(static_cast<const char*>(buffer.data()), buffer.size());
    deliver_locked(*net_, out);
    net_->schedule(executor_, std::move(handler), {}, buffer.size());
  }

  void write_now(asio::const_buffer buffer) override {
    std::lock_guard lock(net_->mutex());
    Direction& out = pipe_->toward[1 - side_];
    if (closed_ || out.broken || out.eof) return;
    out.bytes.append(static_cast<const char*>(buffer.data()), buffer.size());
    deliver_locked(*net_, out);
  }

  void shutdown_send() override {
    std::lock_guard lock(net_->mutex());
    Direction& out = pipe_->toward[1 - side_];
    out.eof = true;
    deliver_locked(*net_, out);
  }

  void close() override {
    std::lock_guard lock(net_->mutex());
    if (closed_) return;
    closed_ = true;
    Direction& in = pipe_->toward[side_];
    in.broken = true;
    in.bytes.clear();
    if (in.reading) {
      in.reading = false;
      net_->schedule(executor_, std::move(in.handler), asio::error::operation_aborted, 0);
    }
    Direction& out = pipe_->toward[1 - side_];
    out.eof = true;  // The other side reads what is left, then the end.
    deliver_locked(*net_, out);
  }

  std::string remote() const override { return "loopback device " + pipe_->names[1 - side_]; }
  std::string source() const override { return "loopback:" + pipe_->names[1 - side_]; }

 private:
  std::shared_ptr<Net> net_;
  std::shared_ptr<Net::Pipe> pipe_;
  int side_;
  asio::any_io_executor executor_;
  bool closed_ = false;  // Guarded by the network's mutex.
};

class LoopbackListener final : public Listener {
 public:
  LoopbackListener(std::shared_ptr<Net> net, std::shared_ptr<Net::Gate> gate, uint16_t port)
      : net_(std::move(net)), gate_(std::move(gate)), port_(port) {}
  ~LoopbackListener() override { close(); }

  uint16_t port() const override { return port_; }

  void async_accept(StreamHandler handler) override {
    std::lock_guard lock(net_->mutex());
    if (!gate_->open) {
      net_->schedule_stream(gate_->executor, std::move(handler), asio::error::operation_aborted, nullptr);
      return;
    }
    if (!gate_->arrived.empty()) {
      auto stream = std::move(gate_->arrived.front());
      gate_->arrived.pop_front();
      net_->schedule_stream(gate_->executor, std::move(handler), {}, std::move(stream));
      return;
    }
    gate_->accepting = std::move(handler);
  }

  void close() override {
    std::deque<std::unique_ptr<Stream>> dropped;  // Closed outside the lock (they take it).
    {
      std::lock_guard lock(net_->mutex());
      if (!gate_->open) return;
      gate_->open = false;
      dropped = std::move(gate_->arrived);
      if (gate_->accepting) {
        net_->schedule_stream(gate_->executor, std::move(gate_->accepting), asio::error::operation_aborted,
                              nullptr);
        gate_->accepting = nullptr;
      }
    }
    net_->unlisten(port_);
  }

 private:
  std::shared_ptr<Net> net_;
  std::shared_ptr<Net::Gate> gate_;
  uint16_t port_;
};

// A loopback dial completes at once; cancelling before its handler runs
// turns the answer into operation_aborted.
class LoopbackDialing final : public Dialing {
 public:
  explicit LoopbackDialing(std::shared_ptr<bool> cancelled) : cancelled_(std::move(cancelled)) {}
  void cancel() override { *cancelled_ = true; }

 private:
  std::shared_ptr<bool> cancelled_;  // Read and written on the dialer's executor only.
};

class LoopbackDevice final : public Transport {
 public:
  LoopbackDevice(std::shared_ptr<Net> net, std::string name) : net_(std::move(net)), name_(std::move(name)) {}
  std::unique_ptr<Listener> listen(asio::io_context& io, const std::string&, uint16_t port) override {
    return net_->listen(name_, io, port);
  }
  std::unique_ptr<Dialing> dial(asio::io_context& io, const std::string&, uint16_t port,
                                StreamHandler done) override {
    return net_->dial(name_, io, port, std::move(done));
  }

 private:
  std::shared_ptr<Net> net_;
  std::string name_;
};

}  // namespace

std::shared_ptr<LoopbackNetwork> LoopbackNetwork::create() {
  return std::shared_ptr<LoopbackNetwork>(new LoopbackNetwork());
}

std::shared_ptr<Transport> LoopbackNetwork::device(const std::string& name) {
  return std::make_shared<LoopbackDevice>(shared_from_this(), name);
}

void LoopbackNetwork::schedule(const asio::any_io_executor& executor, Stream::IoHandler handler,
                               asio::error_code ec, std::size_t n) {
  ++ops_;
  asio::post(executor, [self = shared_from_this(), handler = std::move(handler), ec, n] {
    handler(ec, n);
    self->op_done();
  });
}

void LoopbackNetwork::schedule_stream(const asio::any_io_executor& executor, StreamHandler handler,
                                      asio::error_code ec, std::unique_ptr<Stream> stream) {
  ++ops_;
  asio::post(executor, [self = shared_from_this(), handler = std::move(handler), ec,
                        stream = std::move(stream)]() mutable {
    handler(ec, std::move(stream));
    self->op_done();
  });
}

void LoopbackNetwork::op_done() {
  std::lock_guard lock(mu_);
  --ops_;
}

std::unique_ptr<Listener> LoopbackNetwork::listen(const std::string& owner, asio::io_context& io,
                                                  uint16_t port) {
  std::lock_guard lock(mu_);
  if (port == 0) {
    while (listeners_.count(next_port_)) ++next_port_;
    port = next_port_++;
  }
  if (listeners_.count(port)) throw std::system_error(asio::error::address_in_use, "loopback port taken");
  auto gate = std::make_shared<Gate>();
  gate->owner = owner;
  gate->executor = io.get_executor();
  listeners_[port] = gate;
  return std::make_unique<LoopbackListener>(shared_from_this(), std::move(gate), port);
}

void LoopbackNetwork::unlisten(uint16_t port) {
  std::lock_guard lock(mu_);
  listeners_.erase(port);
}

std::unique_ptr<Dialing> LoopbackNetwork::dial(const std::string& from, asio::io_context& io, uint16_t port,
                                               StreamHandler done) {
  auto cancelled = std::make_shared<bool>(false);
  StreamHandler answer = [cancelled, done = std::move(done)](const asio::error_code& ec,
                                                             std::unique_ptr<Stream> stream) {
    if (*cancelled) {
      done(asio::error::operation_aborted, nullptr);  // `stream` closes as it goes.
      return;
    }
    done(ec, std::move(stream));
  };
  std::unique_ptr<Stream> accepted;  // Handed over, or closed outside the lock.
  {
    std::lock_guard lock(mu_);
    const auto it = listeners_.find(port);
    if (it == listeners_.end() || !it->second->open || unreachable_.count(from) ||
        unreachable_.count(it->second->owner)) {
      schedule_stream(io.get_executor(), std::move(answer), asio::error::connection_refused, nullptr);
      return std::make_unique<LoopbackDialing>(cancelled);
    }
    Gate& gate = *it->second;
    auto pipe = std::make_shared<Pipe>();
    pipe->names[0] = from;
    pipe->names[1] = gate.owner;
    std::erase_if(pipes_, [](const std::weak_ptr<Pipe>& p) { return p.expired(); });
    pipes_.push_back(pipe);
    accepted = std::make_unique<LoopbackStream>(shared_from_this(), pipe, 1, gate.executor);
    if (gate.accepting) {
      schedule_stream(gate.executor, std::move(gate.accepting), {}, std::move(accepted));
      gate.accepting = nullptr;
    } else {
      gate.arrived.push_back(std::move(accepted));
    }
    schedule_stream(io.get_executor(), std::move(answer), {},
                    std::make_unique<LoopbackStream>(shared_from_this(), pipe, 0, io.get_executor()));
  }
  return std::make_unique<LoopbackDialing>(cancelled);
}

void LoopbackNetwork::set_reachable(const std::string& name, bool reachable) {
  std::lock_guard lock(mu_);
  if (reachable) {
    unreachable_.erase(name);
    return;
  }
  unreachable_.insert(name);
  cut_locked(name);
}

void LoopbackNetwork::cut_locked(const std::string& name) {
  for (const auto& weak : pipes_) {
    const auto pipe = weak.lock();
    if (!pipe || (pipe->names[0] != name && pipe->names[1] != name)) continue;
    for (Direction& d : pipe->toward) {
      d.broken = true;
      d.bytes.clear();
      deliver_locked(*this, d);
    }
  }
}

bool LoopbackNetwork::quiet() const {
  std::lock_guard lock(mu_);
  if (ops_ != 0) return false;
  for (const auto& weak : pipes_) {
    const auto pipe = weak.lock();
    if (!pipe) continue;
    for (const Direction& d : pipe->toward)
      if (!d.bytes.empty()) return false;
  }
  return true;
}

}  // namespace attune::net
