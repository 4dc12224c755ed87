// The authoritative side of a session, as a shell around host::HostCore
// (attune/host/host_core.hpp), which holds every rule: this class accepts
// links, runs their handshakes and I/O, and carries out what the core
// decides (store writes through store::Store, sends, asio timers, pins).
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
#include "attune/host/host_core.hpp"
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
  std::filesystem::path data_dir;        // Where pins live.
  std::shared_ptr<Transport> transport;  // How devices reach it; null: TCP.
  // How long a pairing code lives; nullopt keeps the policy's 10 minutes
  // (tests shorten it).
  std::optional<std::chrono::milliseconds> code_lifetime;
  host::DeviceLimitsConfig intent_limits;
  std::string expected_partner;  // See HostCoreConfig::expected_partner.
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
  void relay_local_level(const v1::CoachLevel& level);
  // The host's user asks for a fresh code (the old one expired, closed, or
  // should stop working). Replaces any open code and emits a CodeOpened
  // pairing event; returns why not (a sentence for the user) when the
  // session is past the lobby or has no free seat.
  std::optional<std::string> open_new_code();

 private:
  // The one place the host reads the wall clock (config_.timing's clock);
  // the core gets it as `now`.
  TimePoint now() const;
  // Accepting and pairing (host_door.cpp).
  void accept_next();
  void admit(std::shared_ptr<Connection> link, const std::string& source);
  void load_pins();
  void on_closed(host::LinkId id, Connection* link, const std::string& reason);
  // Links that closed themselves and are draining no longer count as present.
  void note_draining_links();
  // Carrying out the core's decisions (host.cpp).
  void carry_out(host::Actions actions);
  void release_held();  // Writes what the sends of carry_out queued, back to back.
  void run(host::Action& action);
  bool store_gated(const host::GatedWrite& write);
  // Copies SQLite's log into its file once no change has come for
  // kQuietForCheckpoint, so no reply waits for those fsyncs.
  void checkpoint_when_quiet();
  void arm_checkpoint(std::chrono::steady_clock::duration after);
  // People act a few times a second at most: a pause this long comes soon.
  static constexpr std::chrono::milliseconds kQuietForCheckpoint{20};
  void run_store(const host::Action& action);
  void run_local(host::Action& action);
  void run_link(host::Action& action);
  void arm(const host::ArmTimer& arm);
  void cancel(const host::TimerKey& key);
  void fired(const host::TimerKey& key);
  std::shared_ptr<Connection> link(host::LinkId id) const;

  asio::io_context& io_;
  store::Store& store_;
  HostConfig config_;
  ReplicaEvents events_;
  std::unique_ptr<Listener> listener_;
  uint16_t port_ = 0;
  bool resumed_ = false;
  bool stopped_ = false;

  host::HostCore core_;  // The rules: state, seq, answers, limits, code, presence.
  crypto::CoachInbox coach_inbox_;  // Ratings sealed to this device, when it is the coach.
  std::map<host::LinkId, std::shared_ptr<Connection>> links_;
  std::vector<std::shared_ptr<Connection>> held_;  // Links whose frames wait for release_held().
  host::LinkId next_link_id_ = 1;
  std::unordered_map<std::string, std::unique_ptr<asio::steady_timer>> presence_timers_;
  std::vector<std::unique_ptr<asio::steady_timer>> engine_timers_;
  asio::steady_timer pairing_timer_;
  asio::steady_timer checkpoint_timer_;
  bool checkpoint_armed_ = false;
  std::chrono::steady_clock::time_point last_change_;
  std::optional<identity::PinnedPeerStore> pins_;
};

}  // namespace attune::net
