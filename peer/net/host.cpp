// The host's shell: start and stop, and carrying out what host::HostCore
// decides. The rules themselves live in common/attune/host/host_core*.cpp.
#include "net/host.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <type_traits>
#include <utility>

#include "identity/system_random.hpp"
#include "random_id.hpp"

namespace attune::net {

namespace {

std::optional<pairing::HostPairing> make_pairing(const HostConfig& config) {
  pairing::PairingPolicyConfig policy;
  if (config.code_lifetime) policy.code_lifetime = *config.code_lifetime;
  return pairing::HostPairing(config.identity, policy, identity::system_random());
}

host::HostCoreConfig core_config(const HostConfig& config) {
  host::HostCoreConfig core;
  core.device_id = config.device_id;
  core.display_name = config.display_name;
  core.role = config.role;
  core.session_name = config.session_name;
  core.app_version = config.app_version;
  core.silence = config.timing.silence;
  core.intent_limits = config.intent_limits;
  core.device_key = config.identity.public_key();
  core.expected_partner = config.expected_partner;
  return core;
}

template <typename T>
bool is_one_of(const host::Action& action) {
  return std::holds_alternative<T>(action);
}

}  // namespace

TimePoint Host::now() const { return read_clock(config_.timing); }

Host::Host(asio::io_context& io, store::Store& store, HostConfig config, ReplicaEvents events)
    : io_(io),
      store_(store),
      config_(std::move(config)),
      events_(std::move(events)),
      core_(core_config(config_), make_pairing(config_)),
      pairing_timer_(io),
      checkpoint_timer_(io) {}

Host::~Host() { stop(); }

void Host::start() {
  std::optional<host::StoredHost> stored;
  if (auto session = store_.load_host_session()) {
    stored.emplace(host::StoredHost{session->seq, std::move(session->state), {}, store_.load_declined()});
    for (auto& [id, answer] : store_.load_processed_intents()) {
      stored->answers.emplace_back(id, host::IntentAnswer{answer.seq, std::move(answer.refusal)});
    }
    resumed_ = true;
  }
  const bool fresh = !stored;
  carry_out(core_.resume_or_begin(std::move(stored), fresh ? random_id() : std::string(), now()));

  const auto transport = config_.transport ? config_.transport : tcp_transport();
  listener_ = transport->listen(io_, config_.bind_address, config_.port);
  port_ = listener_->port();

  load_pins();  // Before the host's first view: it names each coach by its pinned key.
  carry_out(core_.open(now()));
  carry_out(core_.invite(now()));
  accept_next();
}

void Host::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (listener_) listener_->close();
  carry_out(core_.stop());
  release_held();
  links_.clear();
  presence_timers_.clear();
  engine_timers_.clear();
  pairing_timer_.cancel();
  checkpoint_timer_.cancel();
}

void Host::submit_local(const std::string& intent_id, const Intent& intent) {
  carry_out(core_.local_intent(intent_id, intent, now()));
}

void Host::relay_local_level(const v1::CoachLevel& level) {
  carry_out(core_.local_level(level, identity::system_random()));
}

std::optional<std::string> Host::open_new_code() {
  host::Actions out;
  auto refusal = core_.open_new_code(now(), out);
  carry_out(std::move(out));
  return refusal;
}

void Host::carry_out(host::Actions actions) {
  // A gated write is stored before anything that follows from it is said.
  while (actions.gated) {
    const bool saved = store_gated(*actions.gated);
    actions.gated.reset();
    actions.append(core_.stored(saved));
  }
  // Closing a link may call back into on_closed (and the core): `actions` is ours alone.
  // Frames for the devices are sealed and held while sends follow each
  // other, then written back to back before anything else is done (the
  // host's own screen, a close, a timer).
  for (auto& action : actions.steps) {
    if (!is_one_of<host::Send>(action) && !is_one_of<host::SendTogether>(action)) release_held();
    run(action);
  }
  release_held();
}

void Host::release_held() {
  for (const auto& link : std::exchange(held_, {})) link->release();
}

