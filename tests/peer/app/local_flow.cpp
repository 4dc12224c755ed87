#include "local_flow.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "attune/intents.hpp"
#include "identity/device_key_store.hpp"
#include "identity/system_random.hpp"
#include "random_id.hpp"

namespace attune::app::test {

namespace {

using namespace std::chrono_literals;

// Long enough for a loaded machine; a healthy run answers in milliseconds.
constexpr auto kAnswerWithin = 10s;

}  // namespace

FlowDevice::FlowDevice(LocalFlow& flow, std::string id, std::unique_ptr<Node> node)
    : flow_(flow), id_(std::move(id)), node_(std::move(node)) {}

void FlowDevice::send(Intent intent) {
  const std::string intent_id = random_id();
  flow_.sent(id_, intent_id);
  node_->submit_as(intent_id, std::move(intent));
  if (const std::string why = flow_.settle(id_, intent_id); !why.empty()) ADD_FAILURE() << why;
}

void FlowDevice::check_in(int level) {
  const std::string intent_id = random_id();
  flow_.sent(id_, intent_id);
  node_->check_in_as(intent_id, level);
  if (const std::string why = flow_.settle(id_, intent_id); !why.empty()) ADD_FAILURE() << why;
}

std::string LocalFlow::match_coach(FlowDevice& partner) {
  const auto snap = partner.snapshot();
  if (snap->coach_checks.empty()) return partner.id() + " shows no coach check number";
  const auto& check = snap->coach_checks.front();
  partner.compare_coach(check.coach_id, check.number, true);
  return "";
}

void FlowDevice::compare_coach(const std::string& coach_id, const std::string& number, bool match) {
  const auto shown = [&] {
    for (const auto& check : node_->snapshot()->coach_checks)
      if (check.coach_id == coach_id)
        return match ? crypto::sealable(check.trust) : check.trust != crypto::CoachTrust::Unchecked;
    return false;
  };
  node_->compare_coach(coach_id, number, match);
  if (!flow_.wait_for(shown, std::chrono::seconds(10))) ADD_FAILURE() << id_ << " never showed the comparison";
}

LocalFlow::LocalFlow(bool with_coach,
                     std::function<void(const std::string& id, const std::filesystem::path& dir)> before_join)
    : before_join_(std::move(before_join)),
      clock_ms_(std::make_shared<std::atomic<int64_t>>(int64_t{1'763'700'000'000})) {
  spdlog::set_level(spdlog::level::warn);  // Links coming and going are not news here.
  alex = std::make_shared<FlowDevice>(*this, "dev-alex",
                                      std::make_unique<Node>(options_for("dev-alex", "Alex", v1::ROLE_PARTNER_A),
                                                             observer()));
  alex->node().start();
  const bool code_shown = wait_for(
      [this] {
        std::lock_guard lock(mu_);
        return !code_.empty();
      },
      kAnswerWithin);
  if (!code_shown) ADD_FAILURE() << "the host showed no code";
  sam = join("dev-sam", "Sam", v1::ROLE_PARTNER_B);
  if (with_coach) robin = join("dev-robin", "Robin", v1::ROLE_COACH);
}

LocalFlow::~LocalFlow() {
  // Joiners first, then the host, while their folders still exist.
  robin.reset();
  sam.reset();
  alex.reset();
}

NodeOptions LocalFlow::options_for(const std::string& id, const std::string& name, v1::Role role) {
  NodeOptions options;
  options.data_dir = dirs_.path() / id;
  // The device's key names it, so the session knows it by `id`.
  auto key = identity::load_or_create_device_key(options.data_dir, identity::system_random(), id);
  if (!key.identity) ADD_FAILURE() << key.error;
  options.display_name = name;
  options.role = role;
  options.session_name = "Sunday evening";
  options.bind_address = "127.0.0.1";
  // Quick heartbeats, and a silence that a loaded machine never reaches by
  // accident; the host reads the test's clock.
  options.timing = net::LinkTiming{200ms, 2000ms, [c = clock_ms_] { return from_ms(c->load()); }};
  options.transport = network_->device(id);
  options.reconnect_cap = 100ms;
  return options;
}

net::ReplicaEvents LocalFlow::observer() {
  net::ReplicaEvents events;
  auto answer = [this](const std::string& intent_id, Answer a) {
    std::lock_guard lock(mu_);
    auto [it, fresh] = answers_.try_emplace(intent_id, a);
    if (!fresh && a != Answer::Queued) it->second = a;  // "Kept on disk" never overrides an answer.
    changed_.notify_all();
  };
  events.acked = [answer](const std::string& id, uint64_t) { answer(id, Answer::Acked); };
  events.refused = [answer](const std::string& id, const v1::Refusal&) { answer(id, Answer::Refused); };
  events.queued = [answer](const std::string& id) { answer(id, Answer::Queued); };
  events.held = [answer](const std::string& id, const std::string&) { answer(id, Answer::Held); };
  events.pairing = [this](const pairing::PolicyEvent& event) {
    if (event.code.empty()) return;
    std::lock_guard lock(mu_);
    code_ = event.code;
    changed_.notify_all();
  };
  return events;
}

std::shared_ptr<FlowDevice> LocalFlow::join(const std::string& id, const std::string& name, v1::Role role) {
  NodeOptions options = options_for(id, name, role);
  options.mode = NodeOptions::Mode::Join;
  if (before_join_) before_join_(id, options.data_dir);
  options.host = "dev-alex";
  options.port = alex->node().port();
  {
    std::lock_guard lock(mu_);
    options.code = code_;
  }
  auto device = std::make_shared<FlowDevice>(*this, id, std::make_unique<Node>(std::move(options), observer()));
  device->node().start();
  // In the host's roster, and caught up with it.
  if (!wait_for(
          [&] {
            const auto snap = device->snapshot();
            return snap->link == LinkState::Connected && find_participant(host_state(), id) &&
                   find_participant(snap->state, id);
          },
          kAnswerWithin)) {
    ADD_FAILURE() << name << " could not join the session";
  }
  return device;
}

void LocalFlow::sent(const std::string& device_id, const std::string& intent_id) {
  std::lock_guard lock(mu_);
  sender_[intent_id] = device_id;
}

std::string LocalFlow::settle(const std::string& device_id, const std::string& intent_id) {
  bool away = false;
  {
    std::lock_guard lock(mu_);
    away = away_.count(device_id) > 0;
  }
  const bool ok = wait_for(
      [&] {
        std::lock_guard lock(mu_);
        const auto it = answers_.find(intent_id);
        // Cut off, "kept in the outbox" is all a device can say.
        return it != answers_.end() && (away || it->second != Answer::Queued);
      },
      kAnswerWithin);
  return ok ? "" : "no answer reached " + device_id + " within 10 s";
}

bool LocalFlow::wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::unique_lock lock(mu_);
  for (;;) {
    lock.unlock();
    const bool ok = done() && network_->quiet();
    lock.lock();
    if (ok) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // Woken by an answer; the network going quiet is checked a moment later.
    changed_.wait_for(lock, 2ms);
  }
}

