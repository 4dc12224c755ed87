#include "app/local_node.hpp"

#include <algorithm>
#include <chrono>
#include <random>

namespace attune::app {

namespace {

std::string random_session_id() {
  std::random_device rd;
  static constexpr char hex[] = "0123456789abcdef";
  std::string id = "local-";
  for (int i = 0; i < 12; ++i) id.push_back(hex[rd() % 16]);
  return id;
}

v1::Role role_of(const State& s, const std::string& id) {
  for (const auto& p : s.participants())
    if (p.id() == id) return p.role();
  return v1::ROLE_UNSPECIFIED;
}

}  // namespace

// ---- LocalNode ----

LocalNode::LocalNode(std::shared_ptr<LocalSession> session, std::string id, bool host)
    : session_(std::move(session)), id_(std::move(id)), host_(host), snap_(std::make_shared<Snapshot>()) {}

void LocalNode::send(Intent intent) {
  {
    std::lock_guard lock(session_->mu_);
    LocalSession::Device& d = session_->devices_[id_];
    if (!d.connected) {
      d.queued.push_back(std::move(intent));
    } else {
      session_->apply_locked(Actor::participant(id_), intent, &id_);
    }
  }
  session_->publish_all();
}

void LocalNode::check_in(int level) {
  {
    std::lock_guard lock(session_->mu_);
    session_->check_in_locked(id_, level);
  }
  session_->publish_all();
}

std::shared_ptr<const Snapshot> LocalNode::snapshot() const {
  std::lock_guard lock(mu_);
  return snap_;
}

void LocalNode::on_change(std::function<void()> callback) {
  std::lock_guard lock(mu_);
  callback_ = std::move(callback);
}

void LocalNode::publish(std::shared_ptr<const Snapshot> snap) {
  std::function<void()> cb;
  {
    std::lock_guard lock(mu_);
    if (snap->applied_seq < snap_->applied_seq) return;  // A newer one already arrived.
    snap_ = std::move(snap);
    cb = callback_;
  }
  if (cb) cb();
}

// ---- LocalSession ----

LocalSession::LocalSession(Clock clock) : clock_(std::move(clock)) {}

LocalSession::~LocalSession() {
  {
    std::lock_guard lock(timer_mu_);
    stopping_ = true;
  }
  timer_cv_.notify_all();
  if (timer_thread_.joinable()) timer_thread_.join();
}

std::shared_ptr<LocalSession> LocalSession::create(std::string session_name, const v1::Settings& settings,
                                                   std::string host_id, std::string host_name,
                                                   v1::Role host_role, Clock clock) {
  std::shared_ptr<LocalSession> s(new LocalSession(std::move(clock)));
  s->state_ = new_session(random_session_id(), std::move(session_name), settings, host_id,
                          std::move(host_name), host_role, s->clock_());
  s->host_id_ = host_id;
  s->devices_[host_id] = Device{};
  return s;
}

std::shared_ptr<LocalNode> LocalSession::host_node() {
  std::shared_ptr<LocalNode> node;
  {
    std::lock_guard lock(mu_);
    Device& d = devices_[host_id_];
    node = d.node.lock();
    if (!node) {
      node = std::make_shared<LocalNode>(shared_from_this(), host_id_, true);
      d.node = node;
    }
  }
  publish_all();
  return node;
}

std::shared_ptr<LocalNode> LocalSession::join(std::string id, std::string name, v1::Role role,
                                              std::string* error) {
  std::shared_ptr<LocalNode> node;
  {
    std::lock_guard lock(mu_);
    Intent intent;
    intent.mutable_join()->set_display_name(std::move(name));
    intent.mutable_join()->set_role(role);
    Result r = apply(state_, intent, Actor::participant(id), clock_());
    if (!r.accepted() && r.refusal->code() != v1::REFUSAL_CODE_ALREADY_JOINED) {
      if (error) *error = r.refusal->message();
      return nullptr;
    }
    if (r.accepted()) {
      state_ = std::move(r.state);
      ++seq_;
    }
    Device& d = devices_[id];
    node = d.node.lock();
    if (!node) {
      node = std::make_shared<LocalNode>(shared_from_this(), id, false);
      d.node = node;
    }
  }
  publish_all();
  return node;
}

void LocalSession::apply_locked(const Actor& actor, const Intent& intent, const std::string* from_id) {
  Result r = apply(state_, intent, actor, clock_());
  if (!r.accepted()) {
    if (from_id) {
      Device& d = devices_[*from_id];
      d.last_refusal = *r.refusal;
      ++d.refusal_serial;
      ++seq_;
    }
    return;
  }
  state_ = std::move(r.state);
  ++seq_;
  for (const Effect& e : r.effects) {
    switch (e.kind) {
      case Effect::Kind::StartTimer:
        timers_.push_back(e.due_ms);
        break;
      case Effect::Kind::SessionComplete:
      case Effect::Kind::SessionEnded:
      case Effect::Kind::Removed:
        break;
    }
  }
  timer_cv_.notify_all();
}

void LocalSession::check_in_locked(const std::string& id, int level) {
  const std::optional<v1::CheckIn> bits = make_check_in(level, state_.settings());
  Device& d = devices_[id];
  if (!bits) {
    v1::Refusal refusal;
    refusal.set_code(v1::REFUSAL_CODE_BAD_INPUT);
    refusal.set_message("Please pick a number from 0 to 10.");
    d.last_refusal = refusal;
    ++d.refusal_serial;
    ++seq_;
    return;
  }
  const uint64_t serial_before = d.refusal_serial;
  Intent intent;
  *intent.mutable_check_in() = *bits;
  PrivateCheckIn mine{level, to_ms(clock_()), state_.step()};
  if (!d.connected) {
    d.queued.push_back(intent);
  } else {
    apply_locked(Actor::participant(id), intent, &id);
  }
  if (devices_[id].refusal_serial != serial_before) return;
  devices_[id].check_ins.push_back(mine);
  // The number itself travels to coaches only when this partner opted in.
  for (const auto& p : state_.participants())
    if (p.id() == id && p.shares_with_coach()) shared_levels_.emplace_back(p.role(), mine);
}

std::shared_ptr<const Snapshot> LocalSession::snapshot_locked(const std::string& id, const Device& d) const {
  auto snap = std::make_shared<Snapshot>();
  snap->state = view_for(state_, id);
  snap->my_id = id;
  snap->my_role = role_of(state_, id);
  snap->link = id == host_id_ ? LinkState::Hosting
               : d.connected  ? LinkState::Connected
                              : LinkState::Reconnecting;
  snap->last_refusal = d.last_refusal;
  snap->refusal_serial = d.refusal_serial;
  snap->my_check_ins = d.check_ins;
  if (snap->my_role == v1::ROLE_COACH) snap->coach_levels = shared_levels_;
  snap->applied_seq = seq_;
  return snap;
}

void LocalSession::publish_all() {
  std::vector<std::pair<std::shared_ptr<LocalNode>, std::shared_ptr<const Snapshot>>> out;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, d] : devices_) {
      auto node = d.node.lock();
      if (!node) continue;
      if (!d.connected) {
        // A device that is away keeps its last state; only its link changes.
        auto old = node->snapshot();
        auto snap = std::make_shared<Snapshot>(*old);
        snap->link = LinkState::Reconnecting;
        snap->applied_seq = seq_;
        out.emplace_back(node, snap);
        continue;
      }
      out.emplace_back(node, snapshot_locked(id, d));
    }
  }
  for (auto& [node, snap] : out) node->publish(snap);
}

