// The host core's links: what each message means, Hello, presence and the
// silence grace, the coach relay, and the pairing code's door (see
// host_core.hpp).
#include <algorithm>

#include "attune/host/host_core.hpp"
#include "attune/text.hpp"
#include "attune/wire_codec.hpp"

namespace attune::host {

void HostCore::set_pinned(pairing::PinnedKeys keys) {
  if (pairing_) pairing_->set_pinned(std::move(keys));
}

HostCore::Opened HostCore::link_opened(LinkId id, std::string_view source, std::string remote,
                                       TimePoint now) {
  Opened opened;
  if (stopped_) return opened;
  links_.insert_or_assign(id, Link{remote, {}, {}, false});
  if (!pairing_) return opened;
  if (auto refusal = pairing_->on_connect(id, source, now)) {
    SendAndClose reply{id, {}, "too many attempts from " + remote + " for now"};
    *reply.envelope.mutable_handshake() = *refusal;
    close_link(id, opened.actions, std::move(reply));
  } else {
    opened.secure = true;
  }
  close_timed_out_handshakes(opened.actions, now);  // Those that gave way to this one.
  drain_pairing_events(opened.actions, now);        // Arms the timer for this handshake's deadline.
  return opened;
}

Actions HostCore::link_secured(LinkId id, const pairing::HandshakeSuccess& success, TimePoint now) {
  Actions out;
  auto it = links_.find(id);
  if (stopped_ || it == links_.end()) return out;
  it->second.proven_id = success.peer.device_id;
  it->second.pinned = success.mode == v1::PAIRING_MODE_PINNED;
  proven_keys_[success.peer.device_id] = success.peer.public_key;
  if (success.mode == v1::PAIRING_MODE_CODE) out.add(SavePin{success.peer, to_ms(now)});
  drain_pairing_events(out, now);
  return out;
}

Actions HostCore::link_closed(LinkId id, const LinkEnd& end, TimePoint now) {
  Actions out;
  auto it = links_.find(id);
  if (stopped_ || it == links_.end()) return out;
  const Link link = std::move(it->second);
  links_.erase(it);
  if (pairing_) {
    pairing_->on_disconnect(id);
    drain_pairing_events(out, now);  // A wrong code may have replaced the code.
  }
  out.add(Log{Log::Level::Info, "link from " + link.remote + " closed: " + end.reason});
  if (end.faulted) {
    out.add(Problem{"Closed the link from " + link.remote +
                    (link.device_id.empty() ? "" : " (device " + link.device_id + ")") + ": " + end.reason +
                    (end.reason.ends_with('.') ? "" : ".")});
  }
  if (link.device_id.empty() || has_live_link(link.device_id)) return out;
  if (!find_participant(state_, link.device_id)) return out;
  // "Silent for about 5 s" counts from the last thing we heard, so a device
  // that restarts quickly never pauses the session.
  const std::chrono::nanoseconds grace = config_.silence;
  watch_presence(link.device_id,
                 end.silent_for >= grace ? std::chrono::nanoseconds::zero() : grace - end.silent_for, out);
  return out;
}

void HostCore::link_closing(LinkId id) {
  if (auto it = links_.find(id); it != links_.end()) it->second.closing = true;
}

void HostCore::close_link(LinkId id, Actions& out, Action action) {
  if (auto it = links_.find(id); it != links_.end()) it->second.closing = true;
  out.steps.push_back(std::move(action));
}

Actions HostCore::message(LinkId id, const v1::Envelope& envelope, bool repaired, TimePoint now) {
  Actions out;
  auto it = links_.find(id);
  if (stopped_ || it == links_.end()) return out;
  Link& link = it->second;
  using Kind = v1::Envelope::KindCase;
  const Kind kind = envelope.kind_case();
  auto fail = [&](v1::ErrorCode code, std::string words) {
    close_link(id, out, Fail{id, code, std::move(words)});
  };
  // A heartbeat may come before the Hello (proto/README.md, "Session start").
  if (kind == Kind::kHeartbeat) return out;
  if (kind != Kind::kHello && link.device_id.empty()) {
    fail(v1::ERROR_CODE_PROTOCOL, "the first message on a link must be a Hello");
    return out;
  }
  switch (kind) {
    case Kind::kHello:
      on_hello(id, link, envelope.hello(), out, now);
      break;
    case Kind::kSubmitIntent:
      if (repaired) {
        // Its text wasn't UTF-8: answered in words, never applied or kept.
        Send reply{id, {}};
        auto* refused = reply.envelope.mutable_intent_refused();
        refused->set_intent_id(envelope.submit_intent().intent_id());
        refused->mutable_refusal()->set_code(v1::REFUSAL_CODE_BAD_INPUT);
        refused->mutable_refusal()->set_message(
            "That text has characters Attune can't read, so it wasn't applied.");
        out.add(std::move(reply));
        break;
      }
      process(Actor::participant(link.device_id), envelope.submit_intent().intent_id(),
              envelope.submit_intent().intent(), id, out, now);
      break;
    case Kind::kCoachLevel:
      // A rating in a form the host could read: never passed on (item 9).
      out.add(Log{Log::Level::Warn, "dropped an unsealed rating from " + link.device_id +
                                        ": ratings travel sealed to the coach"});
      break;
    case Kind::kSealedCoachLevel:
      on_sealed_level(link.device_id, envelope.sealed_coach_level(), out, now);
      break;
    case Kind::kError:
      out.add(Log{Log::Level::Warn,
                  link.remote + " reported a problem: " + sanitize_display_text(envelope.error().message())});
      break;
    case Kind::kHeartbeat:  // Taken above.
      break;
    case Kind::kWelcome:
    case Kind::kVersionMismatch:
    case Kind::kChange:
    case Kind::kSnapshot:
    case Kind::kIntentRefused:
    case Kind::kIntentAck:
      fail(v1::ERROR_CODE_PROTOCOL, "only a host sends that message, and this device is the host");
      break;
    case Kind::kHandshake:
    case Kind::kSealed:
      // The link's security layer consumes these; one here is out of place.
      fail(v1::ERROR_CODE_PROTOCOL, "a handshake or sealed message arrived where none belongs");
      break;
    case Kind::kInviteMail:  // Invitations travel on the postbox's own links, never in a session.
    case Kind::KIND_NOT_SET:
      fail(v1::ERROR_CODE_UNKNOWN_MESSAGE, "received a message type this version does not know");
      break;
  }
  return out;
}

std::optional<std::string> HostCore::hello_problem(const Link& link, const v1::Hello& hello) const {
  if (!link.device_id.empty()) return "a link may say Hello only once";
  if (hello.device_id().empty() || hello.device_id().size() > 128) {
    return "a Hello needs a device id of at most 128 characters";
  }
  if (hello.device_id() == config_.device_id) return "that device id belongs to the host itself";
  // The participant id is the device id its key was proven for; no device
  // may speak for another.
  if (pairing_ && hello.device_id() != link.proven_id) {
    return "the Hello names a device other than the one this link proved to be";
  }
  return std::nullopt;
}

void HostCore::on_hello(LinkId id, Link& link, const v1::Hello& hello, Actions& out, TimePoint now) {
  if (link.device_id.empty() && !protocol_compatible(hello.protocol_version())) {
    const std::string message = "This host speaks protocol version " + std::to_string(kWireProtocolVersion) +
                                " (Attune " + config_.app_version + "), the joining device speaks version " +
                                std::to_string(hello.protocol_version()) + " (Attune " +
                                sanitize_display_text(hello.app_version()) +
                                "). Please update both devices to the same version.";
    out.add(Problem{message});
    SendAndClose reply{id, {}, message};
    auto* mismatch = reply.envelope.mutable_version_mismatch();
    mismatch->set_host_protocol_version(kWireProtocolVersion);
    mismatch->set_host_app_version(config_.app_version);
    mismatch->set_message(message);
    close_link(id, out, std::move(reply));
    return;
  }
  if (auto problem = hello_problem(link, hello)) {
    close_link(id, out, Fail{id, v1::ERROR_CODE_PROTOCOL, *problem});
    return;
  }
  // A newer link from the same device replaces a stale one.
  for (auto& [other_id, other] : links_) {
    if (other_id != id && other.device_id == hello.device_id())
      close_link(other_id, out, Goodbye{other_id, v1::CLOSE_REASON_REPLACED});
  }
  link.device_id = hello.device_id();
  out.add(CancelTimer{TimerKey{TimerKey::Kind::Presence, 0, link.device_id}});

  const auto* seat = find_participant(state_, link.device_id);
  Send welcome{id, {}};
  auto* w = welcome.envelope.mutable_welcome();
  w->set_protocol_version(kWireProtocolVersion);
  w->set_app_version(config_.app_version);
  w->set_session_id(state_.session_id());
  w->set_seated(seat != nullptr);
  w->set_seq(seq_);
  out.add(std::move(welcome));

  // What the device missed: the latest state as it may see it.
  Send snapshot{id, {}};
  snapshot.envelope.mutable_snapshot()->set_seq(seq_);
  *snapshot.envelope.mutable_snapshot()->mutable_state() = view_of(link.device_id);
  out.add(std::move(snapshot));

  // The partner this session was started for, seated in the resumed session
  // but not let in yet: in now, with its presence.
  const bool admit = seat && !seat->admitted() && is_expected(link);
  if ((seat && !seat->connected()) || admit) {
    Intent presence;
    presence.mutable_set_presence()->set_participant_id(link.device_id);
    presence.mutable_set_presence()->set_connected(true);
    apply_shell(presence, out, now, admit ? link.device_id : std::string());
  }
}

bool HostCore::has_live_link(const std::string& device_id) const {
  return std::any_of(links_.begin(), links_.end(), [&](const auto& entry) {
    return entry.second.device_id == device_id && !entry.second.closing;
  });
}

void HostCore::watch_presence(const std::string& device_id, std::chrono::nanoseconds after, Actions& out) {
  out.add(ArmTimer{TimerKey{TimerKey::Kind::Presence, 0, device_id}, after});
}

void HostCore::presence_due(const std::string& device_id, Actions& out, TimePoint now) {
  if (has_live_link(device_id)) return;
  const auto* seat = find_participant(state_, device_id);
  if (!seat || !seat->connected()) return;
  Intent presence;
  presence.mutable_set_presence()->set_participant_id(device_id);
  presence.mutable_set_presence()->set_connected(false);
  apply_shell(presence, out, now);
}

Actions HostCore::local_level(const v1::CoachLevel& level, const crypto::RandomFn& random) {
  Actions out;
  const State mine = view_of(config_.device_id);
  for (auto& sealed :
       crypto::seal_for_coaches(crypto::coach_keys(mine), mine, config_.device_id, level, random)) {
    relay_level(config_.device_id, std::move(sealed), out);
  }
  return out;
}

void HostCore::on_sealed_level(const std::string& from_id, const v1::SealedCoachLevel& sealed, Actions& out,
                               TimePoint now) {
  // Counted before any other check, so a flood costs a lookup each, never a
  // relay; the warning is logged at the 1st, 2nd, 4th, 8th, ... drop.
  if (level_limits_.allow_intent(from_id, now)) return relay_level(from_id, sealed, out);
  ++levels_dropped_;
  if ((levels_dropped_ & (levels_dropped_ - 1)) == 0) {
    out.add(Log{Log::Level::Warn, "dropped a rating from " + from_id + ": ratings came faster than " +
                                      "a person checks in (" + std::to_string(levels_dropped_) +
                                      " dropped so far)"});
  }
}

void HostCore::relay_level(const std::string& from_id, v1::SealedCoachLevel sealed, Actions& out) {
  const auto* from = find_participant(state_, from_id);
  const auto* to = find_participant(state_, sealed.coach_id());
  if (!from || !from->admitted() || !is_partner(from->role()) || !from->shares_with_coach() || !to ||
      !to->admitted() || to->role() != v1::ROLE_COACH ||
      sealed.sealed().size() != crypto::kSealedCoachLevelBytes) {
    // A well-behaved partner device never sends this, so say so where the
    // host's operator (and the wire-privacy test) can see it.
    out.add(Log{Log::Level::Warn, "dropped a rating from " + from_id +
                                      ": not a partner who opted in, sealed for an admitted coach"});
    return;
  }
  sealed.set_partner(from->role());
  sealed.set_partner_id(from_id);
  // Only to the coach it was sealed for; nobody else could open it anyway.
  if (sealed.coach_id() == config_.device_id) {
    out.add(LocalCoachLevel{std::move(sealed)});
    return;
  }
  for (const auto& [id, link] : links_) {
    if (link.device_id != sealed.coach_id() || link.closing) continue;
    Send send{id, {}};
    *send.envelope.mutable_sealed_coach_level() = sealed;
    out.add(std::move(send));
  }
}

State HostCore::view_of(std::string_view device_id) const {
  State view = view_for(state_, device_id);
  for (auto& p : *view.mutable_participants()) {
    if (p.role() != v1::ROLE_COACH) continue;
    const std::optional<crypto::PublicKey> key =
        p.id() == config_.device_id ? config_.device_key : [&]() -> std::optional<crypto::PublicKey> {
      // Proven on a link since this host started, or pinned when it first
      // paired (and checked again on every reconnect): the same after a restart.
      if (const auto it = proven_keys_.find(p.id()); it != proven_keys_.end()) return it->second;
      if (!pairing_) return std::nullopt;
      const auto pin = pairing_->pinned().find(p.id());
      if (pin == pairing_->pinned().end()) return std::nullopt;
      return pin->second;
    }();
    if (key) p.set_device_key(key->data(), key->size());
  }
  return view;
}

// --- The pairing code's door ---

std::optional<std::string> HostCore::open_new_code(TimePoint now, Actions& out) {
  if (!pairing_) return std::string("This session doesn't use codes, so there's no new one to make.");
  if (auto refusal = pairing::new_code_refusal(state_)) return refusal;
  // Replaces any open code at once; the policy's rate limits and wrong-code
  // count carry on as for any code.
  pairing_->policy().open_code(pairing::free_seats(state_), now);
  drain_pairing_events(out, now);
  return std::nullopt;
}

void HostCore::drain_pairing_events(Actions& out, TimePoint now) {
  if (!pairing_) return;
  for (auto& event : pairing_->policy().take_events()) out.add(PairingEvent{std::move(event)});
  // The code's expiry and every handshake's hard deadline.
  const TimerKey key{TimerKey::Kind::Pairing, 0, {}};
  if (const auto deadline = pairing_->next_deadline()) {
    out.add(
        ArmTimer{key, std::chrono::milliseconds(std::max<std::int64_t>(0, to_ms(*deadline) - to_ms(now)))});
  } else {
    out.add(CancelTimer{key});
  }
}

void HostCore::close_timed_out_handshakes(Actions& out, TimePoint now) {
  if (!pairing_) return;
  for (const auto id : pairing_->take_timed_out(now)) {
    if (!links_.count(id)) continue;
    close_link(id, out, Close{id, "its handshake did not finish in time or gave way to a newer one"});
  }
}

}  // namespace attune::host
