#include "hop_baseline.hpp"

#include <sodium.h>

#include <asio.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "attune/crypto/secure_channel.hpp"
#include "store/store.hpp"

namespace attune::bench {

namespace {

using Clock = std::chrono::steady_clock;
using asio::ip::tcp;
namespace crypto = ::attune::crypto;

constexpr std::size_t kIntentBytes = 48;  // A SubmitIntent toggling "share with coach".
constexpr std::size_t kAckBytes = 40;     // An IntentAck.

// One io_context on its own thread, as a Node has.
struct IoThread {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::thread thread;
  void start() {
    thread = std::thread([this] { io.run(); });
  }
  void stop() {
    work.reset();
    io.stop();
    if (thread.joinable()) thread.join();
  }
};

// A connected pair over loopback: the first on `a`, the second on `b`.
std::pair<tcp::socket, tcp::socket> connected(asio::io_context& a, asio::io_context& b) {
  tcp::acceptor acceptor(a, {asio::ip::make_address("127.0.0.1"), 0});
  tcp::socket dialled(b);
  dialled.connect(acceptor.local_endpoint());
  tcp::socket accepted = acceptor.accept();
  accepted.set_option(tcp::no_delay(true));
  dialled.set_option(tcp::no_delay(true));
  return {std::move(accepted), std::move(dialled)};
}

crypto::Key random_key() {
  crypto::Key key;
  randombytes_buf(key.data(), key.size());
  return key;
}

// One direction's framing: a 4-byte length, then the payload, sealed or not.
class Framer {
 public:
  Framer(bool seal, const crypto::ChannelKeys& keys) {
    if (seal) channel_.emplace(keys);
  }
  std::size_t frame_size(std::size_t payload) const {
    return 4 + (channel_ ? crypto::sealed_frame_size(payload) : payload);
  }
  void append(std::string& out, std::size_t payload) {
    const std::string plain(payload, 'x');
    std::string body = plain;
    if (channel_) {
      const auto sealed = channel_->seal(crypto::as_bytes(plain));
      body.assign(sealed.begin(), sealed.end());
    }
    const auto n = static_cast<std::uint32_t>(body.size());
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
    out += body;
  }
  // Opens `count` frames of `payloads` bytes each, back to back in `in`.
  bool open(const std::string& in, std::initializer_list<std::size_t> payloads) {
    if (!channel_) return true;
    std::size_t at = 0;
    for (const std::size_t payload : payloads) {
      const std::size_t sealed = crypto::sealed_frame_size(payload);
      const auto* start = reinterpret_cast<const std::uint8_t*>(in.data()) + at + 4;
      if (!channel_->open(crypto::ByteView(start, sealed)).ok()) return false;
      at += 4 + sealed;
    }
    return true;
  }

 private:
  std::optional<crypto::SecureChannel> channel_;
};

// Reads frames of one total size forever, handing each to `got`.
struct Reader {
  tcp::socket& socket;
  std::string buffer;
  std::function<void()> got;
  void arm() {
    asio::async_read(socket, asio::buffer(buffer), [this](const asio::error_code& ec, std::size_t) {
      if (ec) return;
      got();
      arm();
    });
  }
};

}  // namespace

std::vector<double> hop_round_trips(int rounds, std::size_t change_bytes, const HopWork& work, int warmup) {
  if (sodium_init() < 0) return {};
  IoThread b, host, coach;
  auto [host_b, b_host] = connected(host.io, b.io);
  auto [host_coach, coach_host] = connected(host.io, coach.io);
  const crypto::Key up = random_key(), down = random_key(), to_coach = random_key(), from_coach = random_key();
  Framer b_side(work.seal, {up, down}), host_b_side(work.seal, {down, up});
  Framer host_coach_side(work.seal, {to_coach, from_coach}), coach_side(work.seal, {from_coach, to_coach});

  std::mutex mutex;
  std::condition_variable done;
  int arrived = 0;
  Clock::time_point b_at, coach_at;
  const auto arrive = [&](Clock::time_point& at) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex);
    at = now;
    if (++arrived == 2) done.notify_all();
  };

  uint64_t seq = 0;
  v1::Intent intent;
  intent.mutable_share_with_coach()->set_share(true);
  Reader host_reads{host_b, std::string(host_b_side.frame_size(kIntentBytes), '\0'), {}};
  host_reads.got = [&] {
    if (!host_b_side.open(host_reads.buffer, {kIntentBytes})) return;
    if (work.store && work.state) {
      ++seq;
      work.store->record_change(seq, "intent-" + std::to_string(seq), "b", intent, 0, *work.state);
    }
    auto to_b = std::make_shared<std::string>();
    host_b_side.append(*to_b, change_bytes);
    host_b_side.append(*to_b, kAckBytes);
    auto to_c = std::make_shared<std::string>();
    host_coach_side.append(*to_c, change_bytes);
    asio::async_write(host_b, asio::buffer(*to_b), [to_b](const asio::error_code&, std::size_t) {});
    asio::async_write(host_coach, asio::buffer(*to_c), [to_c](const asio::error_code&, std::size_t) {});
  };
  Reader b_reads{b_host, std::string(b_side.frame_size(change_bytes) + b_side.frame_size(kAckBytes), '\0'), {}};
  b_reads.got = [&] {
    if (b_side.open(b_reads.buffer, {change_bytes, kAckBytes})) arrive(b_at);
  };
  Reader coach_reads{coach_host, std::string(coach_side.frame_size(change_bytes), '\0'), {}};
  coach_reads.got = [&] {
    if (coach_side.open(coach_reads.buffer, {change_bytes})) arrive(coach_at);
  };
  host_reads.arm();
  b_reads.arm();
  coach_reads.arm();
  b.start();
  host.start();
  coach.start();

  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(rounds));
  std::string to_host;
  for (int i = 0; i < rounds + warmup; ++i) {
    {
      std::lock_guard lock(mutex);
      arrived = 0;
    }
    const auto t0 = Clock::now();
    asio::post(b.io, [&] {
      to_host.clear();
      b_side.append(to_host, kIntentBytes);
      asio::async_write(b_host, asio::buffer(to_host), [](const asio::error_code&, std::size_t) {});
    });
    std::unique_lock lock(mutex);
    if (!done.wait_for(lock, std::chrono::seconds(10), [&] { return arrived == 2; })) break;
    const auto dt = std::chrono::duration<double, std::micro>(std::max(b_at, coach_at) - t0).count();
    if (i >= warmup) samples.push_back(dt);
  }
  b.stop();
  host.stop();
  coach.stop();
  return samples;
}

}  // namespace attune::bench