State LocalFlow::host_state() const { return alex->snapshot()->state; }

bool LocalFlow::seat_connected(const std::string& id) const {
  const State state = host_state();
  const auto* seat = find_participant(state, id);
  return seat && seat->connected();
}

void LocalFlow::set_connected(const std::string& id, bool connected) {
  FlowDevice* device = id == "dev-sam" ? sam.get() : id == "dev-robin" ? robin.get() : nullptr;
  ASSERT_NE(device, nullptr) << "only a joining device can be cut off: " << id;
  if (!connected) {
    {
      std::lock_guard lock(mu_);
      away_.insert(id);
    }
    network_->set_reachable(id, false);
    // The host marks the seat away after its grace; the device says it is reconnecting.
    EXPECT_TRUE(wait_for(
        [&] { return !seat_connected(id) && device->snapshot()->link == LinkState::Reconnecting; },
        kAnswerWithin))
        << id << " was cut off, but the session did not notice";
    return;
  }
  network_->set_reachable(id, true);
  {
    std::lock_guard lock(mu_);
    away_.erase(id);
  }
  const bool back = wait_for(
      [&] {
        if (device->snapshot()->link != LinkState::Connected || !seat_connected(id)) return false;
        std::lock_guard lock(mu_);
        for (const auto& [intent_id, who] : sender_) {
          if (who != id) continue;
          const auto it = answers_.find(intent_id);
          if (it == answers_.end() || it->second == Answer::Queued) return false;
        }
        return true;
      },
      kAnswerWithin);
  EXPECT_TRUE(back) << id << " did not come back, or what it did while away went unanswered";
}

std::string LocalFlow::send(NodeApi& node, Intent intent) {
  const uint64_t before = node.snapshot()->refusal_serial;
  node.send(std::move(intent));
  const auto snap = node.snapshot();
  if (snap->refusal_serial != before && snap->last_refusal) return snap->last_refusal->message();
  return "";
}

