// Drives a whole session through the product's own nodes, in one process,
// for the view-model flow test and the window tests: Alex hosts as partner
// A, Sam joins as partner B, Robin as coach. Each is a real attune::Node
// with its own data folder, device key and io thread; they meet over an
// in-process loopback network (net/transport_loopback.hpp), so the real
// host, joiners, handshake (a code first, pinned keys after) and outboxes
// run as they do between laptops. Only the wire is in memory, and the
// clock is the test's.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "net/transport_loopback.hpp"
#include "node.hpp"
#include "peer_process.hpp"
#include "session_script.hpp"

namespace attune::app::test {

class LocalFlow;

// One device's node, as the views see it. send() and check_in() return once
// the host has answered and every device has heard the outcome (or, for a
// device that is cut off, once the intent waits in its outbox), so a test
// or a click reads the result at once.
class FlowDevice : public NodeApi {
 public:
  FlowDevice(LocalFlow& flow, std::string id, std::unique_ptr<Node> node);
  void send(Intent intent) override;
  void check_in(int level) override;
  std::shared_ptr<const NodeView> snapshot() const override { return node_->snapshot(); }
  void on_change(std::function<void()> callback) override { node_->on_change(std::move(callback)); }
  // Returns once this device shows the outcome (bounded).
  void compare_coach(const std::string& coach_id, const std::string& number, bool match) override;

  const std::string& id() const { return id_; }
  Node& node() { return *node_; }

 private:
  LocalFlow& flow_;
  std::string id_;
  std::unique_ptr<Node> node_;
};

class LocalFlow {
 public:
  // `before_join` (if set) gets each joining device's id and data folder
  // before its node starts (a test writes what it remembered from before).
  explicit LocalFlow(bool with_coach = true,
                     std::function<void(const std::string& id, const std::filesystem::path& dir)> before_join = {});
  ~LocalFlow();
  LocalFlow(const LocalFlow&) = delete;
  LocalFlow& operator=(const LocalFlow&) = delete;

  // Sends and returns the refusal text if the host refused ("" if accepted).
  std::string send(NodeApi& node, Intent intent);
  std::string check_in(NodeApi& node, int level);

  void advance_seconds(int64_t s) { *clock_ms_ += s * 1000; }
  int64_t now_ms() const { return *clock_ms_; }

  // The session as the host holds it.
  State host_state() const;
  // Cuts a device off from the others (both ends see its link break), or
  // lets it back; returns once the host, the device and everyone else have
  // caught up (back: it reconnected and what it did meanwhile was answered).
  void set_connected(const std::string& id, bool connected);

  // Scenario steps; each returns "" or the first refusal met.
  std::string admit_everyone();
  // Sam (or another joining partner) says the coach's check number matches
  // the coach's screen; "" or what went wrong.
  std::string match_coach(FlowDevice& partner);
  std::string start();  // Both ready: step 1.
  std::string both_share_with_coach();  // Alex and Sam both opt in to share with the coach.
  std::string start_and_confirm();      // Both ready, then both confirm step 1: the first check-in.
  std::string both_check_in(int a, int b);
  std::string finish_pause();  // Waits out the pause; the timer fires.
  // The shared walk (session_script, with walk_options()), a moment apart
  // per line: the lobby to step 4; then Alex offers to go first and Sam
  // accepts; then from Share (Alex speaking) to the end.
  std::string to_who_first();
  std::string to_share();
  std::string share_to_complete();
  // Step 6 after the mirror, as the shared walk does it (session_script's
  // reflect_through): "Is there more?", nothing more, validated, empathised,
  // reflected. `listener` is Alex or Sam; the other is the speaker.
  std::string reflect_through(NodeApi& listener);

  // Plays one line of the shared walk (session_script): A is Alex, B Sam,
  // the coach Robin. Fails the test on a refusal or an unexpected step.
  void play(const attune::test::Line& line);
  // The same, returning the refusal instead (an unexpected step still fails the test).
  std::string play_line(const attune::test::Line& line);
  std::string walk(const std::vector<attune::test::Line>& lines);
  static attune::test::WalkOptions walk_options();
  // The node that plays `who`.
  NodeApi& node(attune::test::Who who);

  std::shared_ptr<FlowDevice> alex;
  std::shared_ptr<FlowDevice> sam;
  std::shared_ptr<FlowDevice> robin;  // Null without a coach.

 private:
  friend class FlowDevice;
  enum class Answer { Queued, Held, Acked, Refused };

  NodeOptions options_for(const std::string& id, const std::string& name, v1::Role role);
  net::ReplicaEvents observer();
  std::shared_ptr<FlowDevice> join(const std::string& id, const std::string& name, v1::Role role);
  std::function<void(const std::string& id, const std::filesystem::path& dir)> before_join_;
  void sent(const std::string& device_id, const std::string& intent_id);
  // Waits as FlowDevice::send promises; "" or why it timed out.
  std::string settle(const std::string& device_id, const std::string& intent_id);
  // Waits (bounded) until `done` holds and nothing is in flight.
  bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit);
  bool seat_connected(const std::string& id) const;

  attune::test::TempDir dirs_;
  std::shared_ptr<net::LoopbackNetwork> network_ = net::LoopbackNetwork::create();
  std::shared_ptr<std::atomic<int64_t>> clock_ms_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, Answer> answers_;      // By intent id.
  std::map<std::string, std::string> sender_;  // Intent id -> the device that sent it.
  std::string code_;                       // The host's pairing code.
  std::set<std::string> away_;             // Devices cut off now.
};

}  // namespace attune::app::test
