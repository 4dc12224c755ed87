#include "app/discovery_service.hpp"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "attune/discovery/nearby_label.hpp"
#include "browser.hpp"
#include "lan_announcer.hpp"

namespace attune::app {

struct DiscoveryService::Impl {
  discovery::ChannelOptions channel;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::unique_ptr<discovery::Browser> browser;      // io thread only
  std::thread thread;

  mutable std::mutex mu;
  std::vector<NearbySession> list;
  std::string problem;
  std::string tag;  // Of the session announced now.
  std::string announced;  // Of the session hosted here, also while full ("" once stopped).
  std::unique_ptr<discovery::LanAnnouncer> lan;  // Announcing runs on its own thread.

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
  d->lan = std::make_unique<discovery::LanAnnouncer>(d->channel);
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
  // A failing socket must not take the window down; the list just stays empty.
  d->thread = discovery::run_io_thread(d->io, [d](const std::exception& e) {
    std::lock_guard lock(d->mu);
    d->problem = std::string("Looking for nearby sessions stopped: ") + e.what();
  });
}

DiscoveryService::~DiscoveryService() {
  Impl* d = impl_.get();
  d->lan.reset();  // Says goodbye first.
  asio::post(d->io, [d] {
    if (d->browser) d->browser->stop();
    d->work.reset();
  });
  d->thread.join();
  d->browser.reset();
}

std::vector<NearbySession> DiscoveryService::nearby() const {
  std::lock_guard lock(impl_->mu);
  return impl_->list;
}

std::string DiscoveryService::problem() const {
  std::lock_guard lock(impl_->mu);
  return impl_->problem.empty() ? impl_->lan->problem() : impl_->problem;
}

std::string DiscoveryService::announce(uint16_t port, uint32_t open_seats) {
  std::string tag = impl_->lan->announce(port, open_seats);
  impl_->set_tag(tag);
  std::lock_guard lock(impl_->mu);
  impl_->announced = tag;
  return tag;
}

void DiscoveryService::update_seats(std::optional<uint32_t> open_seats) {
  const std::string again = impl_->lan->update_seats(open_seats);
  std::lock_guard lock(impl_->mu);
  if (impl_->announced.empty()) return;
  if (!again.empty()) impl_->announced = again;  // A freed seat is announced under a new tag.
  impl_->tag = open_seats ? impl_->announced : "";
}

void DiscoveryService::stop_announcing() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->announced.clear();
  }
  impl_->set_tag({});
  impl_->lan->stop();
}

std::string DiscoveryService::tag() const {
  std::lock_guard lock(impl_->mu);
  return impl_->tag;
}

}  // namespace attune::app
