#include "app/net_launcher.hpp"

#include "cli/reminder_command.hpp"

#include <fstream>
#include <utility>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>

#include "app/discovery_service.hpp"
#include "attune/discovery/join_target.hpp"
#include "attune/discovery/invite_code.hpp"
#include "attune/discovery/nearby_label.hpp"
#include "app/partner_hosts.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/port_file.hpp"
#include "identity/private_file.hpp"
#include "node.hpp"
#include "recent_hosts.hpp"
#include "wall_clock.hpp"
#include "store/folder_lock.hpp"

namespace attune::app {

namespace {

// The port this device last hosted a session on, so the partner's
// remembered address stays good for the next code-free start.
std::filesystem::path last_port_file(const std::filesystem::path& data_dir) {
  return identity::last_host_port_file(data_dir);
}

uint16_t last_host_port(const std::filesystem::path& data_dir) {
  return identity::read_port_file(last_port_file(data_dir)).value_or(0);  // A bad file: any free port.
}

// The machine part of "host:port" (or of a nearby session's id); "" when it
// doesn't parse.
std::string machine_of(const std::string& address) {
  const auto target = discovery::parse_join_target(address);
  return target.error.empty() ? target.host : std::string();
}

constexpr const char* kCodeForANewMachine =
    "This session is on a computer this device hasn't joined at before, so it pairs there only with "
    "the host's code. Type the code shown on the host's screen, then tap Join again.";

// Whether a session picked nearby at `machine` may be joined over the host
// pin. A pinned dial shows this device's id and key to whichever host
// answers (HANDSHAKE.md section 5), so it goes only to the machine where this
// device last reached the host pin's session (kept in partner_hosts.json);
// a session anywhere else is joined with its code. With no host pin there
// is nothing to show: the code is used anyway.
bool pin_may_go_to(const std::filesystem::path& data_dir, const std::string& machine) {
  identity::PinnedPeerStore pins(data_dir);
  if (pins.load()) return false;  // Pins that can't be read: only the code.
  const auto host = pins.host();
  return !host || machine_of(partner_host(data_dir, host->device_id)) == machine;
}

}  // namespace

std::string local_address() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "127.0.0.1";
  std::string found;
  for (ifaddrs* it = list; it && found.empty(); it = it->ifa_next) {
    if (!it->ifa_addr || it->ifa_addr->sa_family != AF_INET) continue;
    const auto* in = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
    if ((ntohl(in->sin_addr.s_addr) >> 24) == 127) continue;
    char buf[INET_ADDRSTRLEN] = {};
    if (inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf)) found = buf;
  }
  freeifaddrs(list);
  return found.empty() ? "127.0.0.1" : found;
}

struct NetLauncher::CodeBox {
  mutable std::mutex mutex;
  std::string code;
  std::string notice;  // Why the code changed; "" when nothing to say.
  // Devices in the session when the lobby first showed the notice (-1: not
  // yet). Counted on the UI side: the io thread must not hold the node.
  int notice_people = -1;
};

NetLauncher::NetLauncher(Config config, discovery::ChannelOptions discovery_channel)
    : config_(std::move(config)), code_(std::make_shared<CodeBox>()) {
  if (config_.discover) discovery_ = std::make_shared<DiscoveryService>(std::move(discovery_channel));
}

NetLauncher::~NetLauncher() = default;

std::shared_ptr<NodeApi> NetLauncher::host(const HostRequest& request, std::string* error) {
  return host_for(request, {}, {}, error);
}

