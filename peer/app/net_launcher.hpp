// A SessionLauncher over the real network node (attune::Node): hosting
// listens on TCP, joining connects to address:port.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "app/session_launcher.hpp"

namespace attune {
class Node;
}

namespace attune::app {

class NetLauncher : public SessionLauncher {
 public:
  struct Config {
    std::filesystem::path data_dir;        // The node's store and device identity.
    std::string bind_address = "0.0.0.0";  // Where a hosted session listens.
    uint16_t port = 0;                     // 0 picks a free port.
  };
  explicit NetLauncher(Config config) : config_(std::move(config)) {}

  std::shared_ptr<NodeApi> host(const HostRequest& request, std::string* error) override;
  std::shared_ptr<NodeApi> join(const JoinRequest& request, std::string* error) override;
  std::vector<NearbySession> nearby() override { return {}; }
  std::string invite() override;

 private:
  Config config_;
  std::weak_ptr<Node> hosting_;  // Hosting stops when the window lets go of it.
};

// "192.168.1.20:47000", "[::1]:47000", "host.local:47000" -> host and port.
bool parse_address(const std::string& text, std::string* host, uint16_t* port);

// The address others on this network would use to reach this computer: the
// first non-loopback IPv4 address, or "127.0.0.1" when there is none.
std::string local_address();

}  // namespace attune::app