std::string LocalFlow::check_in(NodeApi& node, int level) {
  const uint64_t before = node.snapshot()->refusal_serial;
  node.check_in(level);
  const auto snap = node.snapshot();
  if (snap->refusal_serial != before && snap->last_refusal) return snap->last_refusal->message();
  return "";
}

#define ATTUNE_TRY(expr)            \
  do {                              \
    std::string why_ = (expr);      \
    if (!why_.empty()) return why_; \
  } while (false)

std::string LocalFlow::admit_everyone() {
  ATTUNE_TRY(send(*alex, intents::admit("dev-sam")));
  if (robin) {
    ATTUNE_TRY(send(*alex, intents::admit("dev-robin")));
    ATTUNE_TRY(send(*sam, intents::admit("dev-robin")));
  }
  return "";
}

std::string LocalFlow::start() {
  ATTUNE_TRY(send(*alex, intents::ready()));
  ATTUNE_TRY(send(*sam, intents::ready()));
  return "";
}

std::string LocalFlow::both_share_with_coach() {
  ATTUNE_TRY(send(*alex, intents::share_with_coach(true)));
  ATTUNE_TRY(send(*sam, intents::share_with_coach(true)));
  return "";
}

std::string LocalFlow::start_and_confirm() {
  ATTUNE_TRY(start());
  ATTUNE_TRY(send(*alex, intents::confirm()));
  ATTUNE_TRY(send(*sam, intents::confirm()));
  return "";
}

std::string LocalFlow::both_check_in(int a, int b) {
  advance_seconds(20);
  ATTUNE_TRY(check_in(*alex, a));
  ATTUNE_TRY(check_in(*sam, b));
  return "";
}

// The shared walk as this flow plays it: nobody changes the lobby's line
// or shares with the coach, and Sam's first check-in is a 3, so each
// device's timeline is visibly its own.
attune::test::WalkOptions LocalFlow::walk_options() { return {.lobby_choices = false, .first_gate = {2, 3}}; }

std::string LocalFlow::walk(const std::vector<attune::test::Line>& lines) {
  for (const auto& line : lines) {
    advance_seconds(30);  // Each move takes a moment.
    ATTUNE_TRY(play_line(line));
  }
  return "";
}

std::string LocalFlow::to_who_first() { return walk(attune::test::lobby_to_who_first(walk_options())); }

std::string LocalFlow::to_share() {
  ATTUNE_TRY(to_who_first());
  return walk(attune::test::who_first(walk_options()));
}

std::string LocalFlow::share_to_complete() { return walk(attune::test::share_to_complete(walk_options())); }

std::string LocalFlow::reflect_through(NodeApi& listener) {
  using attune::test::Who;
  const bool alex_listens = &listener == static_cast<NodeApi*>(alex.get());
  return walk(attune::test::reflect_through(alex_listens ? Who::A : Who::B, alex_listens ? Who::B : Who::A));
}

std::string LocalFlow::finish_pause() {
  const State paused = host_state();
  if (paused.phase() != v1::PHASE_PAUSED) return "the session isn't paused";
  const int64_t until = paused.pause().min_until_ms();
  if (until > now_ms()) advance_seconds((until - now_ms() + 999) / 1000);
  // The host's timer notices the clock within a heartbeat and ends the pause.
  const uint64_t before = alex->snapshot()->applied_seq;
  if (!wait_for([&] { return alex->snapshot()->applied_seq > before; }, 5s)) return "no pause timer was due";
  return "";
}

NodeApi& LocalFlow::node(attune::test::Who who) {
  switch (who) {
    case attune::test::Who::A:
      return *alex;
    case attune::test::Who::B:
      return *sam;
    case attune::test::Who::Coach:
      break;
  }
  return *robin;
}

std::string LocalFlow::play_line(const attune::test::Line& line) {
  NodeApi& by = node(line.who);
  const State state = by.snapshot()->state;
  const std::string command = attune::test::expand(line.command, state);
  const attune::test::Move move = attune::test::move_for(command, state, now_ms());
  const std::string refusal = move.intent ? send(by, *move.intent) : check_in(by, move.check_in_level);
  if (!refusal.empty()) return "'" + command + "' was refused: " + refusal;
  attune::test::check_after(line, host_state());
  return "";
}

void LocalFlow::play(const attune::test::Line& line) { EXPECT_EQ(play_line(line), ""); }

}  // namespace attune::app::test