std::shared_ptr<NodeApi> NetLauncher::host_for(const HostRequest& request, const std::string& partner_id,
                                               const std::string& partner_name, std::string* error) {
  partner_id_ = partner_id;
  partner_name_ = partner_name;
  NodeOptions options;
  options.mode = NodeOptions::Mode::Host;
  options.data_dir = config_.data_dir;
  options.display_name = request.display_name;
  options.role = request.role;
  options.session_name = request.session_name;
  options.bind_address = config_.bind_address;
  options.port = config_.port;
  options.code_lifetime = code_lifetime_;
  options.expected_partner = partner_id_;
  options.full_sync = config_.full_sync;
  options.fresh_start = std::exchange(config_.fresh_start, false);
  // The host's pairing code opens, rotates and expires on the node's thread;
  // keep the latest so the lobby can show it and the invite can carry it.
  net::ReplicaEvents events;
  events.pairing = [box = code_](const pairing::PolicyEvent& event) {
    std::lock_guard lock(box->mutex);
    box->code = event.code;
    switch (event.kind) {
      case pairing::PolicyEventKind::CodeRotated:
      case pairing::PolicyEventKind::CodeExpired: {
        // Tell the host why the code on screen changed; a later join hides it.
        box->notice = pairing::user_message(event);
        box->notice_people = -1;
        break;
      }
      case pairing::PolicyEventKind::CodeOpened:
      case pairing::PolicyEventKind::SeatsFilled:
        box->notice.clear();
        break;
    }
  };
  // Beacons say only how many seats are free, and stop once none are or the
  // session has begun: the state events keep that count true.
  if (discovery_) {
    events.state = [nearby = std::weak_ptr<DiscoveryService>(discovery_)](const State& view, uint64_t,
                                                                          const std::string&) {
      if (const auto d = nearby.lock()) d->update_seats(discovery::seats_to_announce(view));
    };
  }
  try {
    auto node = std::make_shared<Node>(options, std::move(events));
    node->start();
    hosting_ = node;
    if (node->port() != 0)
      if (const auto problem = identity::write_port_file(last_port_file(config_.data_dir), node->port()))
        spdlog::debug("host port not remembered: {}", *problem);
    if (discovery_) {
      const auto seats = discovery::seats_to_announce(node->snapshot()->state);
      if (seats) discovery_->announce(node->port(), *seats);
    }
    damaged_file_.clear();
    return node;
  } catch (const store::FolderInUseError& e) {
    if (error) *error = e.what();  // Already one plain sentence.
    return nullptr;
  } catch (const store::DamagedStoreError& e) {
    return damaged(e, error);
  } catch (const std::exception& e) {
    if (error) *error = std::string("Couldn't start hosting here: ") + e.what();
    return nullptr;
  }
}

std::shared_ptr<NodeApi> NetLauncher::join(const JoinRequest& request, std::string* error) {
  return join_for(request, {}, error);
}


std::shared_ptr<NodeApi> NetLauncher::join_for(const JoinRequest& request, const std::string& partner_id,
                                               std::string* error,
                                               std::function<net::DialFallback()> first_dial_failed) {
  NodeOptions options;
  options.mode = NodeOptions::Mode::Join;
  options.data_dir = config_.data_dir;
  options.display_name = request.display_name;
  options.role = request.role;
  options.code = request.code;
  if (request.code.empty()) options.pinned_host = partner_id;  // "Start now": that partner's pin.
  options.fresh_start = std::exchange(config_.fresh_start, false);
  // The lobby shows "attune:...  (or address, code ...)"; the invite is the first part.
  const std::string target = request.target.substr(0, request.target.find("  (or "));
  const discovery::JoinTarget parsed = discovery::parse_join_target(target);
  if (!parsed.error.empty()) {
    if (error) *error = parsed.error;
    return nullptr;
  }
  // A session found nearby is dialled, and kept, like any other address, but
  // over the host pin only at the machine that pin was reached at.
  if (request.picked_nearby && partner_id.empty() && !pin_may_go_to(config_.data_dir, parsed.host)) {
    if (request.code.empty()) {
      if (error) *error = kCodeForANewMachine;
      return nullptr;
    }
    options.code_first = true;
  }
  aim_at(options, parsed);  // Every address of an invite, in its order.
  options.first_dial_failed = std::move(first_dial_failed);
  try {
    auto node = std::make_shared<Node>(options,
                                       remember_host_events(config_.data_dir, !options.code.empty(), partner_id));
    node->start();
    released();
    damaged_file_.clear();
    return node;
  } catch (const store::FolderInUseError& e) {
    if (error) *error = e.what();  // Already one plain sentence.
    return nullptr;
  } catch (const store::DamagedStoreError& e) {
    return damaged(e, error);
  } catch (const std::exception& e) {
    if (error) *error = std::string("Couldn't start joining: ") + e.what();
    return nullptr;
  }
}

