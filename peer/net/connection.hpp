// One link to another device: owns its stream (TCP, or an in-process pipe:
// net/transport.hpp), a frame decoder and a write queue with one write in
// flight. It runs the secure handshake first and then seals everything; it
// sends heartbeats about once a second and closes itself when the other side
// has been silent too long. Everything runs on the stream's executor.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "attune/engine.hpp"
#include "attune/frame_decoder.hpp"
#include "attune/pairing/secure_link.hpp"
#include "attune/v1/wire.pb.h"
#include "net/transport.hpp"

namespace attune::net {

namespace v1 = ::attune::v1;

struct LinkTiming {
  std::chrono::milliseconds heartbeat{1000};
  std::chrono::milliseconds silence{5000};  // Silent this long: the peer is gone.
  // The wall clock the link and the host read (the handshake's deadlines,
  // the session's times); empty: the system clock. Tests pass their own.
  std::function<TimePoint()> clock;
};

// Now, by `timing`'s clock.
TimePoint read_clock(const LinkTiming& timing);

// The words of a host's close frame (proto/README.md, Closing): a finished
// session has nothing to come back to, a replaced link has a newer one, and
// any other stop is "for now".
std::string goodbye_words(v1::CloseReason reason);

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using MessageHandler = std::function<void(const v1::Envelope&)>;
  // Called once, when the link is closed for any reason, with plain words.
  using CloseHandler = std::function<void(const std::string& reason)>;

  Connection(std::unique_ptr<Stream> stream, LinkTiming timing);

  void start(MessageHandler on_message, CloseHandler on_close);

  // Security (proto/HANDSHAKE.md). Call before start(): the link then runs
  // the pairing handshake first (carried as Envelope.handshake) and, once it
  // succeeds, carries every message sealed (Envelope.sealed). on_secure runs
  // once, when the handshake has succeeded; only then may the app talk. A
  // link without it (one the host turns away before any handshake) carries
  // nothing but handshake steps and plain-words errors.
  using SecureHandler = std::function<void(const pairing::HandshakeSuccess&)>;
  void secure_with(pairing::SecureLink link, SecureHandler on_secure);
  // Joiner: sends the first handshake message (after start()).
  void open_handshake();
  // Set when the link closed because the handshake failed.
  const std::optional<pairing::HandshakeError>& handshake_error() const { return handshake_error_; }
  std::uint32_t retry_after_seconds() const { return retry_after_seconds_; }

  // Host side: a link whose unsent bytes would pass `bytes` (the device at
  // the other end isn't reading) is closed instead, as faulted. A joiner's
  // own link has no limit: what waits there is its own person's work.
  void limit_unsent(std::size_t bytes) { unsent_limit_ = bytes; }

  // Queues one message (sealed once the keys exist); dropped silently once
  // the link is closing, and, before the keys exist, unless it is a
  // handshake step or an Error.
  void send(const v1::Envelope& envelope);
  // Both, in one write (a change and the acknowledgement riding with it).
  void send_together(const v1::Envelope& first, const v1::Envelope& second);

  // While held, queued frames wait for release() instead of being written
  // at once: a host sending one change to every device seals all of them
  // first and then writes them back to back, so a device woken by the first
  // write doesn't hold the others up while their frames are still sealed.
  // Frames queued together go out in one write.
  void hold() { held_ = true; }
  void release();
  bool held() const { return held_; }

  // Sends an Error, then closes once it is written (bounded by a timer).
  void fail(v1::ErrorCode code, const std::string& message);
  // Sends `last`, then closes once it is written.
  void send_and_close(const v1::Envelope& last, const std::string& reason);
  // Closes at once.
  void close(const std::string& reason);
  // The graceful close (proto/README.md, Closing): seals a close frame
  // carrying `reason` and `message`, then closes once it is written. A link
  // without keys yet simply closes.
  void say_goodbye(v1::CloseReason reason, const std::string& message);
  // What the other side said in its close frame, once one arrived.
  const std::optional<v1::Close>& peer_goodbye() const { return peer_goodbye_; }

  bool is_open() const { return state_ == State::Open; }
  // The link was closed because the other side sent something broken.
  bool faulted() const { return faulted_; }
  const std::string& remote() const { return remote_; }
  // True while the message being delivered arrived with text that was not
  // UTF-8 and was repaired (see repair_utf8) so it could be read at all.
  bool last_message_repaired() const { return repaired_; }
  std::chrono::steady_clock::time_point last_heard() const { return last_heard_; }

 private:
  enum class State { Open, Draining, Closed };

  void read_more();
  void on_read(const asio::error_code& ec, std::size_t n);
  void write_next();
  void arm_heartbeat();
  void half_close();
  void finish(const std::string& reason);
  void drain_and_close(const std::string& reason);
  void queue_frame(std::string frame);
  // The bytes that carry `envelope` on this link (sealed once the keys
  // exist), or nullopt when it may not or cannot go.
  std::optional<std::string> frame_for(const v1::Envelope& envelope);
  std::optional<std::string> goodbye_frame(v1::CloseReason reason, const std::string& message);
  void queue_goodbye(v1::CloseReason reason, const std::string& message);
  void goodbye_now(v1::CloseReason reason, const std::string& message);
  // Runs a received Envelope through the security layer. True when
  // `envelope` now holds an application message to deliver.
  bool unwrap(v1::Envelope& envelope);

  std::unique_ptr<Stream> stream_;
  LinkTiming timing_;
  asio::steady_timer heartbeat_timer_;
  asio::steady_timer drain_timer_;
  FrameDecoder decoder_;
  std::array<char, 16 * 1024> read_buffer_{};
  std::deque<std::string> write_queue_;
  std::size_t queued_bytes_ = 0;  // In write_queue_, at most unsent_limit_.
  std::size_t unsent_limit_ = std::numeric_limits<std::size_t>::max();
  bool overflowed_ = false;
  bool writing_ = false;
  bool held_ = false;
  bool faulted_ = false;
  bool repaired_ = false;
  State state_ = State::Open;
  std::string close_reason_;
  std::string remote_;
  std::chrono::steady_clock::time_point last_heard_;
  std::chrono::steady_clock::time_point last_sent_;
  MessageHandler on_message_;
  CloseHandler on_close_;
  std::optional<pairing::SecureLink> security_;
  SecureHandler on_secure_;
  std::optional<pairing::HandshakeError> handshake_error_;
  std::uint32_t retry_after_seconds_ = 0;
  std::optional<v1::Close> peer_goodbye_;
};

}  // namespace attune::net
