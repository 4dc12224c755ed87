// The authoritative side of a session: accepts links, applies every intent
// through the engine in one order, stores each accepted change before it
// broadcasts it (redacted per recipient) with its sequence number, and
// answers the sender alone with an ack or a refusal. It also runs the
// engine's timers and tells the engine when a device comes and goes.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "attune/crypto/device_identity.hpp"
#include "attune/engine.hpp"
#include "attune/host/device_limits.hpp"
#include "attune/host/intent_memory.hpp"
#include "attune/pairing/host_pairing.hpp"
#include "identity/pinned_peer_store.hpp"
#include "net/connection.hpp"
#include "net/replica_events.hpp"
#include "net/transport.hpp"
#include "store/store.hpp"

namespace attune::net {

struct HostConfig {
  explicit HostConfig(crypto::DeviceIdentity key) : identity(std::move(key)) {}
  // This device's key: the host proves it in every handshake.
  crypto::DeviceIdentity identity;
  std::string bind_address = "0.0.0.0";
  uint16_t port = 0;
  std::string device_id;
  std::string display_name;
  v1::Role role = v1::ROLE_PARTNER_A;
  std::string session_name;
  std::string app_version;
  LinkTiming timing;
  std::filesystem::path data_dir;  // Where pins live.
  std::shared_ptr<Transport> transport;  // How devices reach it; null: TCP.
  // How long a pairing code lives; nullopt keeps the policy's 10 minutes
  // (tests shorten it).
  std::optional<std::chrono::milliseconds> code_lifetime;
  host::DeviceLimitsConfig intent_limits;
};

class Host {
 public:
  Host(asio::io_context& io, store::Store& store, HostConfig config, ReplicaEvents events);
  ~Host();

  // Resumes the stored session or starts a new one, then listens. Throws
  // std::system_error when the address cannot be bound.
  void start();
  void stop();
  uint16_t port() const { return port_; }
  bool resumed() const { return resumed_; }

  // Intents from this device's own user.
  void submit_local(const std::string& intent_id, const Intent& intent);
  // This device's own rating, for coaches (only if it opted in).
  void relay_local_level(v1::CoachLevel level);
  // The host's user asks for a fresh code (the old one expired, closed, or
  // should stop working). Replaces any open code and emits a CodeOpened
  // pairing event; returns why not (a sentence for the user) when the
  // session is past the lobby or has no free seat.
  std::optional<std::string> open_new_code();

 private:
  struct Peer {
    std::shared_ptr<Connection> link;
    std::string device_id;  // Set by Hello.
    pairing::ConnectionId connection_id = 0;
    std::string proven_id;  // The device id proven in the secure handshake.
  };

  TimePoint wall_now() const;  // By config_.timing's clock.
  // Accepting and pairing (host_door.cpp).
  void accept_next();
  void on_message(Connection* link, const v1::Envelope& envelope);
  void on_closed(Connection* link, const std::string& reason);
  void refuse_unreadable(Connection& link, const std::string& intent_id);
  void on_hello(Peer& peer, const v1::Hello& hello);
  // The sender alone hears the answer: over its link, or through events_ for the host's own user.
  void answer_refused(Peer* origin, const std::string& intent_id, const v1::Refusal& refusal);
  void answer_acked(Peer* origin, const std::string& intent_id, uint64_t seq);
  void process(const Actor& actor, const std::string& intent_id, const Intent& intent, Peer* origin);
  // Why the host won't judge this intent now (too fast, or a declined
  // device asking to join again); nullopt to go ahead.
  std::optional<v1::Refusal> at_the_door(const Actor& actor, const Intent& intent, const Peer* origin);
  void load_answers();
  void remember_declined(const std::string& device_id);
  bool commit(const Result& result, const std::string& intent_id, const Actor& actor, const Intent& intent,
              TimePoint now);
  void apply_shell(const Intent& intent);
  // Sends every device its view of the newest change; `origin_extra`
  // rides along in the same write to `origin`.
  void broadcast(const std::string& cause, Peer* origin = nullptr, const v1::Envelope* origin_extra = nullptr);
  void run_effects(const std::vector<Effect>& effects);
  void relay_level(const std::string& from_id, v1::CoachLevel level);
  void schedule_timer(int64_t due_ms);
  void watch_presence(const std::string& device_id, std::chrono::steady_clock::duration delay);
  void presence_due(const std::string& device_id);
  bool has_live_peer(const std::string& device_id) const;
  void send_to(Peer* origin, const v1::Envelope& envelope);
  void start_pairing();
  void on_secure(Connection* link, const pairing::HandshakeSuccess& success);
  void drain_pairing_events();
  void arm_pairing_timer();
  void close_timed_out_handshakes();

  asio::io_context& io_;
  store::Store& store_;
  HostConfig config_;
  ReplicaEvents events_;
  std::unique_ptr<Listener> listener_;
  uint16_t port_ = 0;
  bool resumed_ = false;
  bool stopped_ = false;

  State state_;
  uint64_t seq_ = 0;
  host::IntentMemory answered_;  // Bounded: resends get their first answer.
  host::DeviceLimits limits_;    // Intent rate per device; declined devices.
  std::map<Connection*, Peer> peers_;
  std::unordered_map<std::string, std::unique_ptr<asio::steady_timer>> presence_timers_;
  std::vector<std::unique_ptr<asio::steady_timer>> engine_timers_;
  std::optional<pairing::HostPairing> pairing_;
  std::optional<identity::PinnedPeerStore> pins_;
  pairing::ConnectionId next_connection_id_ = 1;
  asio::steady_timer pairing_timer_;
};

}  // namespace attune::net
