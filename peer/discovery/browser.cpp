#include "browser.hpp"

#include <algorithm>

#include "announcer.hpp"

namespace attune::discovery {

Browser::Browser(asio::io_context& io, ChannelOptions channel, BrowseEvents events)
    : io_(io),
      events_(std::move(events)),
      id_(random_instance_id()),
      channel_(io, std::move(channel), id_, [this](const Received& r) { on_packet(r); }),
      query_timer_(io),
      expiry_timer_(io) {}

Browser::~Browser() { *alive_ = false; }

Millis Browser::now() const {
  return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started_);
}

void Browser::start() {
  running_ = true;
  started_ = std::chrono::steady_clock::now();
  channel_.start();
  arm_query();
}

void Browser::stop() {
  running_ = false;
  query_timer_.cancel();
  expiry_timer_.cancel();
  channel_.stop();
}

void Browser::query_now() {
  if (running_) channel_.send_everywhere(encode_query(id_));
}

void Browser::arm_query() {
  const auto offset = queries_.offset(query_index_);
  if (!offset || !running_) return;
  query_timer_.expires_at(started_ + *offset);
  query_timer_.async_wait([this, alive = alive_](const asio::error_code& ec) {
    if (ec || !*alive || !running_) return;
    query_now();
    ++query_index_;
    arm_query();
  });
}

void Browser::arm_expiry() {
  const auto next = table_.next_expiry();
  if (!next || !running_) return;
  expiry_timer_.expires_at(started_ + *next);
  expiry_timer_.async_wait([this, alive = alive_](const asio::error_code& ec) {
    if (ec || !*alive || !running_) return;
    for (const auto& removed : table_.expire(now())) {
      if (events_.removed) events_.removed(removed);
    }
    arm_expiry();
  });
}

void Browser::on_packet(const Received& r) {
  if (!running_) return;
  const Millis t = now();
  switch (r.decoded.outcome) {
    case DecodeOutcome::Beacon: {
      const auto& beacon = r.decoded.packet.beacon();
      std::optional<Removed> evicted;
      const auto result =
          table_.observe(beacon, Sighting{r.from.address().to_string(), r.interface}, t, &evicted);
      if (evicted && events_.removed) events_.removed(*evicted);
      const auto& entry = table_.entries();
      switch (result) {
        case ObserveResult::Added:
          if (events_.added) events_.added(entry.at(beacon.instance_id()));
          break;
        case ObserveResult::Updated:
          if (events_.updated) events_.updated(entry.at(beacon.instance_id()));
          break;
        case ObserveResult::Refreshed:
        case ObserveResult::Ignored:
          break;
      }
      arm_expiry();
      return;
    }
    case DecodeOutcome::Goodbye: {
      const uint64_t id = r.decoded.packet.goodbye().instance_id();
      auto bye = table_.goodbye(id, Sighting{r.from.address().to_string(), r.interface}, t);
      if (bye.removed && events_.removed) events_.removed(*bye.removed);
      if (bye.path_dropped && events_.updated) events_.updated(table_.entries().at(id));
      if (bye.removed) arm_expiry();
      return;
    }
    case DecodeOutcome::Query:  // Another browser: counted by the channel, nothing to do.
    case DecodeOutcome::NotAttune:
    case DecodeOutcome::OtherVersion:
    case DecodeOutcome::Malformed:
      return;
  }
}

std::vector<HostEntry> Browser::hosts() const {
  std::vector<HostEntry> out;
  for (const auto& [id, entry] : table_.entries()) out.push_back(entry);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first_seen < b.first_seen; });
  return out;
}

DiagnosisInput Browser::diagnosis_input(std::vector<DirectCheck> direct) const {
  DiagnosisInput in;
  in.interfaces = channel_.interface_reports();
  in.hosts_listed = table_.size();
  in.listening_for = running_ ? now() : Millis(0);
  in.other_version = channel_.counters().other_version;
  in.malformed = channel_.counters().malformed;
  in.socket_problem = channel_.socket_problem();
  in.direct = std::move(direct);
  return in;
}

Diagnosis Browser::diagnose(std::vector<DirectCheck> direct) const {
  return attune::discovery::diagnose(diagnosis_input(std::move(direct)));
}

}  // namespace attune::discovery