bool Host::store_gated(const host::GatedWrite& write) {
  if (const auto* change = std::get_if<host::RecordChange>(&write)) {
    try {
      store_.record_change(change->seq, change->intent_id, change->actor, change->intent, change->at_ms,
                           change->state);
      checkpoint_when_quiet();
      return true;
    } catch (const store::StoreError& error) {
      spdlog::error("could not store a change: {}", error.what());
      return false;
    }
  }
  const auto& refusal = std::get<host::RecordRefusal>(write);
  try {
    store_.record_refusal(refusal.intent_id, refusal.refusal);
    return true;
  } catch (const store::StoreError& error) {
    spdlog::warn("could not record a refusal: {}", error.what());
    return false;
  }
}

void Host::checkpoint_when_quiet() {
  last_change_ = std::chrono::steady_clock::now();
  if (!checkpoint_armed_ && store_.checkpoint_due()) arm_checkpoint(kQuietForCheckpoint);
}

void Host::arm_checkpoint(std::chrono::steady_clock::duration after) {
  checkpoint_armed_ = true;
  checkpoint_timer_.expires_after(after);
  checkpoint_timer_.async_wait([this](const asio::error_code& ec) {
    checkpoint_armed_ = false;
    if (ec || stopped_) return;
    const auto quiet = std::chrono::steady_clock::now() - last_change_;
    if (quiet < kQuietForCheckpoint) {
      arm_checkpoint(kQuietForCheckpoint - quiet);  // Still busy: look again once it may be quiet.
      return;
    }
    store_.checkpoint();
  });
}

void Host::run(host::Action& action) {
  using namespace host;
  if (is_one_of<BeginSession>(action) || is_one_of<RecordDeclined>(action) || is_one_of<SavePin>(action)) {
    run_store(action);
  } else if (is_one_of<Send>(action) || is_one_of<SendTogether>(action) || is_one_of<SendAndClose>(action) ||
             is_one_of<Fail>(action) || is_one_of<Close>(action) || is_one_of<Goodbye>(action)) {
    run_link(action);
  } else if (const auto* timer = std::get_if<ArmTimer>(&action)) {
    arm(*timer);
  } else if (const auto* timer_key = std::get_if<CancelTimer>(&action)) {
    cancel(timer_key->key);
  } else if (const auto* log = std::get_if<Log>(&action)) {
    switch (log->level) {
      case Log::Level::Debug: spdlog::debug("{}", log->text); break;
      case Log::Level::Info: spdlog::info("{}", log->text); break;
      case Log::Level::Warn: spdlog::warn("{}", log->text); break;
      case Log::Level::Error: spdlog::error("{}", log->text); break;
    }
  } else {
    run_local(action);
  }
}

void Host::run_store(const host::Action& action) {
  if (const auto* begin = std::get_if<host::BeginSession>(&action)) {
    // A store that cannot begin a session stops start() (the caller says why).
    store_.begin_host_session(begin->session_id, begin->state);
  } else if (const auto* declined = std::get_if<host::RecordDeclined>(&action)) {
    try {
      store_.record_declined(declined->device_id);
    } catch (const store::StoreError& error) {
      // Still declined until the host stops.
      spdlog::warn("could not save a declined device: {}", error.what());
    }
  } else if (const auto* pin = std::get_if<host::SavePin>(&action); pin && pins_) {
    if (auto error = pins_->pin(pin->peer, pin->at_ms)) spdlog::warn("could not save a pin: {}", *error);
  }
}

void Host::run_local(host::Action& action) {
  if (auto* state = std::get_if<host::LocalState>(&action)) {
    if (events_.state) events_.state(state->view, state->seq, state->cause);
  } else if (const auto* refused = std::get_if<host::LocalRefused>(&action)) {
    if (events_.refused) events_.refused(refused->intent_id, refused->refusal);
  } else if (const auto* acked = std::get_if<host::LocalAcked>(&action)) {
    if (events_.acked) events_.acked(acked->intent_id, acked->seq);
  } else if (const auto* level = std::get_if<host::LocalCoachLevel>(&action)) {
    std::string why;
    if (auto opened = coach_inbox_.take(config_.identity, core_.state(), level->sealed, why)) {
      if (events_.coach_level) events_.coach_level(*opened);
    } else {
      spdlog::warn("{}", why);
    }
  } else if (const auto* problem = std::get_if<host::Problem>(&action)) {
    if (events_.problem) events_.problem(problem->message);
  } else if (const auto* pairing = std::get_if<host::PairingEvent>(&action)) {
    spdlog::info("pairing: {}", pairing::user_message(pairing->event));
    if (events_.pairing) events_.pairing(pairing->event);
  }
}

