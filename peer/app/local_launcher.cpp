#include "app/local_launcher.hpp"

#include <functional>

#include "attune/discovery/nearby_label.hpp"

namespace attune::app {
namespace {

// In-process sessions have no beacon; their tag comes from the session id.
std::string local_tag(const State& state) {
  return discovery::nearby_tag(std::hash<std::string>{}(state.session_id()));
}

}  // namespace

std::shared_ptr<LocalSession> LocalRegistry::host(const HostRequest& request, const std::string& device_id) {
  auto session = LocalSession::create(request.session_name, request.settings, device_id, request.display_name,
                                      request.role, clock_);
  session->run_timers_in_background();
  std::lock_guard lock(mu_);
  sessions_[session->state().session_id()] = session;
  return session;
}

std::shared_ptr<LocalSession> LocalRegistry::find(const std::string& session_id) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(session_id);
  return it == sessions_.end() ? nullptr : it->second.lock();
}

std::vector<NearbySession> LocalRegistry::list() {
  std::vector<std::shared_ptr<LocalSession>> live;
  {
    std::lock_guard lock(mu_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      if (auto s = it->second.lock()) {
        live.push_back(std::move(s));
        ++it;
      } else {
        it = sessions_.erase(it);
      }
    }
  }
  std::vector<NearbySession> out;
  for (const auto& s : live) {
    const State st = s->state();
    const auto seats = discovery::seats_to_announce(st);
    if (!seats) continue;  // Only sessions still gathering, with a seat free.
    NearbySession n;
    n.id = st.session_id();
    n.tag = local_tag(st);
    n.open_seats = *seats;
    n.where = "on this computer";
    out.push_back(std::move(n));
  }
  return out;
}

std::string LocalLauncher::nearby_tag() {
  if (!session_ || !hosting_) return {};
  const State st = session_->state();
  return discovery::seats_to_announce(st) ? local_tag(st) : std::string();
}

std::shared_ptr<NodeApi> LocalLauncher::host(const HostRequest& request, std::string*) {
  session_ = registry_->host(request, device_id_);
  hosting_ = true;
  return session_->host_node();
}

std::shared_ptr<NodeApi> LocalLauncher::join(const JoinRequest& request, std::string* error) {
  auto session = registry_->find(request.target);
  if (!session) {
    if (error)
      *error = "Couldn't find a session at \"" + request.target + "\". Check the invite and try again.";
    return nullptr;
  }
  auto node = session->join(device_id_, request.display_name, request.role, error);
  if (node) {
    session_ = session;
    hosting_ = false;
  }
  return node;
}

}  // namespace attune::app
