// The node both front doors drive: it hosts or joins a session, runs
// networking and the engine on one io thread, and publishes an immutable
// NodeView after every change. Private check-in numbers stay here; only the
// two bits from make_check_in leave the device (plus, if this partner opted
// in, the number itself to coach devices).
#pragma once

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "attune/crypto/device_identity.hpp"
#include "attune/discovery/join_target.hpp"
#include "attune/host/device_limits.hpp"
#include "identity/seat_pins.hpp"
#include "net/joiner.hpp"
#include "net/host.hpp"
#include "net/replica_events.hpp"
#include "net/transport.hpp"
#include "node_api.hpp"
#include "store/store.hpp"

namespace attune {

struct NodeOptions {
  enum class Mode { Host, Join };
  Mode mode = Mode::Host;
  std::filesystem::path data_dir;
  std::string display_name;
  v1::Role role = v1::ROLE_PARTNER_A;
  std::string session_name;
  std::string bind_address = "0.0.0.0";  // Host: where to listen.
  std::string host;                      // Join: the host's address (the first to try).
  uint16_t port = 0;                     // Host: listen port (0 = any). Join: host's port.
  // Join: the other places the host may be, tried in order after host:port
  // (an invite's other addresses and names; net::JoinerConfig::more_addresses).
  std::vector<net::DialAddress> more_addresses;
  uint32_t protocol_version = 0;         // 0 = this build's; tests may pretend otherwise.
  net::LinkTiming timing;
  bool full_sync = false;    // Host: fsync every change (power-loss safe, slower).
  std::string code;          // Join: the pairing code shown on the host (first pairing only).
  bool fresh_start = false;  // Move the stored data file aside first (see store::move_aside).
  // Host: how long a pairing code lives (nullopt: 10 minutes; tests shorten it).
  std::optional<std::chrono::milliseconds> code_lifetime;
  // Host: the paired partner's device this session was started for; its
  // pinned Join is let in with no "Let in" (HostCoreConfig::expected_partner).
  std::string expected_partner;
  // Join: the paired partner's device "Start now" joins; its pin, not the
  // host pin, is what the pinned handshake expects (net::JoinerConfig::pinned_host_id).
  std::string pinned_host;
  // Join: pair with the code even when a host pin is kept (net::JoinerConfig::code_first).
  bool code_first = false;
  // How many intents a device may send in a row and then per second; the
  // replication benchmark raises it to measure the path, not the limiter.
  host::DeviceLimitsConfig intent_limits;
  // How devices reach each other; null: TCP. Tests pass an in-process
  // network (net/transport_loopback.hpp).
  std::shared_ptr<net::Transport> transport;
  // Join: the longest wait between reconnect attempts while a session is
  // live (nullopt: the client's 2 seconds; tests shorten it).
  std::optional<std::chrono::milliseconds> reconnect_cap;
  // Join: what to do when the first dial fails (net::JoinerConfig::first_dial_failed).
  std::function<net::DialFallback()> first_dial_failed;
};

// Join: every place `target` names, in its order, into host, port and
// more_addresses, and the code it carries when none was given.
void aim_at(NodeOptions& options, const discovery::JoinTarget& target);

class Node final : public NodeApi {
 public:
  // Opens the data directory. Throws store::StoreError.
  Node(NodeOptions options, net::ReplicaEvents observer = {});
  ~Node() override;

  // Host: resumes or creates the session and listens (throws
  // std::system_error when it cannot). Join: starts connecting. Then runs
  // the io thread.
  void start();
  void stop();

  uint16_t port() const { return port_; }
  const std::string& device_id() const { return device_id_; }

  // Like send()/check_in(), with the caller's intent id (so it can report
  // the id before any answer can arrive).
  void submit_as(std::string intent_id, Intent intent);
  void check_in_as(std::string intent_id, int level);
  // Host: asks for a fresh pairing code (see net::Host::open_new_code). On
  // the io thread, `done` gets nullopt once the new code's pairing event went
  // out, or the sentence saying why there is none.
  void new_code(std::function<void(const std::optional<std::string>& refusal)> done);

  void send(Intent intent) override;
  void check_in(int level) override;
  std::shared_ptr<const NodeView> snapshot() const override;
  void on_change(std::function<void()> callback) override;
  void compare_coach(const std::string& coach_id, const std::string& number, bool match) override;

 private:
  net::ReplicaEvents wire_events();
  void publish();
  void do_submit(const std::string& intent_id, const Intent& intent);
  void do_check_in(const std::string& intent_id, int level);
  // Shows a refusal (from the host, or decided here before anything was sent).
  void refuse_here(const std::string& intent_id, const v1::Refusal& refusal);
  // Coach check numbers (node_coach_checks.cpp), io thread only.
  void load_coach_matches();
  void refresh_coach_checks();
  void do_compare_coach(const std::string& coach_id, const std::string& number, bool match);

  NodeOptions options_;
  net::ReplicaEvents observer_;
  store::Store store_;
  std::string device_id_;
  crypto::DeviceIdentity identity_;  // This device's long-term key (identity/device.json).
  asio::io_context io_{1};           // One io thread: lets Asio skip some locking.
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::unique_ptr<net::Host> host_;
  std::unique_ptr<net::Joiner> joiner_;
  std::thread thread_;
  std::optional<identity::SeatPins> seat_pins_;  // io thread only: the seats seen, kept on the pins.
  uint16_t port_ = 0;
  bool started_ = false;

  NodeView working_;  // io thread only
  // A plain mutex rather than std::atomic<std::shared_ptr>: GCC 12's version
  // unlocks readers with relaxed order, which ThreadSanitizer reports as a
  // race. The lock covers a pointer copy only, never I/O.
  mutable std::mutex published_mutex_;
  std::shared_ptr<const NodeView> published_;
  std::vector<std::function<void()>> callbacks_;  // io thread only
};

}  // namespace attune
