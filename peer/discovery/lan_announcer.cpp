#include "lan_announcer.hpp"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <mutex>
#include <thread>

#include "announcer.hpp"
#include "attune/discovery/nearby_label.hpp"

namespace attune::discovery {

std::thread run_io_thread(asio::io_context& io, std::function<void(const std::exception&)> on_error) {
  return std::thread([&io, on_error = std::move(on_error)] {
    for (;;) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        on_error(e);
      }
    }
  });
}

struct LanAnnouncer::Impl {
  ChannelOptions channel;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::unique_ptr<Announcer> announcer;  // io thread only
  uint32_t seats = 0;                    // io thread only: what the beacons say now
  AnnounceConfig config;                 // io thread only: the session announced (or paused while full)
  bool full = false;                     // io thread only: quiet until a seat frees
  bool stopped = false;                  // io thread only: stop() was called
  std::thread thread;
  mutable std::mutex mu;
  std::string problem;   // Under mu.
  bool announced = false;  // Under mu: announce() was called, and stop() not since.
  bool quiet = false;      // Under mu: the beacons wait for a seat to free.
};

LanAnnouncer::LanAnnouncer(ChannelOptions channel) : impl_(std::make_unique<Impl>()) {
  Impl* d = impl_.get();
  d->channel = std::move(channel);
  d->thread = run_io_thread(d->io, [d](const std::exception& e) {
    std::lock_guard lock(d->mu);
    d->problem = std::string("Announcing the session nearby stopped: ") + e.what();
  });
}

LanAnnouncer::~LanAnnouncer() {
  Impl* d = impl_.get();
  asio::post(d->io, [d] {
    if (d->announcer) d->announcer->stop();
    d->work.reset();
  });
  d->thread.join();
  d->announcer.reset();
}

namespace {

// On the io thread: (re)starts the beacons for `d->config`.
void start_announcer(LanAnnouncer::Impl* d) {
  if (d->announcer) d->announcer->stop();
  d->seats = d->config.open_seats;
  d->full = false;
  d->stopped = false;
  try {
    d->announcer = std::make_unique<Announcer>(d->io, d->config);
    d->announcer->start();
  } catch (const std::exception& e) {
    d->announcer.reset();
    std::lock_guard lock(d->mu);
    d->problem = std::string("Couldn't announce the session nearby (") + e.what() +
                 "). Others can still join by invite or address.";
  }
}

}  // namespace

std::string LanAnnouncer::announce(uint16_t port, uint32_t open_seats) {
  Impl* d = impl_.get();
  const uint64_t id = random_instance_id();
  {
    std::lock_guard lock(d->mu);
    d->announced = true;
    d->quiet = false;
  }
  asio::post(d->io, [d, id, port, open_seats] {
    d->config = AnnounceConfig{};
    d->config.port = port;
    d->config.open_seats = open_seats;
    d->config.instance_id = id;
    d->config.channel = d->channel;
    start_announcer(d);
  });
  return nearby_tag(id);
}

std::string LanAnnouncer::update_seats(std::optional<uint32_t> open_seats) {
  Impl* d = impl_.get();
  // Whether the beacons are paused is decided here, on the caller's thread,
  // so that the tag of an announcement that starts again can be returned.
  uint64_t fresh = 0;
  {
    std::lock_guard lock(d->mu);
    if (!d->announced) return {};
    if (!open_seats) {
      d->quiet = true;
    } else if (d->quiet) {
      d->quiet = false;
      fresh = random_instance_id();
    }
  }
  asio::post(d->io, [d, open_seats, fresh] {
    if (!d->announcer || d->stopped) return;
    if (!open_seats) {
      // Full, or under way: nobody else can take a seat, so stop telling the
      // network until one frees (a session under way never frees one).
      if (!d->full) d->announcer->stop();
      d->full = true;
      d->seats = 0;
      return;
    }
    if (fresh != 0) {
      // Someone left the lobby: the session is announced again, under a new
      // id. Browsers ignore an id for 30 s after its goodbye (so a beacon
      // still in flight can't bring a closed host back), and the old one
      // would stay hidden from them that long.
      d->config.open_seats = *open_seats;
      d->config.instance_id = fresh;
      start_announcer(d);
      return;
    }
    if (*open_seats == d->seats) return;
    d->seats = *open_seats;
    d->announcer->set_open_seats(*open_seats);
  });
  return fresh != 0 ? nearby_tag(fresh) : std::string();
}

void LanAnnouncer::stop() {
  Impl* d = impl_.get();
  {
    std::lock_guard lock(d->mu);
    d->announced = false;
  }
  asio::post(d->io, [d] {
    if (d->announcer) d->announcer->stop();
    d->stopped = true;  // For good: no seat count brings it back.
  });
}

std::string LanAnnouncer::problem() const {
  std::lock_guard lock(impl_->mu);
  return impl_->problem;
}

}  // namespace attune::discovery
