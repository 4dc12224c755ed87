#include "node.hpp"

#include <spdlog/spdlog.h>

#include "attune/crypto/check_number.hpp"
#include "attune/intent_limits.hpp"
#include "attune/intents.hpp"
#include "attune/text.hpp"
#include "identity/device_key_store.hpp"
#include "identity/system_random.hpp"
#include "random_id.hpp"
#include "wall_clock.hpp"

namespace attune {

namespace {

constexpr const char* kAppVersion = ATTUNE_VERSION;

// The device key shares the store's device id, so the participant id is
// exactly the id this device proves in every handshake.
crypto::DeviceIdentity load_identity(const std::filesystem::path& data_dir, store::Store& store) {
  const bool known = store.has_device_id();
  const std::string device_id = store.device_id();
  auto loaded = identity::load_or_create_device_key(data_dir, identity::system_random(), device_id);
  if (store.unavailable()) {
    // The disk won't take a new key: this run gets one that lives in memory
    // (peers pair with it afresh). A key already on disk is still used.
    if (loaded.identity) return std::move(*loaded.identity);
    crypto::Seed seed;
    identity::system_random()(std::span<std::uint8_t>(seed.data(), seed.size()));
    return crypto::DeviceIdentity(device_id, seed);
  }
  if (!loaded.identity) throw store::StoreError(loaded.error);
  if (loaded.tightened) spdlog::warn("this device's key file was readable by others; it is private again");
  if (loaded.identity->device_id() != device_id) {
    // A new data file (first start, or after --fresh-start) takes the key's
    // id: peers already know this device by it.
    if (!known) {
      store.adopt_device_id(loaded.identity->device_id());
      return std::move(*loaded.identity);
    }
    throw store::StoreError("this device's key file belongs to device " + loaded.identity->device_id() +
                            ", not " + device_id + "; move one of them away and pair again");
  }
  return std::move(*loaded.identity);
}

}  // namespace

void aim_at(NodeOptions& options, const discovery::JoinTarget& target) {
  options.host = target.host;
  options.port = target.port;
  options.more_addresses.clear();
  for (std::size_t i = 1; i < target.candidates.size(); ++i)
    options.more_addresses.push_back(net::DialAddress{target.candidates[i].host, target.candidates[i].port});
  if (options.code.empty()) options.code = target.code;  // An invite carries the code.
}

Node::Node(NodeOptions options, net::ReplicaEvents observer)
    : options_(std::move(options)),
      observer_(std::move(observer)),
      store_(options_.data_dir, options_.full_sync),
      identity_(load_identity(options_.data_dir, store_)),
      work_(asio::make_work_guard(io_)) {
  device_id_ = identity_.device_id();
  seat_pins_.emplace(options_.data_dir, device_id_);
  store_.on_unavailable([this](store::Unavailable why) {
    const std::string message = store::describe(why);
    working_.storage_notice = message;
    if (started_) publish();
    if (observer_.storage) observer_.storage(message);
  });
  working_.my_id = device_id_;
  working_.my_role = options_.role;
  working_.my_check_number = crypto::check_number(identity_.public_key());
  working_.link = LinkState::Offline;
  published_ = std::make_shared<const NodeView>(working_);  // No other thread runs yet.
}

Node::~Node() { stop(); }

net::ReplicaEvents Node::wire_events() {
  net::ReplicaEvents events;
  events.state = [this](const State& view, uint64_t seq, const std::string& cause) {
    const bool new_session = working_.state.session_id() != view.session_id();
    working_.state = view;
    working_.applied_seq = seq;
    if (const auto* me = find_participant(view, device_id_)) working_.my_role = me->role();
    refresh_coach_checks();
    if (const std::string problem = seat_pins_->saw(view); !problem.empty())
      spdlog::warn("could not keep which seat a paired device took: {}", problem);
    if (new_session) {
      working_.my_check_ins.clear();
      working_.coach_levels.clear();
      try {
        for (const auto& c : store_.load_check_ins(view.session_id())) {
          working_.my_check_ins.push_back(PrivateCheckIn{c.level, c.at_ms, c.step});
        }
      } catch (const store::StoreError& error) {
        spdlog::warn("could not read this device's check-ins: {}", error.what());
      }
    }
    publish();
    if (observer_.state) observer_.state(view, seq, cause);
  };
  events.refused = [this](const std::string& intent_id, const v1::Refusal& refusal) {
    std::erase_if(working_.held, [&](const auto& h) { return h.first == intent_id; });
    refuse_here(intent_id, refusal);
  };
  events.acked = [this](const std::string& intent_id, uint64_t seq) {
    if (std::erase_if(working_.held, [&](const auto& h) { return h.first == intent_id; }) > 0) publish();
    if (observer_.acked) observer_.acked(intent_id, seq);
  };
  events.queued = [this](const std::string& intent_id) {
    if (observer_.queued) observer_.queued(intent_id);
  };
  events.held = [this](const std::string& intent_id, const std::string& message) {
    working_.held.emplace_back(intent_id, message);
    publish();
    if (observer_.held) observer_.held(intent_id, message);
  };
  // Words from the link can quote what another device sent: neutralized
  // here, before any screen, log or terminal sees them.
  events.link = [this](LinkState link, const std::string& raw) {
    const std::string detail = sanitize_display_text(raw);
    working_.link = link;
    working_.link_detail = detail;
    if (link == LinkState::Connected) working_.last_goodbye.reset();
    publish();
    if (observer_.link) observer_.link(link, detail);
  };
  events.reached = [this](const std::string& address) {
    if (observer_.reached) observer_.reached(address);
  };
  events.coach_level = [this](const v1::CoachLevel& level) {
    working_.coach_levels.emplace_back(
        level.partner(), PrivateCheckIn{static_cast<int>(level.level()), level.at_ms(), level.step()});
    publish();
    if (observer_.coach_level) observer_.coach_level(level);
  };
  events.problem = [this](const std::string& message) {
    if (observer_.problem) observer_.problem(sanitize_display_text(message));
  };
  events.pairing = [this](const pairing::PolicyEvent& event) {
    if (observer_.pairing) observer_.pairing(event);
    publish();  // Nothing in the snapshot changed, but the host's screen shows the code: wake it.
  };
  events.fatal = [this](net::Fatal fatal, const std::string& raw) {
    const std::string message = sanitize_display_text(raw);
    working_.link = LinkState::Offline;
    working_.link_detail = message;
    publish();
    if (observer_.fatal) observer_.fatal(fatal, message);
  };
  events.closed = [this](const v1::Close& goodbye, bool reconnecting) {
    working_.last_goodbye = NodeView::Goodbye{goodbye.reason(), sanitize_display_text(goodbye.message()), reconnecting};
    publish();
    if (observer_.closed) observer_.closed(goodbye, reconnecting);
  };
  return events;
}

void Node::start() {
  if (started_) return;
  started_ = true;
  switch (options_.mode) {
    case NodeOptions::Mode::Host: {
      net::HostConfig config(identity_);
      config.bind_address = options_.bind_address;
      config.port = options_.port;
      config.device_id = device_id_;
      config.display_name = options_.display_name;
      config.role = options_.role;
      config.session_name = options_.session_name;
      config.app_version = kAppVersion;
      config.timing = options_.timing;
      config.data_dir = options_.data_dir;
      config.code_lifetime = options_.code_lifetime;
      config.expected_partner = options_.expected_partner;
      config.intent_limits = options_.intent_limits;
      config.transport = options_.transport;
      host_ = std::make_unique<net::Host>(io_, store_, config, wire_events());
      working_.link = LinkState::Hosting;
      working_.link_detail = "Hosting the session.";
      // Runs before the io thread exists, so errors reach the caller.
      host_->start();
      port_ = host_->port();
      break;
    }
    case NodeOptions::Mode::Join: {
      net::JoinerConfig config(identity_);
      config.host = options_.host;
      config.port = options_.port;
      config.more_addresses = options_.more_addresses;
      config.device_id = device_id_;
      config.display_name = options_.display_name;
      config.role = options_.role;
      config.app_version = kAppVersion;
      config.protocol_version = options_.protocol_version;
      config.timing = options_.timing;
      config.data_dir = options_.data_dir;
      config.code = options_.code;
      config.pinned_host_id = options_.pinned_host;
      config.code_first = options_.code_first;
      config.transport = options_.transport;
      if (options_.reconnect_cap) config.backoff_cap = *options_.reconnect_cap;
      config.first_dial_failed = options_.first_dial_failed;
      joiner_ = std::make_unique<net::Joiner>(io_, store_, config, wire_events());
      load_coach_matches();
      joiner_->start();
      break;
    }
  }
  thread_ = std::thread([this] { io_.run(); });
}

void Node::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    if (host_) host_->stop();
    if (joiner_) joiner_->stop();
    work_.reset();
  });
  thread_.join();
  // Drop what is left (closed sockets' handlers) on this thread.
  host_.reset();
  joiner_.reset();
}

