#include "app/discovery_service.hpp"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "announcer.hpp"
#include "attune/discovery/nearby_label.hpp"
#include "browser.hpp"

namespace attune::app {

struct DiscoveryService::Impl {
  discovery::ChannelOptions channel;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::unique_ptr<discovery::Browser> browser;      // io thread only
  std::unique_ptr<discovery::Announcer> announcer;  // io thread only
  uint32_t seats = 0;                               // io thread only: what the beacons say now
  std::thread thread;

  mutable std::mutex mu;
  std::vector<NearbySession> list;
  std::string problem;
  std::string tag;  // Of the session announced now.

  void set_tag(std::string value) {
    std::lock_guard lock(mu);
    tag = std::move(value);
  }

  // On the io thread: copy the browser's list for the UI.
  void refresh() {
    std::vector<NearbySession> out;
    for (const discovery::HostEntry& h : browser->hosts()) {
      if (h.sightings.empty() || h.beacon.port() == 0) continue;
      // Prefer an IPv4 sighting: hosts listen on IPv4 by default.
      const discovery::Sighting* best = &h.sightings.back();
      for (const auto& seen : h.sightings)
        if (seen.address.find(':') == std::string::npos) best = &seen;
      discovery::HostAddress address;
      address.host = best->address;
      address.kind = address.host.find(':') != std::string::npos ? discovery::HostAddress::Kind::Ipv6
                                                                 : discovery::HostAddress::Kind::Ipv4;
      address.port = static_cast<uint16_t>(h.beacon.port());
      NearbySession s;
      s.id = address.to_string();
      // Beacons name nobody: the tag is all there is to tell sessions apart.
      s.tag = discovery::nearby_tag(h.instance_id);
      s.open_seats = h.beacon.open_seats();
      s.where = address.host;
      out.push_back(std::move(s));
    }
    std::lock_guard lock(mu);
    list = std::move(out);
  }
};

DiscoveryService::DiscoveryService(discovery::ChannelOptions channel) : impl_(std::make_unique<Impl>()) {
  Impl* d = impl_.get();
  d->channel = std::move(channel);
  try {
    discovery::BrowseEvents events;
    events.added = [d](const discovery::HostEntry&) { d->refresh(); };
    events.updated = [d](const discovery::HostEntry&) { d->refresh(); };
    events.removed = [d](const discovery::Removed&) { d->refresh(); };
    d->browser = std::make_unique<discovery::Browser>(d->io, d->channel, std::move(events));
    d->browser->start();
  } catch (const std::exception& e) {
    d->browser.reset();
    d->problem = std::string("Looking for nearby sessions didn't work here (") + e.what() +
                 "). You can still join by invite or address.";
  }
  d->thread = std::thread([d] {
    // A failing socket must not take the window down; the list just stays empty.
    for (;;) {
      try {
        d->io.run();
        return;
      } catch (const std::exception& e) {
        std::lock_guard lock(d->mu);
        d->problem = std::string("Looking for nearby sessions stopped: ") + e.what();
      }
    }
  });
}

DiscoveryService::~DiscoveryService() {
  Impl* d = impl_.get();
  asio::post(d->io, [d] {
    if (d->announcer) d->announcer->stop();
    if (d->browser) d->browser->stop();
    d->work.reset();
  });
  // The goodbye goes out within ~100 ms; don't wait for stragglers forever.
  d->thread.join();
  d->announcer.reset();
  d->browser.reset();
}

std::vector<NearbySession> DiscoveryService::nearby() const {
  std::lock_guard lock(impl_->mu);
  return impl_->list;
}

std::string DiscoveryService::problem() const {
  std::lock_guard lock(impl_->mu);
  return impl_->problem;
}

std::string DiscoveryService::announce(uint16_t port, uint32_t open_seats) {
  Impl* d = impl_.get();
  const uint64_t id = discovery::random_instance_id();  // New each time: a tag never follows a device.
  d->set_tag(discovery::nearby_tag(id));
  asio::post(d->io, [d, id, port, open_seats] {
    if (d->announcer) d->announcer->stop();
    discovery::AnnounceConfig config;
    config.port = port;
    config.open_seats = open_seats;
    config.instance_id = id;
    config.channel = d->channel;
    d->seats = open_seats;
    try {
      d->announcer = std::make_unique<discovery::Announcer>(d->io, config);
      d->announcer->start();
    } catch (const std::exception& e) {
      d->announcer.reset();
      std::lock_guard lock(d->mu);
      d->tag.clear();
      d->problem = std::string("Couldn't announce the session nearby (") + e.what() +
                   "). Others can still join by invite or address.";
    }
  });
  return discovery::nearby_tag(id);
}

void DiscoveryService::update_seats(std::optional<uint32_t> open_seats) {
  Impl* d = impl_.get();
  asio::post(d->io, [d, open_seats] {
    if (!d->announcer) return;
    if (!open_seats) {
      // Full, or under way: nobody else can take a seat, so stop telling the network.
      d->announcer->stop();
      d->seats = 0;
      d->set_tag({});
      return;
    }
    if (*open_seats == d->seats) return;
    d->seats = *open_seats;
    d->announcer->set_open_seats(*open_seats);
  });
}

void DiscoveryService::stop_announcing() {
  Impl* d = impl_.get();
  d->set_tag({});
  asio::post(d->io, [d] {
    if (d->announcer) d->announcer->stop();
  });
}

std::string DiscoveryService::tag() const {
  std::lock_guard lock(impl_->mu);
  return impl_->tag;
}

}  // namespace attune::app
