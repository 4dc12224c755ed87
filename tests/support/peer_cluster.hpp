// Three real headless peers on loopback for integration tests: a host
// (partner A), partner B and a coach, each with its own data folder. Helpers
// send a command as one of them, wait for the host's answer, and wait until
// every replica shows the same state, always with deadlines.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "peer_process.hpp"
#include "who.hpp"

namespace attune::test {

struct ClusterOptions {
  // How long a silent device may be away before the session pauses for it.
  uint32_t silence_ms = 5000;
  uint32_t heartbeat_ms = 1000;
  // The names each device types in.
  std::string name_a = "Alex";
  std::string name_b = "Blake";
  std::string name_coach = "Casey";
  // Where B and the coach dial, given the host's port; by default the host
  // itself. A test can put a relay in between.
  std::function<uint16_t(Who, uint16_t host_port)> route = nullptr;
};

class PeerCluster {
 public:
  static constexpr auto kWait = 20s;

  explicit PeerCluster(std::string binary, ClusterOptions options = {});

  // Before start(): sets ClusterOptions::route.
  void route(std::function<uint16_t(Who, uint16_t host_port)> route) { options_.route = std::move(route); }
  // Starts the host and waits for its port, then starts B and the coach.
  void start();
  PeerProcess& peer(Who who);
  uint16_t port() const { return port_; }
  // The pairing code the host showed when it started.
  const std::string& code() const { return code_; }
  const std::filesystem::path& root() const { return dir_.path(); }

  // Sends a command line and returns the intent id it printed (empty and a
  // test failure if it printed an error instead).
  std::string submit(Who who, const std::string& command);
  // Waits for the host's answer to an intent; fails the test on a refusal.
  uint64_t expect_ack(Who who, const std::string& intent_id);
  // Waits for a refusal of the intent; returns its code.
  std::string expect_refusal(Who who, const std::string& intent_id);
  // submit + expect_ack + converge.
  uint64_t act(Who who, const std::string& command);
  // A joining partner says the coach's check number matches the coach's
  // screen (coach-numbers-match) and waits for its coach_check "matched".
  void match_coach(Who who);
  // Waits until all three replicas show the host's latest sequence and the
  // same state; returns the host's state.
  Json converge();
  // The host's latest state.
  Json state();

  // SIGKILL one peer and start it again with the same data folder.
  void kill_and_restart(Who who);

  // Every (cause intent id -> sequence numbers) the host ever broadcast,
  // across restarts, as any replica printed it. Not the host's lines alone:
  // a host killed between broadcasting a change and printing it still
  // delivered it, and the joiners' lines show that.
  std::map<std::string, std::set<uint64_t>> broadcast_causes();
  // Every intent id any peer saw acknowledged.
  std::set<std::string> acked_ids();

 private:
  std::vector<std::string> host_args(uint16_t port) const;
  std::vector<std::string> join_args(Who who) const;

  std::string binary_;
  ClusterOptions options_;
  TempDir dir_;
  uint16_t port_ = 0;
  std::string code_;
  std::unique_ptr<PeerProcess> host_;
  std::unique_ptr<PeerProcess> b_;
  std::unique_ptr<PeerProcess> coach_;
};

std::string who_name(Who who);

}  // namespace attune::test