void Node::submit_as(std::string intent_id, Intent intent) {
  asio::post(io_, [this, id = std::move(intent_id), intent = std::move(intent)] { do_submit(id, intent); });
}

void Node::send(Intent intent) { submit_as(random_id(), std::move(intent)); }

void Node::do_submit(const std::string& intent_id, const Intent& intent) {
  // The door: an intent that could never be delivered is refused here, in
  // words, and never queued (a queued one would be resent at every start).
  if (auto refusal = check_outgoing_intent(intent)) {
    refuse_here(intent_id, *refusal);
    return;
  }
  if (host_) host_->submit_local(intent_id, intent);
  if (joiner_) joiner_->submit(intent_id, intent);
}

void Node::new_code(std::function<void(const std::optional<std::string>& refusal)> done) {
  asio::post(io_, [this, done = std::move(done)] {
    std::optional<std::string> refusal =
        host_
            ? host_->open_new_code()
            : std::optional<std::string>("Only the hosting device makes codes; ask the host for a new one.");
    if (done) done(refusal);
  });
}

void Node::check_in_as(std::string intent_id, int level) {
  asio::post(io_, [this, id = std::move(intent_id), level] { do_check_in(id, level); });
}

void Node::check_in(int level) { check_in_as(random_id(), level); }

void Node::refuse_here(const std::string& intent_id, const v1::Refusal& from_wire) {
  v1::Refusal refusal = from_wire;
  refusal.set_message(sanitize_display_text(from_wire.message()));
  working_.last_refusal = refusal;
  ++working_.refusal_serial;
  publish();
  if (observer_.refused) observer_.refused(intent_id, refusal);
}

