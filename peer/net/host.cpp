#include "net/host.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "attune/frame_decoder.hpp"
#include "attune/refusals.hpp"
#include "attune/text.hpp"
#include "attune/wire_codec.hpp"
#include "random_id.hpp"
#include "wall_clock.hpp"

namespace attune::net {

namespace {

// Room left in a frame for the Change wrapper around a state.
constexpr std::size_t kStateBudget = kMaxFramePayload - 512;

v1::Refusal make_refusal(v1::RefusalCode code, std::string message) {
  v1::Refusal refusal;
  refusal.set_code(code);
  refusal.set_message(std::move(message));
  return refusal;
}

}  // namespace

TimePoint Host::wall_now() const { return read_clock(config_.timing); }

Host::Host(asio::io_context& io, store::Store& store, HostConfig config, ReplicaEvents events)
    : io_(io),
      store_(store),
      config_(std::move(config)),
      events_(std::move(events)),
      limits_(config_.intent_limits),
      pairing_timer_(io) {}

Host::~Host() { stop(); }

void Host::start() {
  if (auto stored = store_.load_host_session()) {
    state_ = std::move(stored->state);
    seq_ = stored->seq;
    load_answers();
    resumed_ = true;
    spdlog::info("resuming session {} at change {}", state_.session_id(), seq_);
  } else {
    state_ = new_session(random_id(), config_.session_name, default_settings(), config_.device_id,
                         config_.display_name, config_.role, wall_now());
    seq_ = 0;
    store_.begin_host_session(state_.session_id(), state_);
  }

  const auto transport = config_.transport ? config_.transport : tcp_transport();
  listener_ = transport->listen(io_, config_.bind_address, config_.port);
  port_ = listener_->port();

  // Devices that were connected when the host stopped get the usual grace to
  // come back before the session pauses for them.
  for (const auto& participant : state_.participants()) {
    if (participant.id() != config_.device_id && participant.connected()) {
      watch_presence(participant.id(), config_.timing.silence);
    }
  }
  // A pause that was running when the host stopped still needs its timer.
  if (state_.phase() == v1::PHASE_PAUSED && state_.pause().min_until_ms() > 0) {
    schedule_timer(state_.pause().min_until_ms());
  }
  if (events_.state) events_.state(view_for(state_, config_.device_id), seq_, {});
  start_pairing();
  accept_next();
}

using pairing::free_seats;

void Host::load_answers() {
  // Oldest first, so the memory keeps the newest when it is full.
  std::vector<std::pair<std::string, store::ProcessedIntent>> stored;
  for (auto& entry : store_.load_processed_intents()) stored.emplace_back(entry.first, std::move(entry.second));
  std::sort(stored.begin(), stored.end(), [](const auto& a, const auto& b) { return a.second.seq < b.second.seq; });
  for (const auto& [id, answer] : stored) {
    if (answer.refusal) {
      answered_.remember_refused(id, *answer.refusal);
    } else {
      answered_.remember_applied(id, answer.seq);
    }
  }
  for (const auto& id : store_.load_declined()) limits_.declined(id);
}

void Host::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (listener_) listener_->close();
  auto peers = std::move(peers_);
  peers_.clear();
  const auto [reason, words] =
      stop_goodbye(state_.phase() == v1::PHASE_COMPLETE || state_.phase() == v1::PHASE_ENDED);
  for (auto& [link, peer] : peers) peer.link->say_goodbye(reason, words);
  presence_timers_.clear();
  engine_timers_.clear();
  pairing_timer_.cancel();
}

void Host::send_to(Peer* origin, const v1::Envelope& envelope) {
  if (origin) origin->link->send(envelope);
}