std::shared_ptr<NodeApi> NetLauncher::damaged(const store::DamagedStoreError& e, std::string* error) {
  damaged_file_ = e.file().string();
  if (error) *error = std::string("Couldn't open the session saved on this computer: ") + e.what() + ".";
  return nullptr;
}

bool NetLauncher::fresh_start(std::string* note) {
  try {
    const auto aside = store::move_aside(config_.data_dir);
    damaged_file_.clear();
    if (note) {
      *note = aside ? "The old file is kept as " + aside->string() +
                          ", in case you ever need it. You can start "
                          "or join a session now."
                    : "You can start or join a session now.";
    }
    return true;
  } catch (const std::exception& e) {
    if (note) *note = std::string("Couldn't move the old file aside: ") + e.what();
    return false;
  }
}

std::vector<NearbySession> NetLauncher::nearby() {
  return discovery_ ? discovery_->nearby() : std::vector<NearbySession>{};
}

std::string NetLauncher::invite() {
  const auto node = hosting_.lock();
  if (!node || node->port() == 0) return {};
  const bool any = config_.bind_address == "0.0.0.0" || config_.bind_address == "::";
  const std::string address = any ? local_address() : config_.bind_address;
  const std::string plain = address + ":" + std::to_string(node->port());
  const std::string code = pairing_code();
  discovery::InviteInfo info;
  info.addresses = {address};
  info.port = node->port();
  info.session_code = code;
  const discovery::InviteEncode encoded = discovery::encode_invite(info);
  const std::string by_hand = code.empty() ? plain : plain + ", code " + code;
  return encoded.text.empty() ? by_hand : encoded.text + "  (or " + by_hand + ")";
}

std::string NetLauncher::nearby_tag() {
  return discovery_ && !hosting_.expired() ? discovery_->tag() : std::string();
}

std::string NetLauncher::pairing_code() const {
  std::lock_guard lock(code_->mutex);
  return code_->code;
}

std::string NetLauncher::code_notice() {
  const auto node = hosting_.lock();
  if (!node) return {};
  const int people = node->snapshot()->state.participants_size();
  std::lock_guard lock(code_->mutex);
  if (code_->notice.empty()) return {};
  if (code_->notice_people < 0) code_->notice_people = people;
  if (people > code_->notice_people) code_->notice.clear();  // Someone joined: the news is old.
  return code_->notice;
}

void NetLauncher::dismiss_code_notice() {
  std::lock_guard lock(code_->mutex);
  code_->notice.clear();
}

bool NetLauncher::can_make_code() {
  const auto node = hosting_.lock();
  if (!node || !pairing_code().empty()) return false;
  return !pairing::new_code_refusal(node->snapshot()->state).has_value();
}

void NetLauncher::make_code() {
  const auto node = hosting_.lock();
  if (!node) return;
  // The new code arrives as a CodeOpened pairing event (which clears the
  // notice); a refusal becomes the notice, so the host reads why.
  node->new_code([box = code_](const std::optional<std::string>& refusal) {
    if (!refusal) return;
    std::lock_guard lock(box->mutex);
    box->notice = *refusal;
    box->notice_people = -1;
  });
}

PartnerSession NetLauncher::partner_session() {
  if (hosting_.expired() || partner_id_.empty()) return {};
  return {partner_id_, partner_name_.empty() ? std::string("your partner") : partner_name_};
}

