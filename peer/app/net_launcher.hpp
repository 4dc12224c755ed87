// A SessionLauncher over the real network node (attune::Node): hosting
// listens on TCP (and announces the session nearby), joining connects to an
// invite, an address:port, or a session found nearby.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/session_launcher.hpp"
#include "multicast_channel.hpp"
#include "net/joiner.hpp"

namespace attune {
class Node;
}
namespace attune::store {
class DamagedStoreError;
}

namespace attune::app {

class DiscoveryService;

class NetLauncher : public SessionLauncher {
 public:
  struct Config {
    std::filesystem::path data_dir;        // The node's store and device identity.
    std::string bind_address = "0.0.0.0";  // Where a hosted session listens.
    uint16_t port = 0;                     // 0 picks a free port.
    bool discover = false;                 // Browse and announce on the local network.
    bool full_sync = false;                // Host: fsync every change.
    bool fresh_start = false;              // The first host or join moves a saved session aside.
  };
  // `discovery_channel`: where discovery browses and announces (tests keep
  // it on loopback); used only when config.discover is set.
  explicit NetLauncher(Config config, discovery::ChannelOptions discovery_channel = {});
  ~NetLauncher() override;

  std::shared_ptr<NodeApi> host(const HostRequest& request, std::string* error) override;
  std::shared_ptr<NodeApi> join(const JoinRequest& request, std::string* error) override;
  std::vector<NearbySession> nearby() override;
  std::string invite() override;
  std::string nearby_tag() override;
  void released() override;
  bool wants_code() const override { return true; }
  std::string code_notice() override;
  void dismiss_code_notice() override;
  std::string damaged_file() const override { return damaged_file_; }
  bool fresh_start(std::string* note) override;
  bool can_make_code() override;
  void make_code() override;
  std::shared_ptr<NodeApi> start_with_partner(const std::string& partner_device_id, const std::string& display_name,
                                              std::string* error) override;
  // How long the next hosted session's codes live (normally 10 minutes;
  // tests shorten it).
  void set_code_lifetime(std::chrono::milliseconds lifetime) { code_lifetime_ = lifetime; }
  // The pairing code the hosted session shows now ("" before it opens).
  std::string pairing_code() const;
  PartnerSession partner_session() override;

 private:
  struct CodeBox;
  Config config_;
  std::optional<std::chrono::milliseconds> code_lifetime_;
  std::shared_ptr<CodeBox> code_;  // Written on the node's io thread, read by the UI.
  std::shared_ptr<DiscoveryService> discovery_;  // Shared with the hosted node's state events.
  std::weak_ptr<Node> hosting_;  // Hosting stops when the window lets go of it.
  std::string damaged_file_;
  // "Start now" hosting: the partner's device id, and its name as paired ("" otherwise).
  std::string partner_id_;
  std::string partner_name_;

  // Hosts; `partner_id` (may be ""): the paired partner this session is for.
  std::shared_ptr<NodeApi> host_for(const HostRequest& request, const std::string& partner_id,
                                    const std::string& partner_name, std::string* error);
  // Joins; `partner_id` (may be ""): the paired partner this join is for.
  // `first_dial_failed`: what the joiner does when its first dial fails.
  std::shared_ptr<NodeApi> join_for(const JoinRequest& request, const std::string& partner_id, std::string* error,
                                    std::function<net::DialFallback()> first_dial_failed = {});
  // "Start now" as the joiner: only the machine kept for this partner (a
  // session nearby at that address, else the address itself, dialled on the
  // node's thread); never a neighbour's session.
  std::shared_ptr<NodeApi> join_partner(const std::string& partner_device_id, const std::string& display_name,
                                        std::string* error);
  // Host or join found the saved session unusable: remember the file for
  // "Start fresh" and say so in `error`.
  std::shared_ptr<NodeApi> damaged(const store::DamagedStoreError& e, std::string* error);
};

// The address others on this network would use to reach this computer: the
// first non-loopback IPv4 address, or "127.0.0.1" when there is none.
std::string local_address();

}  // namespace attune::app