void Host::on_message(Connection* link, const v1::Envelope& envelope) {
  auto it = peers_.find(link);
  if (it == peers_.end()) return;
  Peer& peer = it->second;
  using Kind = v1::Envelope::KindCase;
  const Kind kind = envelope.kind_case();
  if (kind != Kind::kHello && peer.device_id.empty()) {
    link->fail(v1::ERROR_CODE_PROTOCOL, "the first message on a link must be a Hello");
    return;
  }
  switch (kind) {
    case Kind::kHello:
      on_hello(peer, envelope.hello());
      return;
    case Kind::kSubmitIntent:
      if (link->last_message_repaired()) {
        refuse_unreadable(*link, envelope.submit_intent().intent_id());
        return;
      }
      process(Actor::participant(peer.device_id), envelope.submit_intent().intent_id(),
              envelope.submit_intent().intent(), &peer);
      return;
    case Kind::kCoachLevel:
      relay_level(peer.device_id, envelope.coach_level());
      return;
    case Kind::kError:
      spdlog::warn("{} reported a problem: {}", link->remote(),
                   sanitize_display_text(envelope.error().message()));
      return;
    case Kind::kHeartbeat:
      return;
    case Kind::kWelcome:
    case Kind::kVersionMismatch:
    case Kind::kChange:
    case Kind::kSnapshot:
    case Kind::kIntentRefused:
    case Kind::kIntentAck:
      link->fail(v1::ERROR_CODE_PROTOCOL, "only a host sends that message, and this device is the host");
      return;
    case Kind::kHandshake:
    case Kind::kSealed:
      // The link's security layer consumes these; one here is out of place.
      link->fail(v1::ERROR_CODE_PROTOCOL, "a handshake or sealed message arrived where none belongs");
      return;
    case Kind::KIND_NOT_SET:
      link->fail(v1::ERROR_CODE_UNKNOWN_MESSAGE, "received a message type this version does not know");
      return;
  }
}

void Host::refuse_unreadable(Connection& link, const std::string& intent_id) {
  // Its text wasn't UTF-8: answered in words, never applied or kept.
  v1::Envelope reply;
  reply.mutable_intent_refused()->set_intent_id(intent_id);
  *reply.mutable_intent_refused()->mutable_refusal() = make_refusal(
      v1::REFUSAL_CODE_BAD_INPUT, "That text has characters Attune can't read, so it wasn't applied.");
  link.send(reply);
}

void Host::on_hello(Peer& peer, const v1::Hello& hello) {
  if (!peer.device_id.empty()) {
    peer.link->fail(v1::ERROR_CODE_PROTOCOL, "a link may say Hello only once");
    return;
  }
  if (!protocol_compatible(hello.protocol_version())) {
    const std::string message = "This host speaks protocol version " + std::to_string(kProtocolVersion) +
                                " (Attune " + config_.app_version + "), the joining device speaks version " +
                                std::to_string(hello.protocol_version()) + " (Attune " +
                                sanitize_display_text(hello.app_version()) +
                                "). Please update both devices to the same version.";
    if (events_.problem) events_.problem(message);
    v1::Envelope reply;
    auto* mismatch = reply.mutable_version_mismatch();
    mismatch->set_host_protocol_version(kProtocolVersion);
    mismatch->set_host_app_version(config_.app_version);
    mismatch->set_message(message);
    peer.link->send_and_close(reply, message);
    return;
  }
  if (hello.device_id().empty() || hello.device_id().size() > 128) {
    peer.link->fail(v1::ERROR_CODE_PROTOCOL, "a Hello needs a device id of at most 128 characters");
    return;
  }
  if (hello.device_id() == config_.device_id) {
    peer.link->fail(v1::ERROR_CODE_PROTOCOL, "that device id belongs to the host itself");
    return;
  }
  if (pairing_ && hello.device_id() != peer.proven_id) {
    // The participant id is the device id its key was proven for; no device
    // may speak for another.
    peer.link->fail(v1::ERROR_CODE_PROTOCOL,
                    "the Hello names a device other than the one this link proved to be");
    return;
  }
  // A newer link from the same device replaces a stale one. Closing edits
  // peers_, so collect first.
  std::vector<std::shared_ptr<Connection>> stale;
  for (auto& [other_link, other] : peers_) {
    if (&other != &peer && other.device_id == hello.device_id()) stale.push_back(other.link);
  }
  for (auto& link : stale) link->close("the device connected again");
  peer.device_id = hello.device_id();
  presence_timers_.erase(peer.device_id);

  const auto* seat = find_participant(state_, peer.device_id);
  v1::Envelope welcome;
  auto* w = welcome.mutable_welcome();
  w->set_protocol_version(kProtocolVersion);
  w->set_app_version(config_.app_version);
  w->set_session_id(state_.session_id());
  w->set_seated(seat != nullptr);
  w->set_seq(seq_);
  peer.link->send(welcome);

  // What the device missed: the latest state as it may see it.
  v1::Envelope snapshot;
  snapshot.mutable_snapshot()->set_seq(seq_);
  *snapshot.mutable_snapshot()->mutable_state() = view_for(state_, peer.device_id);
  peer.link->send(snapshot);

  if (seat && !seat->connected()) {
    Intent presence;
    presence.mutable_set_presence()->set_participant_id(peer.device_id);
    presence.mutable_set_presence()->set_connected(true);
    apply_shell(presence);
  }
}