void NetLauncher::released() {
  hosting_.reset();
  partner_id_.clear();
  partner_name_.clear();
  {
    std::lock_guard lock(code_->mutex);
    code_->notice.clear();
  }
  if (discovery_) discovery_->stop_announcing();
}

// The one who joined in the two devices' latest code pairing joins again
// (remind::start_role reads it from the partner's pin), at the machine it
// last reached that partner's session at (join_partner). The pinned handshake
// proves it is the partner's device (another's session refuses this key),
// so no code is needed. The one who hosted hosts again on the port it used
// last (when no port was asked for and that one is free), so that address
// stays good.
std::shared_ptr<NodeApi> NetLauncher::start_with_partner(const std::string& partner_device_id,
                                                         const std::string& display_name, std::string* error) {
  const auto plan = cli::plan_with_partner(config_.data_dir, partner_device_id, error);
  if (!plan) return nullptr;
  if (plan->host) {
    const HostRequest request{display_name, "", v1::ROLE_PARTNER_A, {}};
    const uint16_t asked = config_.port;
    if (asked == 0) config_.port = last_host_port(config_.data_dir);
    auto node = host_for(request, partner_device_id, plan->partner_name, error);
    config_.port = asked;
    if (!node && asked == 0) node = host_for(request, partner_device_id, plan->partner_name, error);  // Any free port.
    return node;
  }
  return join_partner(partner_device_id, display_name, error);
}

namespace {
constexpr const char* kNeverMet =
    "This device hasn't reached your partner's session before, so it can't tell which session nearby is "
    "theirs. Pair once more with a code; after that, Start now finds them.";
constexpr const char* kNotAtAddress =
    "Your partner's device isn't at the address it had last time, and it isn't showing here yet. "
    "When they tap Start now too, try again.";

// A nearby session with a free seat on the machine the partner's session was
// last reached at (any port: it may have come back on another): its id, or "".
std::string partners_nearby(const std::vector<NearbySession>& sessions, const std::string& machine) {
  for (const NearbySession& s : sessions)
    if (s.open_seats > 0 && machine_of(s.id) == machine) return s.id;
  return {};
}
}  // namespace

// Only the partner's machine is ever dialled. The pinned handshake shows this
// device's id and key to whichever host it dials (HANDSHAKE.md section 5), and
// beacons say nothing about whose session they announce, so a session nearby
// is taken for the partner's only when it sits at the machine address this
// device last reached that partner's session at (kept for that partner
// alone, in partner_hosts.json); a neighbour's session is never tried. That
// address is dialled by the joiner on its own thread (this returns at once);
// if its first dial fails, the network is looked at once more, under the
// same rule, and with nobody there either the joining stops and the person
// is told in words (it isn't dialled for ever).
std::shared_ptr<NodeApi> NetLauncher::join_partner(const std::string& partner_device_id,
                                                   const std::string& display_name, std::string* error) {
  const std::string address = partner_host(config_.data_dir, partner_device_id);
  const std::string machine = machine_of(address);
  if (machine.empty()) {
    if (error) *error = kNeverMet;
    return nullptr;
  }
  if (const std::string id = partners_nearby(nearby(), machine); !id.empty())
    return join_for(JoinRequest{display_name, id, "", v1::ROLE_PARTNER_B}, partner_device_id, error);
  // Runs on the node's io thread; the discovery service outlives the node's
  // first dial only as long as this launcher does, hence the weak pointer.
  auto fallback = [nearby = std::weak_ptr<DiscoveryService>(discovery_), machine] {
    net::DialFallback answer;
    answer.stop_words = kNotAtAddress;
    if (const auto d = nearby.lock())
      if (const std::string id = partners_nearby(d->nearby(), machine); !id.empty()) {
        const auto target = discovery::parse_join_target(id);
        answer.host = target.host;
        answer.port = target.port;
      }
    return answer;
  };
  return join_for(JoinRequest{display_name, address, "", v1::ROLE_PARTNER_B}, partner_device_id, error,
                  std::move(fallback));
}

}  // namespace attune::app
