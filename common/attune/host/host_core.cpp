// The host core's intents and changes: judging, remembering, storing first,
// then telling every device its own view (see host_core.hpp).
#include "attune/host/host_core.hpp"

#include <algorithm>

#include "attune/frame_decoder.hpp"
#include "attune/intents.hpp"
#include "attune/refusals.hpp"
#include "attune/wire_codec.hpp"

namespace attune::host {

namespace {

v1::Refusal make_refusal(v1::RefusalCode code, std::string message) {
  v1::Refusal refusal;
  refusal.set_code(code);
  refusal.set_message(std::move(message));
  return refusal;
}

}  // namespace

void Actions::append(Actions&& more) {
  steps.insert(steps.end(), std::make_move_iterator(more.steps.begin()),
               std::make_move_iterator(more.steps.end()));
  if (more.gated) gated = std::move(more.gated);
}

HostCore::HostCore(HostCoreConfig config, std::optional<pairing::HostPairing> pairing)
    : config_(std::move(config)),
      pairing_(std::move(pairing)),
      limits_(config_.intent_limits),
      level_limits_(config_.level_limits) {}

Actions HostCore::resume_or_begin(std::optional<StoredHost> stored, std::string new_session_id,
                                  TimePoint now) {
  Actions out;
  if (stored) {
    state_ = std::move(stored->state);
    seq_ = stored->seq;
    // Oldest first, so the memory keeps the newest when it is full.
    auto& answers = stored->answers;
    std::sort(answers.begin(), answers.end(),
              [](const auto& a, const auto& b) { return a.second.seq < b.second.seq; });
    for (const auto& [id, answer] : answers) {
      if (answer.refusal) {
        answered_.remember_refused(id, *answer.refusal);
      } else {
        answered_.remember_applied(id, answer.seq);
      }
    }
    for (const auto& id : stored->declined) limits_.declined(id);
    out.add(Log{Log::Level::Info,
                "resuming session " + state_.session_id() + " at change " + std::to_string(seq_)});
    return out;
  }
  state_ = new_session(std::move(new_session_id), config_.session_name, default_settings(), config_.device_id,
                       config_.display_name, config_.role, now);
  seq_ = 0;
  out.add(BeginSession{state_.session_id(), state_});
  return out;
}

Actions HostCore::open(TimePoint now) {
  Actions out;
  // Devices that were connected when the host stopped get the usual grace to
  // come back before the session pauses for them.
  for (const auto& participant : state_.participants()) {
    if (participant.id() != config_.device_id && participant.connected()) {
      watch_presence(participant.id(), config_.silence, out);
    }
  }
  // A pause that was running when the host stopped still needs its timer.
  if (state_.phase() == v1::PHASE_PAUSED && state_.pause().min_until_ms() > 0) {
    schedule_engine_timer(state_.pause().min_until_ms(), out, now);
  }
  out.add(LocalState{view_of(config_.device_id), seq_, {}});
  return out;
}

Actions HostCore::invite(TimePoint now) {
  Actions out;
  // A code for newcomers while seats are free; paired devices reconnect
  // with their pinned keys and need none.
  if (pairing_) {
    if (const int free = pairing::free_seats(state_); free > 0) pairing_->policy().open_code(free, now);
    drain_pairing_events(out, now);
  }
  return out;
}

Actions HostCore::stop() {
  Actions out;
  if (stopped_) return out;
  stopped_ = true;
  const bool over = state_.phase() == v1::PHASE_COMPLETE || state_.phase() == v1::PHASE_ENDED;
  const auto reason = over ? v1::CLOSE_REASON_SESSION_ENDED : v1::CLOSE_REASON_GOING_AWAY;
  for (const auto& [id, link] : links_) out.add(Goodbye{id, reason});
  links_.clear();
  return out;
}

Actions HostCore::local_intent(const std::string& intent_id, const Intent& intent, TimePoint now) {
  Actions out;
  process(Actor::participant(config_.device_id), intent_id, intent, std::nullopt, out, now);
  return out;
}

void HostCore::answer_refused(std::optional<LinkId> origin, const std::string& intent_id,
                              const v1::Refusal& refusal, Actions& out) {
  if (!origin) {
    out.add(LocalRefused{intent_id, refusal});
    return;
  }
  Send reply{*origin, {}};
  reply.envelope.mutable_intent_refused()->set_intent_id(intent_id);
  *reply.envelope.mutable_intent_refused()->mutable_refusal() = refusal;
  out.add(std::move(reply));
}

void HostCore::answer_acked(std::optional<LinkId> origin, const std::string& intent_id, std::uint64_t seq,
                            Actions& out) {
  if (!origin) {
    out.add(LocalAcked{intent_id, seq});
    return;
  }
  Send reply{*origin, {}};
  reply.envelope.mutable_intent_ack()->set_intent_id(intent_id);
  reply.envelope.mutable_intent_ack()->set_seq(seq);
  out.add(std::move(reply));
}

void HostCore::process(const Actor& actor, const std::string& intent_id, const Intent& intent,
                       std::optional<LinkId> origin, Actions& out, TimePoint now) {
  if (intent_id.empty() || intent_id.size() > 128) {
    answer_refused(
        origin, intent_id,
        make_refusal(v1::REFUSAL_CODE_BAD_INPUT, "That request had no usable id, so it was not applied."),
        out);
    return;
  }
  // Each intent id is applied once: a resend gets the first answer again.
  if (const auto* done = answered_.find(intent_id)) {
    if (done->refusal) {
      answer_refused(origin, intent_id, *done->refusal, out);
    } else {
      answer_acked(origin, intent_id, done->seq, out);
    }
    return;
  }
  // Not judged, stored or remembered: the device may send it again later.
  if (auto refusal = at_the_door(actor, intent, origin.has_value(), now)) {
    answer_refused(origin, intent_id, *refusal, out);
    return;
  }
  Pending pending{intent_id, origin, actor, intent, apply(state_, intent, actor, now), now};
  // The partner this session was started for, on its pinned link: in with its Join.
  if (intent.has_join() && pending.result.accepted() && origin) {
    const auto link = links_.find(*origin);
    if (link != links_.end() && is_expected(link->second) && link->second.proven_id == actor.id)
      fold_admission(actor.id, pending.result, now);
  }
  if (!pending.result.accepted()) {
    // "Paused" and "check in first" only say "not yet": a device that tapped
    // while its link was down may resend the same intent once the session is
    // active again, so those are judged afresh rather than remembered.
    if (refusal_is_transient(pending.result.refusal->code())) {
      answer_refused(origin, intent_id, *pending.result.refusal, out);
      return;
    }
    out.gated = RecordRefusal{intent_id, *pending.result.refusal};
    pending_ = std::move(pending);
    return;
  }
  // Room left in a frame for the Change wrapper around a state.
  constexpr std::size_t kStateBudget = kMaxFramePayload - 512;
  if (pending.result.state.ByteSizeLong() > kStateBudget) {
    answer_refused(origin, intent_id,
                   make_refusal(v1::REFUSAL_CODE_BAD_INPUT,
                                "That is more text than this session can carry. Please shorten it a little."),
                   out);
    return;
  }
  gate_change(std::move(pending), out);
}

std::optional<v1::Refusal> HostCore::at_the_door(const Actor& actor, const Intent& intent, bool remote,
                                                 TimePoint now) {
  // The host's own user is never limited; paired devices are.
  if (remote && !limits_.allow_intent(actor.id, now)) {
    return make_refusal(v1::REFUSAL_CODE_TOO_FAST, too_fast_message());
  }
  if (intent.has_join() && limits_.is_declined(actor.id)) {
    return make_refusal(v1::REFUSAL_CODE_NOT_ADMITTED, declined_message());
  }
  return std::nullopt;
}

bool HostCore::is_expected(const Link& link) const {
  return !config_.expected_partner.empty() && link.pinned && link.proven_id == config_.expected_partner;
}

bool HostCore::fold_admission(const std::string& device_id, Result& result, TimePoint now) const {
  Result admitted =
      apply(result.state, intents::admit(device_id), Actor::participant(config_.device_id), now);
  if (!admitted.accepted()) return false;
  result.state = std::move(admitted.state);
  result.effects.insert(result.effects.end(), admitted.effects.begin(), admitted.effects.end());
  return true;
}

void HostCore::apply_shell(const Intent& intent, Actions& out, TimePoint now, const std::string& admit) {
  Result result = apply(state_, intent, Actor::shell(), now);
  if (!admit.empty()) {
    // Already shown as here: the yes is the only change.
    Result with = result.accepted() ? result : Result{state_, std::nullopt, {}};
    if (fold_admission(admit, with, now)) result = std::move(with);
  }
  Pending pending{{}, std::nullopt, Actor::shell(), intent, std::move(result), now};
  if (!pending.result.accepted()) {
    out.add(
        Log{Log::Level::Debug, "the engine declined a shell intent: " + pending.result.refusal->message()});
    return;
  }
  gate_change(std::move(pending), out);
}

void HostCore::gate_change(Pending pending, Actions& out) {
  // Stored before anyone hears of it: a change that was broadcast always
  // survives a host restart.
  const Actor& actor = pending.actor;
  out.gated = RecordChange{seq_ + 1,       pending.intent_id,  actor.system ? std::string("shell") : actor.id,
                           pending.intent, to_ms(pending.now), pending.result.state};
  pending_ = std::move(pending);
}

Actions HostCore::stored(bool saved) {
  Actions out;
  if (!pending_) return out;
  Pending pending = std::move(*pending_);
  pending_.reset();
  if (!pending.result.accepted()) {
    // Not remembering a refusal is harmless: a resend is judged afresh.
    if (saved) answered_.remember_refused(pending.intent_id, *pending.result.refusal);
    answer_refused(pending.origin, pending.intent_id, *pending.result.refusal, out);
    return out;
  }
  if (!saved) {
    if (!pending.actor.system) {
      answer_refused(
          pending.origin, pending.intent_id,
          make_refusal(v1::REFUSAL_CODE_UNSPECIFIED,
                       "The host could not save that just now, so it was not applied. Please try again."),
          out);
    }
    return out;
  }
  committed(pending, out);
  return out;
}

void HostCore::committed(Pending& pending, Actions& out) {
  ++seq_;
  state_ = std::move(pending.result.state);
  if (pending.actor.system) {
    broadcast({}, std::nullopt, nullptr, out, pending.now);
    run_effects(pending.result.effects, out, pending.now);
    return;
  }
  answered_.remember_applied(pending.intent_id, seq_);
  if (pending.intent.has_decline()) {
    limits_.declined(pending.intent.decline().participant_id());
    out.add(RecordDeclined{pending.intent.decline().participant_id()});
  }
  if (pending.origin) {
    // The sender's Change and its IntentAck leave in one write.
    v1::Envelope reply;
    reply.mutable_intent_ack()->set_intent_id(pending.intent_id);
    reply.mutable_intent_ack()->set_seq(seq_);
    broadcast(pending.intent_id, pending.origin, &reply, out, pending.now);
  } else {
    broadcast(pending.intent_id, std::nullopt, nullptr, out, pending.now);
    out.add(LocalAcked{pending.intent_id, seq_});
  }
  run_effects(pending.result.effects, out, pending.now);
}

void HostCore::broadcast(const std::string& cause, std::optional<LinkId> origin,
                         const v1::Envelope* origin_extra, Actions& out, TimePoint now) {
  // The code's seats follow the roster: only a device that joined takes one.
  if (pairing_ && pairing_->policy().code(now)) {
    const int free = pairing::free_seats(state_);
    pairing_->policy().set_free_seats(free, now);
    if (free == 0) drain_pairing_events(out, now);
  }
  for (const auto& [id, link] : links_) {
    if (link.device_id.empty() || link.closing) continue;
    v1::Envelope change;
    auto* c = change.mutable_change();
    c->set_seq(seq_);
    // The cause goes back only to the link it came on: an id another device
    // saw could tell it who paused, who checked in or who left.
    const bool from_here = origin && id == *origin;
    if (from_here) c->set_intent_id(cause);
    *c->mutable_state() = view_of(link.device_id);
    // process() has refused any state that would not fit a frame.
    if (from_here && origin_extra) {
      out.add(SendTogether{id, std::move(change), *origin_extra});
    } else {
      out.add(Send{id, std::move(change)});
    }
  }
  out.add(LocalState{view_of(config_.device_id), seq_, cause});
}

void HostCore::run_effects(const std::vector<Effect>& effects, Actions& out, TimePoint now) {
  for (const auto& effect : effects) {
    switch (effect.kind) {
      case Effect::Kind::StartTimer:
        schedule_engine_timer(effect.due_ms, out, now);
        break;
      case Effect::Kind::SessionComplete:
        out.add(Log{Log::Level::Info, "the session is complete"});
        break;
      case Effect::Kind::SessionEnded:
        out.add(Log{Log::Level::Info, "the session has ended"});
        break;
      case Effect::Kind::Removed:
        for (auto& [id, link] : links_) {
          if (link.device_id != effect.participant_id) continue;
          SendAndClose bye{id, {}, "removed from the session"};
          bye.envelope.mutable_error()->set_code(v1::ERROR_CODE_REMOVED);
          bye.envelope.mutable_error()->set_message("This device is no longer part of the session.");
          close_link(id, out, std::move(bye));
        }
        break;
    }
  }
}

void HostCore::schedule_engine_timer(std::int64_t due_ms, Actions& out, TimePoint now) {
  const auto after = std::chrono::milliseconds(std::max<std::int64_t>(0, due_ms - to_ms(now)));
  out.add(ArmTimer{TimerKey{TimerKey::Kind::Engine, due_ms, {}}, after});
}

Actions HostCore::timer_fired(const TimerKey& key, TimePoint now) {
  Actions out;
  if (stopped_) return out;
  switch (key.kind) {
    case TimerKey::Kind::Engine: {
      if (to_ms(now) < key.due_ms) {
        schedule_engine_timer(key.due_ms, out,
                              now);  // The wall clock lagged the steady clock; wait the rest.
        break;
      }
      Intent fired;
      fired.mutable_timer_fired()->set_due_ms(key.due_ms);
      apply_shell(fired, out, now);
      break;
    }
    case TimerKey::Kind::Presence:
      presence_due(key.device_id, out, now);
      break;
    case TimerKey::Kind::Pairing:
      if (!pairing_) break;
      pairing_->policy().tick(now);
      close_timed_out_handshakes(out, now);
      drain_pairing_events(out, now);
      break;
  }
  return out;
}

}  // namespace attune::host
