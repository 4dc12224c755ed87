// A SessionLauncher for sessions inside this process (LocalSession): the
// demo's two windows find each other through it, as "nearby" sessions.
#pragma once

#include <functional>
#include <map>
#include <mutex>

#include "app/local_node.hpp"
#include "app/session_launcher.hpp"

namespace attune::app {

// Shared by all windows of one process.
class LocalRegistry {
 public:
  explicit LocalRegistry(LocalSession::Clock clock) : clock_(std::move(clock)) {}
  std::shared_ptr<LocalSession> host(const HostRequest& request, const std::string& device_id);
  std::shared_ptr<LocalSession> find(const std::string& session_id);
  std::vector<NearbySession> list();
  const LocalSession::Clock& clock() const { return clock_; }

 private:
  LocalSession::Clock clock_;
  std::mutex mu_;
  std::map<std::string, std::weak_ptr<LocalSession>> sessions_;
};

class LocalLauncher : public SessionLauncher {
 public:
  LocalLauncher(std::shared_ptr<LocalRegistry> registry, std::string device_id)
      : registry_(std::move(registry)), device_id_(std::move(device_id)) {}
  std::shared_ptr<NodeApi> host(const HostRequest& request, std::string* error) override;
  std::shared_ptr<NodeApi> join(const JoinRequest& request, std::string* error) override;
  std::vector<NearbySession> nearby() override { return registry_->list(); }
  std::string invite() override { return {}; }
  std::string nearby_tag() override;

 private:
  std::shared_ptr<LocalRegistry> registry_;
  std::string device_id_;
  std::shared_ptr<LocalSession> session_;  // Keeps a joined or hosted session alive.
  bool hosting_ = false;                   // session_ is the one this launcher hosts.
};

}  // namespace attune::app
