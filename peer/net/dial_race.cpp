#include "net/dial_race.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace attune::net {

std::string DialAddress::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::shared_ptr<DialRace> DialRace::start(asio::io_context& io, std::shared_ptr<Transport> transport,
                                          std::vector<DialAddress> addresses, Timing timing, Done done) {
  auto race = std::make_shared<DialRace>(io, std::move(transport), std::move(addresses), timing, std::move(done));
  race->launch_next();
  return race;
}

DialRace::DialRace(asio::io_context& io, std::shared_ptr<Transport> transport, std::vector<DialAddress> addresses,
                   Timing timing, Done done)
    : io_(io),
      transport_(std::move(transport)),
      addresses_(std::move(addresses)),
      timing_(timing),
      done_(std::move(done)),
      stagger_(io) {}

void DialRace::launch_next() {
  if (finished_ || attempts_.size() >= addresses_.size()) return;
  const std::size_t index = attempts_.size();
  attempts_.push_back(std::make_unique<Attempt>(io_));
  Attempt& attempt = *attempts_.back();
  const auto self = shared_from_this();
  const DialAddress& address = addresses_[index];
  spdlog::debug("dialing the host at {}", address.text());
  attempt.timer.expires_after(timing_.timeout);
  attempt.timer.async_wait([self, index](const asio::error_code& ec) {
    Attempt& waiting = *self->attempts_[index];
    if (ec || waiting.finished || !waiting.dialing) return;
    waiting.timed_out = true;
    waiting.dialing->cancel();  // answered() hears operation_aborted.
  });
  attempt.dialing = transport_->dial(io_, address.host, address.port,
                                     [self, index](const asio::error_code& ec, std::unique_ptr<Stream> stream) {
                                       self->answered(index, ec, std::move(stream));
                                     });
  if (attempts_.size() < addresses_.size()) {
    // Re-arming cancels the wait before: one stagger at a time.
    stagger_.expires_after(timing_.stagger);
    stagger_.async_wait([self](const asio::error_code& ec) {
      if (!ec) self->launch_next();
    });
  }
}

void DialRace::answered(std::size_t index, const asio::error_code& ec, std::unique_ptr<Stream> stream) {
  Attempt& attempt = *attempts_[index];
  if (attempt.finished) return;
  attempt.finished = true;
  attempt.timer.cancel();
  if (finished_) return;  // Another address won (or the race was cancelled): this stream just closes.
  if (!ec && stream) {
    finish(Result{std::move(stream), index, std::move(failures_)});
    return;
  }
  const bool lookup =
      ec.category() == asio::error::get_netdb_category() || ec.category() == asio::error::get_addrinfo_category();
  const std::string why = attempt.timed_out                    ? "nothing answered in time"
                          : ec == asio::error::operation_aborted ? "the dial was stopped"
                          : ec                                   ? ec.message()
                                                                 : "no connection";
  failures_.push_back(Failure{addresses_[index], why, lookup});
  const bool more = attempts_.size() < addresses_.size();
  spdlog::debug("no answer at {} ({}){}", addresses_[index].text(), why, more ? "; trying the next address" : "");
  // A failure starts the next address at once (RFC 8305, section 5).
  if (more) return launch_next();
  const bool all_failed = std::all_of(attempts_.begin(), attempts_.end(), [](const auto& a) { return a->finished; });
  if (all_failed) finish(Result{nullptr, 0, std::move(failures_)});
}

void DialRace::finish(Result result) {
  finished_ = true;
  stagger_.cancel();
  for (auto& attempt : attempts_) {
    attempt->timer.cancel();
    if (!attempt->finished && attempt->dialing) attempt->dialing->cancel();
  }
  if (auto done = std::exchange(done_, nullptr)) done(std::move(result));
}

void DialRace::cancel() {
  if (finished_) return;
  done_ = nullptr;
  finish(Result{});
}

std::string dial_failure_words(const std::vector<DialRace::Failure>& failures) {
  if (failures.size() == 1) {
    const auto& only = failures.front();
    return only.lookup ? "could not find " + only.address.host + ": " + only.why
                       : "the host did not answer: " + only.why;
  }
  std::string words = "the host did not answer at ";
  for (std::size_t i = 0; i < failures.size(); ++i) {
    const auto& failure = failures[i];
    if (i > 0) words += i + 1 == failures.size() ? " or " : ", ";
    words += failure.address.text() + " (" + (failure.lookup ? "could not find it: " : "") + failure.why + ")";
  }
  return words;
}

}  // namespace attune::net
