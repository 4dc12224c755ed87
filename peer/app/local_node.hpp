// An in-process session: several simulated devices share one engine state,
// each behind its own NodeApi. Used by the demo-without-network, the view
// tests and the screenshot test. It runs the real engine (attune::apply);
// it only replaces the network between devices.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "node_api.hpp"

namespace attune::app {

class LocalSession;

// One simulated device's view of a LocalSession.
class LocalNode : public NodeApi {
 public:
  LocalNode(std::shared_ptr<LocalSession> session, std::string id, bool host);
  void send(Intent intent) override;
  void check_in(int level) override;
  std::shared_ptr<const Snapshot> snapshot() const override;
  void on_change(std::function<void()> callback) override;

  const std::string& id() const { return id_; }

 private:
  friend class LocalSession;
  void publish(std::shared_ptr<const Snapshot> snap);

  std::shared_ptr<LocalSession> session_;
  std::string id_;
  bool host_;
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> snap_;
  std::function<void()> callback_;
};

class LocalSession : public std::enable_shared_from_this<LocalSession> {
 public:
  using Clock = std::function<TimePoint()>;

  // A new session in the lobby with its host device as first participant.
  static std::shared_ptr<LocalSession> create(std::string session_name, const v1::Settings& settings,
                                              std::string host_id, std::string host_name, v1::Role host_role,
                                              Clock clock);
  ~LocalSession();
  LocalSession(const LocalSession&) = delete;
  LocalSession& operator=(const LocalSession&) = delete;

  std::shared_ptr<LocalNode> host_node();

  // A device asks to join. Returns its node, or nullopt plus the engine's
  // refusal text in *error.
  std::shared_ptr<LocalNode> join(std::string id, std::string name, v1::Role role, std::string* error);

  // Delivers TimerFired for every timer due now. Returns how many fired.
  int tick();
  // Runs tick() by itself on a small thread until destroyed (the window app).
  void run_timers_in_background();

  // Simulates a device losing or regaining its link to the host.
  void set_connected(const std::string& id, bool connected);

  State state() const;
  std::optional<int64_t> next_timer_ms() const;

 private:
  friend class LocalNode;
  LocalSession(Clock clock);

  struct Device {
    std::weak_ptr<LocalNode> node;
    bool connected = true;
    std::vector<PrivateCheckIn> check_ins;
    std::optional<v1::Refusal> last_refusal;
    uint64_t refusal_serial = 0;
    std::vector<Intent> queued;  // Sent while away; delivered on return.
  };

  // Applies one intent and returns the nodes to notify; caller holds mu_.
  void apply_locked(const Actor& actor, const Intent& intent, const std::string* from_id);
  void check_in_locked(const std::string& id, int level);
  std::shared_ptr<const Snapshot> snapshot_locked(const std::string& id, const Device& d) const;
  void publish_all();

  Clock clock_;
  mutable std::mutex mu_;
  State state_;
  std::string host_id_;
  std::map<std::string, Device> devices_;
  std::vector<std::pair<v1::Role, PrivateCheckIn>> shared_levels_;
  std::vector<int64_t> timers_;
  uint64_t seq_ = 0;

  std::mutex timer_mu_;
  std::condition_variable timer_cv_;
  bool stopping_ = false;
  std::thread timer_thread_;
};

}  // namespace attune::app