int LocalSession::tick() {
  int fired = 0;
  {
    std::lock_guard lock(mu_);
    const int64_t now = to_ms(clock_());
    std::vector<int64_t> due;
    std::vector<int64_t> later;
    for (int64_t t : timers_) (t <= now ? due : later).push_back(t);
    timers_ = std::move(later);
    std::sort(due.begin(), due.end());
    for (int64_t t : due) {
      Intent intent;
      intent.mutable_timer_fired()->set_due_ms(t);
      apply_locked(Actor::shell(), intent, nullptr);
      ++fired;
    }
  }
  if (fired) publish_all();
  return fired;
}

void LocalSession::run_timers_in_background() {
  if (timer_thread_.joinable()) return;
  timer_thread_ = std::thread([this] {
    std::unique_lock lock(timer_mu_);
    while (!stopping_) {
      // Wake at the next timer, and at least every second as a safety net.
      auto wait = std::chrono::milliseconds(1000);
      if (auto next = next_timer_ms()) {
        const int64_t delta = *next - to_ms(clock_());
        wait = std::chrono::milliseconds(std::clamp<int64_t>(delta, 0, 1000));
      }
      timer_cv_.wait_for(lock, wait);
      if (stopping_) break;
      lock.unlock();
      tick();
      lock.lock();
    }
  });
}

void LocalSession::set_connected(const std::string& id, bool connected) {
  {
    std::lock_guard lock(mu_);
    auto it = devices_.find(id);
    if (it == devices_.end() || it->second.connected == connected) return;
    it->second.connected = connected;
    Intent presence;
    presence.mutable_set_presence()->set_participant_id(id);
    presence.mutable_set_presence()->set_connected(connected);
    apply_locked(Actor::shell(), presence, nullptr);
    if (connected) {
      std::vector<Intent> queued = std::move(it->second.queued);
      it->second.queued.clear();
      for (const Intent& intent : queued) apply_locked(Actor::participant(id), intent, &id);
    }
  }
  publish_all();
}

State LocalSession::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::optional<int64_t> LocalSession::next_timer_ms() const {
  std::lock_guard lock(mu_);
  if (timers_.empty()) return std::nullopt;
  return *std::min_element(timers_.begin(), timers_.end());
}

}  // namespace attune::app