void Host::submit_local(const std::string& intent_id, const Intent& intent) {
  process(Actor::participant(config_.device_id), intent_id, intent, nullptr);
}

void Host::answer_refused(Peer* origin, const std::string& intent_id, const v1::Refusal& refusal) {
  if (origin) {
    v1::Envelope reply;
    reply.mutable_intent_refused()->set_intent_id(intent_id);
    *reply.mutable_intent_refused()->mutable_refusal() = refusal;
    origin->link->send(reply);
  } else if (events_.refused) {
    events_.refused(intent_id, refusal);
  }
}

void Host::answer_acked(Peer* origin, const std::string& intent_id, uint64_t seq) {
  if (origin) {
    v1::Envelope reply;
    reply.mutable_intent_ack()->set_intent_id(intent_id);
    reply.mutable_intent_ack()->set_seq(seq);
    origin->link->send(reply);
  } else if (events_.acked) {
    events_.acked(intent_id, seq);
  }
}

void Host::process(const Actor& actor, const std::string& intent_id, const Intent& intent, Peer* origin) {
  auto refuse = [&](const v1::Refusal& refusal) { answer_refused(origin, intent_id, refusal); };
  auto ack = [&](uint64_t seq) { answer_acked(origin, intent_id, seq); };

  if (intent_id.empty() || intent_id.size() > 128) {
    refuse(make_refusal(v1::REFUSAL_CODE_BAD_INPUT, "That request had no usable id, so it was not applied."));
    return;
  }
  // Each intent id is applied once: a resend gets the first answer again.
  if (const auto* done = answered_.find(intent_id)) {
    if (done->refusal) {
      refuse(*done->refusal);
    } else {
      ack(done->seq);
    }
    return;
  }
  // Not judged, stored or remembered: the device may send it again later.
  if (auto refusal = at_the_door(actor, intent, origin)) {
    refuse(*refusal);
    return;
  }

  const TimePoint now = wall_now();
  Result result = apply(state_, intent, actor, now);
  if (!result.accepted()) {
    // "Paused" and "check in first" only say "not yet": a device that tapped
    // while its link was down may resend the same intent once the session is
    // active again, so those are judged afresh rather than remembered.
    if (refusal_is_transient(result.refusal->code())) {
      refuse(*result.refusal);
      return;
    }
    try {
      store_.record_refusal(intent_id, *result.refusal);
      answered_.remember_refused(intent_id, *result.refusal);
    } catch (const store::StoreError& error) {
      // Not remembering a refusal is harmless: a resend is judged afresh.
      spdlog::warn("could not record a refusal: {}", error.what());
    }
    refuse(*result.refusal);
    return;
  }
  if (result.state.ByteSizeLong() > kStateBudget) {
    refuse(make_refusal(v1::REFUSAL_CODE_BAD_INPUT,
                        "That is more text than this session can carry. Please shorten it a little."));
    return;
  }
  if (!commit(result, intent_id, actor, intent, now)) {
    refuse(make_refusal(v1::REFUSAL_CODE_UNSPECIFIED,
                        "The host could not save that just now, so it was not applied. Please try again."));
    return;
  }
  answered_.remember_applied(intent_id, seq_);
  if (intent.has_decline()) remember_declined(intent.decline().participant_id());
  if (origin) {
    // The sender's Change and its IntentAck leave in one write.
    v1::Envelope reply;
    reply.mutable_intent_ack()->set_intent_id(intent_id);
    reply.mutable_intent_ack()->set_seq(seq_);
    broadcast(intent_id, origin, &reply);
  } else {
    broadcast(intent_id);
    ack(seq_);
  }
  run_effects(result.effects);
}

