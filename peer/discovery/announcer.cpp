#include "announcer.hpp"

#include <algorithm>
#include <asio/post.hpp>
#include <random>

#include "attune/discovery/nearby_label.hpp"

namespace attune::discovery {

namespace {
// Answer queries at once, but not more than once per window: a room full of
// browsers opening their lists (or one stuck in a loop) should not make a host
// flood the link. One multicast answer serves every browser waiting.
constexpr std::chrono::milliseconds kAnswerWindow{20};
}  // namespace

uint64_t random_instance_id() {
  std::random_device rd;
  uint64_t id = 0;
  while (id == 0) id = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  return id;
}

Announcer::Announcer(asio::io_context& io, AnnounceConfig config)
    : io_(io),
      config_(std::move(config)),
      id_(config_.instance_id != 0 ? config_.instance_id : random_instance_id()),
      schedule_(AnnounceSchedule::beacons(config_.interval)),
      channel_(io, config_.channel, id_, [this](const Received& r) { on_packet(r); }),
      timer_(io),
      answer_timer_(io),
      goodbye_timer_(io) {
  beacon_.set_protocol_version(kDiscoveryVersion);
  beacon_.set_session_name(utf8_prefix(config_.session_name, kMaxNameBytes));
  beacon_.set_host_name(utf8_prefix(config_.host_name, kMaxNameBytes));
  beacon_.set_port(config_.port);
  beacon_.set_open_seats(std::min(config_.open_seats, kMaxOpenSeats));
  beacon_.set_instance_id(id_);
  const auto interval =
      std::clamp<uint32_t>(static_cast<uint32_t>(config_.interval.count()), kMinIntervalMs, kMaxIntervalMs);
  beacon_.set_interval_ms(interval);
}

Announcer::~Announcer() { *alive_ = false; }

void Announcer::start() {
  running_ = true;
  started_ = std::chrono::steady_clock::now();
  channel_.start();
  arm_next();
}

void Announcer::arm_next() {
  const auto offset = schedule_.offset(sent_index_);
  if (!offset || !running_) return;
  timer_.expires_at(started_ + *offset);
  timer_.async_wait([this, alive = alive_](const asio::error_code& ec) {
    if (ec || !*alive || !running_) return;
    send_beacon();
    // Skip sends we fell behind on (e.g. the machine slept) rather than bursting.
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
    sent_index_ = std::max(sent_index_ + 1, schedule_.due_by(elapsed));
    arm_next();
  });
}

void Announcer::send_beacon() {
  channel_.send_everywhere(encode_beacon(beacon_, config_.protocol_version));
  ++beacons_sent_;
}

void Announcer::on_packet(const Received& r) {
  if (r.decoded.outcome != DecodeOutcome::Query || !running_) return;
  ++queries_answered_;
  if (answer_pending_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_answer_ >= kAnswerWindow) {
    last_answer_ = now;
    send_beacon();
    return;
  }
  answer_pending_ = true;
  answer_timer_.expires_at(last_answer_ + kAnswerWindow);
  answer_timer_.async_wait([this, alive = alive_](const asio::error_code& ec) {
    if (ec || !*alive) return;
    answer_pending_ = false;
    if (!running_) return;
    last_answer_ = std::chrono::steady_clock::now();
    send_beacon();
  });
}

void Announcer::set_open_seats(uint32_t seats) {
  beacon_.set_open_seats(std::min(seats, kMaxOpenSeats));
  if (running_) send_beacon();
}

void Announcer::stop(std::function<void()> done) {
  if (!running_) {
    if (done) asio::post(io_, std::move(done));
    return;
  }
  running_ = false;
  timer_.cancel();
  answer_timer_.cancel();
  const std::string bye = encode_goodbye(beacon_.instance_id());
  channel_.send_everywhere(bye);
  // A second goodbye covers one lost datagram; then close.
  goodbye_timer_.expires_after(std::chrono::milliseconds(50));
  goodbye_timer_.async_wait([this, bye, done = std::move(done), alive = alive_](const asio::error_code&) {
    if (!*alive) return;
    channel_.send_everywhere(bye);
    channel_.stop();
    if (done) done();
  });
}

}  // namespace attune::discovery