void Node::do_check_in(const std::string& intent_id, int level) {
  const auto bits = make_check_in(level, working_.state.settings());
  // Before this device has seen the session (a restart that has not caught
  // up yet) the threshold is unknown: judging against zero would pause the
  // session for a calm partner, so ask again instead.
  const bool known = !working_.state.session_id().empty();
  if (!bits || !known) {
    v1::Refusal refusal;
    refusal.set_code(known ? v1::REFUSAL_CODE_BAD_INPUT : v1::REFUSAL_CODE_NOT_IN_SESSION);
    refusal.set_message(known ? "A check-in is a number from 0 to 10."
                              : "Still catching up with the session. Please check in again in a moment.");
    refuse_here(intent_id, refusal);
    return;
  }
  // The number stays on this device: in its timeline, and on disk.
  // Later than this device's last check-in even if the clock was set back:
  // the coach turns away a rating no later than the last (a replay).
  int64_t at_ms = to_ms(net::read_clock(options_.timing));
  if (!working_.my_check_ins.empty()) at_ms = std::max(at_ms, working_.my_check_ins.back().at_ms + 1);
  const PrivateCheckIn mine{level, at_ms, working_.state.step()};
  working_.my_check_ins.push_back(mine);
  try {
    store_.add_check_in(store::StoredCheckIn{working_.state.session_id(), level, mine.at_ms, mine.step});
  } catch (const store::StoreError& error) {
    spdlog::warn("could not keep this check-in on disk: {}", error.what());
  }
  publish();

  do_submit(intent_id, intents::check_in(*bits));

  const auto* me = find_participant(working_.state, device_id_);
  if (me && is_partner(me->role()) && me->shares_with_coach()) {
    v1::CoachLevel shared;
    shared.set_level(static_cast<uint32_t>(level));
    shared.set_at_ms(mine.at_ms);
    shared.set_step(mine.step);
    if (host_) host_->relay_local_level(shared);
    if (joiner_) joiner_->send_level(shared);
  }
}

void Node::publish() {
  auto fresh = std::make_shared<const NodeView>(working_);
  {
    std::lock_guard lock(published_mutex_);
    published_.swap(fresh);
  }
  for (const auto& callback : callbacks_) callback();
}

std::shared_ptr<const NodeView> Node::snapshot() const {
  std::lock_guard lock(published_mutex_);
  return published_;
}

void Node::on_change(std::function<void()> callback) {
  asio::post(io_, [this, callback = std::move(callback)] { callbacks_.push_back(callback); });
}

}  // namespace attune