std::optional<v1::Refusal> Host::at_the_door(const Actor& actor, const Intent& intent, const Peer* origin) {
  // The host's own user is never limited; paired devices are.
  if (origin && !limits_.allow_intent(actor.id, wall_now())) {
    return make_refusal(v1::REFUSAL_CODE_UNSPECIFIED, host::too_fast_message());
  }
  if (intent.has_join() && limits_.is_declined(actor.id)) {
    return make_refusal(v1::REFUSAL_CODE_NOT_ADMITTED, host::declined_message());
  }
  return std::nullopt;
}

void Host::remember_declined(const std::string& device_id) {
  limits_.declined(device_id);
  try {
    store_.record_declined(device_id);
  } catch (const store::StoreError& error) {
    // Still declined until the host stops.
    spdlog::warn("could not save a declined device: {}", error.what());
  }
}

bool Host::commit(const Result& result, const std::string& intent_id, const Actor& actor,
                  const Intent& intent, TimePoint now) {
  try {
    // Stored before anyone hears of it: a change that was broadcast always
    // survives a host restart.
    store_.record_change(seq_ + 1, intent_id, actor.system ? std::string("shell") : actor.id, intent,
                         to_ms(now), result.state);
  } catch (const store::StoreError& error) {
    spdlog::error("could not store a change: {}", error.what());
    return false;
  }
  ++seq_;
  state_ = result.state;
  return true;
}

void Host::apply_shell(const Intent& intent) {
  const TimePoint now = wall_now();
  Result result = apply(state_, intent, Actor::shell(), now);
  if (!result.accepted()) {
    spdlog::debug("the engine declined a shell intent: {}", result.refusal->message());
    return;
  }
  if (!commit(result, {}, Actor::shell(), intent, now)) return;
  broadcast({});
  run_effects(result.effects);
}

void Host::broadcast(const std::string& cause, Peer* origin, const v1::Envelope* origin_extra) {
  // The code's seats follow the roster: only a device that joined takes one.
  if (pairing_ && pairing_->policy().code(wall_now())) {
    const int free = free_seats(state_);
    pairing_->policy().set_free_seats(free, wall_now());
    if (free == 0) drain_pairing_events();
  }
  for (auto& [link, peer] : peers_) {
    if (peer.device_id.empty() || !peer.link->is_open()) continue;
    v1::Envelope change;
    auto* c = change.mutable_change();
    c->set_seq(seq_);
    c->set_intent_id(cause);
    *c->mutable_state() = view_for(state_, peer.device_id);
    if (&peer == origin && origin_extra) {
      peer.link->send_together(change, *origin_extra);
    } else {
      peer.link->send(change);
    }
  }
  if (events_.state) events_.state(view_for(state_, config_.device_id), seq_, cause);
}

void Host::run_effects(const std::vector<Effect>& effects) {
  for (const auto& effect : effects) {
    switch (effect.kind) {
      case Effect::Kind::StartTimer:
        schedule_timer(effect.due_ms);
        break;
      case Effect::Kind::SessionComplete:
        spdlog::info("the session is complete");
        break;
      case Effect::Kind::SessionEnded:
        spdlog::info("the session has ended");
        break;
      case Effect::Kind::Removed:
        for (auto& [link, peer] : peers_) {
          if (peer.device_id != effect.participant_id) continue;
          v1::Envelope bye;
          bye.mutable_error()->set_code(v1::ERROR_CODE_REMOVED);
          bye.mutable_error()->set_message("This device is no longer part of the session.");
          peer.link->send_and_close(bye, "removed from the session");
        }
        break;
    }
  }
}