std::shared_ptr<Connection> Host::link(host::LinkId id) const {
  const auto it = links_.find(id);
  return it == links_.end() ? nullptr : it->second;
}

void Host::run_link(host::Action& action) {
  std::visit(
      [this](auto& step) {
        using T = std::decay_t<decltype(step)>;
        if constexpr (requires { step.link; }) {
          // A copy: closing may drop the map's own (on_closed runs inside).
          const auto link = this->link(step.link);
          if (!link) return;
          if constexpr (std::is_same_v<T, host::Send> || std::is_same_v<T, host::SendTogether>) {
            if (!link->held()) {
              link->hold();  // Until carry_out's release_held().
              held_.push_back(link);
            }
          }
          if constexpr (std::is_same_v<T, host::Send>) {
            link->send(step.envelope);
          } else if constexpr (std::is_same_v<T, host::SendTogether>) {
            link->send_together(step.first, step.second);
          } else if constexpr (std::is_same_v<T, host::SendAndClose>) {
            link->send_and_close(step.envelope, step.reason);
          } else if constexpr (std::is_same_v<T, host::Fail>) {
            link->fail(step.code, step.message);
          } else if constexpr (std::is_same_v<T, host::Close>) {
            link->close(step.reason);
          } else if constexpr (std::is_same_v<T, host::Goodbye>) {
            link->say_goodbye(step.reason, goodbye_words(step.reason));
          }
        }
      },
      action);
}

void Host::arm(const host::ArmTimer& arm) {
  using Kind = host::TimerKey::Kind;
  auto after = std::chrono::duration_cast<std::chrono::steady_clock::duration>(arm.after);
  // The wall clock is read again at least once a heartbeat, so a clock that
  // jumps (a laptop waking up, a test's clock) is noticed; the core re-arms
  // a timer that fires before its time.
  if (arm.key.kind == Kind::Engine) after = std::min<std::chrono::steady_clock::duration>(after, config_.timing.heartbeat);
  auto handler = [this, key = arm.key](const asio::error_code& ec) {
    if (ec || stopped_) return;
    fired(key);
  };
  switch (arm.key.kind) {
    case Kind::Engine: {
      // Each engine timer fires once, then is forgotten.
      auto* raw = engine_timers_.emplace_back(std::make_unique<asio::steady_timer>(io_, after)).get();
      raw->async_wait([this, raw, handler = std::move(handler)](const asio::error_code& ec) {
        if (!ec && !stopped_) std::erase_if(engine_timers_, [raw](const auto& t) { return t.get() == raw; });
        handler(ec);
      });
      break;
    }
    case Kind::Presence: {
      auto timer = std::make_unique<asio::steady_timer>(io_, after);
      timer->async_wait(std::move(handler));
      presence_timers_[arm.key.device_id] = std::move(timer);
      break;
    }
    case Kind::Pairing:
      pairing_timer_.expires_after(after);
      pairing_timer_.async_wait(std::move(handler));
      break;
  }
}

void Host::cancel(const host::TimerKey& key) {
  switch (key.kind) {
    case host::TimerKey::Kind::Engine:
      break;  // The engine's timers run out by themselves.
    case host::TimerKey::Kind::Presence:
      presence_timers_.erase(key.device_id);
      break;
    case host::TimerKey::Kind::Pairing:
      pairing_timer_.cancel();
      break;
  }
}

void Host::fired(const host::TimerKey& key) {
  switch (key.kind) {
    case host::TimerKey::Kind::Presence:
      presence_timers_.erase(key.device_id);
      note_draining_links();
      break;
    case host::TimerKey::Kind::Engine:
    case host::TimerKey::Kind::Pairing:
      break;
  }
  carry_out(core_.timer_fired(key, now()));
}

}  // namespace attune::net
