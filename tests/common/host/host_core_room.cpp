#include "host_core_room.hpp"

#include <sodium.h>

#include <algorithm>

#include "attune/frame_decoder.hpp"
#include "attune/wire_codec.hpp"
#include "session_driver.hpp"
#include "test_random.hpp"

namespace attune::host::test {

namespace {

crypto::DeviceIdentity make_identity(const std::string& id) {
  crypto::Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return crypto::DeviceIdentity(id, seed);
}

const crypto::DeviceIdentity& host_identity() {
  static const crypto::DeviceIdentity identity = [] {
    EXPECT_TRUE(crypto::init_crypto());
    return make_identity(kHostId);
  }();
  return identity;
}

// Devices keep their keys across links, as on disk.
crypto::DeviceIdentity identity_of(const std::string& id) {
  static std::map<std::string, crypto::DeviceIdentity> known;
  auto it = known.find(id);
  if (it == known.end()) it = known.emplace(id, make_identity(id)).first;
  return it->second;
}

HostCoreConfig room_config(DeviceLimitsConfig limits, std::string expected_partner) {
  HostCoreConfig config;
  config.device_id = kHostId;
  config.display_name = "Alex";
  config.role = v1::ROLE_PARTNER_A;
  config.session_name = "Sunday";
  config.app_version = "test";
  config.intent_limits = limits;
  config.expected_partner = std::move(expected_partner);
  return config;
}

}  // namespace

std::string answer_line(const v1::Envelope& answer) {
  if (answer.has_intent_ack()) return "`IntentAck` seq " + std::to_string(answer.intent_ack().seq());
  const auto& refusal = answer.intent_refused().refusal();
  return "`" + v1::RefusalCode_Name(refusal.code()).substr(std::string("REFUSAL_CODE_").size()) + "` \"" +
         refusal.message() + "\"";
}

crypto::DeviceIdentity device_identity(const std::string& id) { return id == kHostId ? host_identity() : identity_of(id); }

Room::Room(std::optional<StoredHost> stored, DeviceLimitsConfig limits, std::string expected_partner)
    : core(room_config(limits, std::move(expected_partner)),
           pairing::HostPairing(host_identity(), {}, attune::test::test_random())) {
  carry_out(core.resume_or_begin(std::move(stored), "session-1", now_));
  carry_out(core.open(now_));
  core.set_pinned({});
  carry_out(core.invite(now_));
}

LinkId Room::connect(const std::string& device) {
  const LinkId id = next_link_++;
  auto opened = core.link_opened(id, "127.0.0.1", "the test device " + device, now_);
  EXPECT_TRUE(opened.secure);
  carry_out(std::move(opened.actions));
  // The real handshake, as SecureLink would run it: the code for a new
  // device, its pinned key for one that paired before.
  const bool paired = core.pairing()->pinned().count(device) > 0;
  auto client = paired ? pairing::JoinerHandshake::with_pin(identity_of(device), host_identity().peer_identity(),
                                                            attune::test::test_random())
                       : pairing::JoinerHandshake::with_code(identity_of(device), code_.value_or("000000"),
                                                             attune::test::test_random());
  auto host_step = core.pairing()->on_message(id, client.hello(), now_);
  if (!host_step.send) {
    ADD_FAILURE() << "the host did not answer the handshake";
    return id;
  }
  auto client_step = client.receive(*host_step.send);
  if (!client_step.send) {
    ADD_FAILURE() << "the handshake stopped at the host's first answer";
    return id;
  }
  host_step = core.pairing()->on_message(id, *client_step.send, now_);
  if (!host_step.success) {
    ADD_FAILURE() << "the handshake failed (wrong code?)";
    return id;
  }
  carry_out(core.link_secured(id, *host_step.success, now_));
  v1::Envelope hello;
  hello.mutable_hello()->set_protocol_version(kWireProtocolVersion);
  hello.mutable_hello()->set_app_version("test");
  hello.mutable_hello()->set_device_id(device);
  send(id, hello);
  return id;
}

void Room::drop(LinkId link, std::chrono::milliseconds silent_for) {
  closed_.insert(link);
  carry_out(core.link_closed(link, LinkEnd{"the network went away", false, silent_for}, now_));
}

void Room::send(LinkId link, const v1::Envelope& envelope) { carry_out(core.message(link, envelope, false, now_)); }

std::optional<v1::Envelope> Room::submit(LinkId link, const std::string& intent_id, const Intent& intent) {
  const std::size_t before = inbox_[link].size();
  v1::Envelope envelope;
  envelope.mutable_submit_intent()->set_intent_id(intent_id);
  *envelope.mutable_submit_intent()->mutable_intent() = intent;
  send(link, envelope);
  const auto& box = inbox_[link];
  for (std::size_t i = before; i < box.size(); ++i) {
    const bool answer = (box[i].has_intent_ack() && box[i].intent_ack().intent_id() == intent_id) ||
                        (box[i].has_intent_refused() && box[i].intent_refused().intent_id() == intent_id);
    if (answer) return box[i];
  }
  return std::nullopt;
}

std::optional<v1::Envelope> Room::submit(LinkId link, const Intent& intent) {
  return submit(link, "intent-" + std::to_string(next_intent_++), intent);
}

bool Room::local(const Intent& intent) {
  const std::string id = "local-" + std::to_string(next_intent_++);
  carry_out(core.local_intent(id, intent, now_));
  return std::any_of(local_acked.begin(), local_acked.end(), [&](const auto& a) { return a.intent_id == id; });
}

LinkId Room::join_partner_b() {
  const LinkId b = connect(attune::test::kB);
  EXPECT_TRUE(submit(b, attune::test::make::join("Blake", v1::ROLE_PARTNER_B))->has_intent_ack());
  EXPECT_TRUE(local(attune::test::make::admit(attune::test::kB)));
  return b;
}

LinkId Room::join_coach(const std::string& id, LinkId b) {
  const LinkId coach = connect(id);
  EXPECT_TRUE(submit(coach, attune::test::make::join("Casey", v1::ROLE_COACH))->has_intent_ack());
  EXPECT_TRUE(local(attune::test::make::admit(id)));
  EXPECT_TRUE(submit(b, attune::test::make::admit(id))->has_intent_ack());
  return coach;
}

void Room::begin(LinkId b) {
  EXPECT_TRUE(local(attune::test::make::ready()));
  EXPECT_TRUE(submit(b, attune::test::make::ready())->has_intent_ack());
  EXPECT_EQ(core.state().phase(), v1::PHASE_ACTIVE);
}

void Room::advance(std::chrono::milliseconds by) {
  const TimePoint until = now_ + by;
  // Bounded: a core that re-arms a timer for "now" forever fails the test.
  for (int fired = 0;; ++fired) {
    if (fired == 10'000) {
      ADD_FAILURE() << "timers kept firing without the clock moving";
      break;
    }
    auto next = std::min_element(timers_.begin(), timers_.end(),
                                 [](const Armed& x, const Armed& y) { return x.due < y.due; });
    if (next == timers_.end() || next->due > until) break;
    const Armed due = *next;
    timers_.erase(next);
    now_ = std::max(now_, due.due);
    carry_out(core.timer_fired(due.key, now_));
  }
  now_ = until;
}

State Room::last_view(LinkId link) {
  const auto& box = inbox_[link];
  for (auto it = box.rbegin(); it != box.rend(); ++it) {
    if (it->has_change()) return it->change().state();
    if (it->has_snapshot()) return it->snapshot().state();
  }
  return {};
}

void Room::carry_out(Actions actions) {
  while (actions.gated) {
    // Like the real shell: stored first, then the core says what follows.
    if (!store_fails) {
      if (const auto* change = std::get_if<RecordChange>(&*actions.gated)) changes.push_back(*change);
      if (const auto* refusal = std::get_if<RecordRefusal>(&*actions.gated)) refusals.push_back(*refusal);
    }
    actions.gated.reset();
    actions.append(core.stored(!store_fails));
  }
  for (auto& action : actions.steps) run(action);
  // Links the core closed end now (a real link drains first, then closes).
  const auto closing = std::exchange(to_close_, {});
  for (const LinkId link : closing) {
    if (!closed_.insert(link).second) continue;
    carry_out(core.link_closed(link, LinkEnd{"closed by the host", false, {}}, now_));
  }
}

void Room::deliver(LinkId link, const std::string& frame) {
  FrameDecoder decoder;
  decoder.feed(frame);
  std::string payload;
  while (decoder.next(payload) == FrameDecoder::Status::Good) {
    v1::Envelope envelope;
    EXPECT_TRUE(envelope.ParseFromString(payload));
    inbox_[link].push_back(std::move(envelope));
  }
}

void Room::run(Action& action) {
  if (auto* send = std::get_if<Send>(&action)) {
    inbox_[send->link].push_back(send->envelope);
  } else if (auto* both = std::get_if<SendTogether>(&action)) {
    inbox_[both->link].push_back(both->first);
    inbox_[both->link].push_back(both->second);
  } else if (auto* last = std::get_if<SendAndClose>(&action)) {
    inbox_[last->link].push_back(last->envelope);
    to_close_.push_back(last->link);
  } else if (auto* fail = std::get_if<Fail>(&action)) {
    v1::Envelope error;
    error.mutable_error()->set_code(fail->code);
    error.mutable_error()->set_message(fail->message);
    inbox_[fail->link].push_back(error);
    to_close_.push_back(fail->link);
  } else if (auto* close = std::get_if<Close>(&action)) {
    to_close_.push_back(close->link);
  } else if (auto* bye = std::get_if<Goodbye>(&action)) {
    goodbyes_[bye->link] = bye->reason;
    to_close_.push_back(bye->link);
  } else if (auto* state = std::get_if<LocalState>(&action)) {
    host_view_ = state->view;
    ++host_views;
  } else if (auto* refused = std::get_if<LocalRefused>(&action)) {
    local_refused.push_back(*refused);
  } else if (auto* acked = std::get_if<LocalAcked>(&action)) {
    local_acked.push_back(*acked);
  } else if (auto* event = std::get_if<PairingEvent>(&action)) {
    pairing_events.push_back(event->event);
    if (!event->event.code.empty()) code_ = event->event.code;
    if (event->event.kind == pairing::PolicyEventKind::CodeExpired ||
        event->event.kind == pairing::PolicyEventKind::SeatsFilled) {
      code_.reset();
    }
  } else if (auto* declined_device = std::get_if<RecordDeclined>(&action)) {
    declined.push_back(declined_device->device_id);
  } else if (auto* timer = std::get_if<ArmTimer>(&action)) {
    arm(*timer);
  } else if (auto* cancelled = std::get_if<CancelTimer>(&action)) {
    cancel(cancelled->key);
  } else if (auto* log = std::get_if<Log>(&action)) {
    logs.push_back(log->text);
  }
}

void Room::arm(const ArmTimer& arm) {
  // Presence and pairing timers replace their own; engine timers add up.
  if (arm.key.kind != TimerKey::Kind::Engine) cancel(arm.key);
  timers_.push_back(Armed{arm.key, now_ + std::chrono::ceil<std::chrono::milliseconds>(arm.after)});
}

void Room::cancel(const TimerKey& key) {
  if (key.kind == TimerKey::Kind::Engine) return;
  std::erase_if(timers_, [&](const Armed& armed) { return armed.key == key; });
}

}  // namespace attune::host::test