void Host::schedule_timer(int64_t due_ms) {
  // The wall clock is read again at least once a heartbeat, so a clock that
  // jumps (a laptop waking up, a test's clock) is noticed.
  const auto delay = std::min<std::chrono::milliseconds>(
      std::chrono::milliseconds(std::max<int64_t>(0, due_ms - to_ms(wall_now()))), config_.timing.heartbeat);
  auto timer = std::make_unique<asio::steady_timer>(io_, delay);
  auto* raw = timer.get();
  engine_timers_.push_back(std::move(timer));
  raw->async_wait([this, raw, due_ms](const asio::error_code& ec) {
    if (ec || stopped_) return;
    std::erase_if(engine_timers_, [raw](const auto& t) { return t.get() == raw; });
    if (to_ms(wall_now()) < due_ms) {
      schedule_timer(due_ms);  // The wall clock lagged the steady clock; wait the rest.
      return;
    }
    Intent fired;
    fired.mutable_timer_fired()->set_due_ms(due_ms);
    apply_shell(fired);
  });
}

bool Host::has_live_peer(const std::string& device_id) const {
  for (const auto& [link, peer] : peers_) {
    if (peer.device_id == device_id && peer.link->is_open()) return true;
  }
  return false;
}

void Host::watch_presence(const std::string& device_id, std::chrono::steady_clock::duration delay) {
  auto timer = std::make_unique<asio::steady_timer>(io_, delay);
  timer->async_wait([this, device_id](const asio::error_code& ec) {
    if (ec || stopped_) return;
    presence_due(device_id);
  });
  presence_timers_[device_id] = std::move(timer);
}

void Host::presence_due(const std::string& device_id) {
  presence_timers_.erase(device_id);
  if (has_live_peer(device_id)) return;
  const auto* seat = find_participant(state_, device_id);
  if (!seat || !seat->connected()) return;
  Intent presence;
  presence.mutable_set_presence()->set_participant_id(device_id);
  presence.mutable_set_presence()->set_connected(false);
  apply_shell(presence);
}

void Host::on_closed(Connection* link, const std::string& reason) {
  auto it = peers_.find(link);
  if (it == peers_.end()) return;
  const std::string device_id = it->second.device_id;
  const auto last_heard = link->last_heard();
  const std::string remote = link->remote();
  // Keep the Connection alive until this handler returns.
  auto keep = it->second.link;
  const pairing::ConnectionId connection_id = it->second.connection_id;
  peers_.erase(it);
  if (pairing_) {
    pairing_->on_disconnect(connection_id);
    drain_pairing_events();  // A wrong code may have replaced the code.
  }
  spdlog::info("link from {} closed: {}", remote, reason);
  if (link->faulted() && events_.problem) {
    events_.problem("Closed the link from " + remote +
                    (device_id.empty() ? "" : " (device " + device_id + ")") + ": " + reason +
                    (reason.ends_with('.') ? "" : "."));
  }
  if (stopped_ || device_id.empty() || has_live_peer(device_id)) return;
  if (!find_participant(state_, device_id)) return;
  // "Silent for about 5 s" counts from the last thing we heard, so a device
  // that restarts quickly never pauses the session.
  const auto silent_for = std::chrono::steady_clock::now() - last_heard;
  const auto delay = silent_for >= config_.timing.silence ? std::chrono::steady_clock::duration::zero()
                                                          : config_.timing.silence - silent_for;
  watch_presence(device_id, delay);
}

void Host::relay_local_level(v1::CoachLevel level) { relay_level(config_.device_id, std::move(level)); }

void Host::relay_level(const std::string& from_id, v1::CoachLevel level) {
  const auto* from = find_participant(state_, from_id);
  if (!from || !from->admitted() || !is_partner(from->role()) || !from->shares_with_coach() ||
      level.level() > 10) {
    // A well-behaved partner device never sends this, so say so where the
    // host's operator (and the wire-privacy test) can see it.
    spdlog::warn("dropped a rating from {}: not a partner who opted in to share with a coach", from_id);
    return;
  }
  level.set_partner(from->role());
  v1::Envelope envelope;
  *envelope.mutable_coach_level() = level;
  for (auto& [link, peer] : peers_) {
    const auto* to = find_participant(state_, peer.device_id);
    if (to && to->admitted() && to->role() == v1::ROLE_COACH) peer.link->send(envelope);
  }
  const auto* me = find_participant(state_, config_.device_id);
  if (me && me->role() == v1::ROLE_COACH && events_.coach_level) events_.coach_level(level);
}

}  // namespace attune::net
