#include "net/joiner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "attune/intents.hpp"
#include "attune/refusals.hpp"
#include "attune/text.hpp"
#include "attune/wire_codec.hpp"
#include "identity/system_random.hpp"
#include "random_id.hpp"
#include "wall_clock.hpp"

namespace attune::net {

namespace {
// The most of the host's own words (its close frame) shown on a screen.
constexpr std::size_t kMaxCloseWordsBytes = 300;

join::OutboxLimits outbox_limits(const JoinerConfig& config) {
  join::OutboxLimits limits;
  limits.write_delay = config.outbox_delay;
  return limits;
}

// What the person hears about an intent kept for later (said once).
std::string held_message(v1::RefusalCode code) {
  if (code == v1::REFUSAL_CODE_PAUSED)
    return "What you did while the connection was down is kept here; it goes through when the pause ends.";
  return "What you did while the connection was down is kept here; it goes through once you have both "
         "checked in.";
}
}  // namespace

Joiner::Joiner(asio::io_context& io, store::Store& store, JoinerConfig config, ReplicaEvents events)
    : io_(io),
      store_(store),
      config_(std::move(config)),
      events_(std::move(events)),
      retry_timer_(io),
      save_timer_(io),
      outbox_timer_(io),
      welcome_timer_(io),
      rng_(std::random_device{}()),
      outbox_(outbox_limits(config_)) {
  if (config_.protocol_version == 0) config_.protocol_version = kWireProtocolVersion;
  addresses_.push_back(DialAddress{config_.host, config_.port});
  for (const auto& more : config_.more_addresses)
    if (std::find(addresses_.begin(), addresses_.end(), more) == addresses_.end()) addresses_.push_back(more);
}

Joiner::~Joiner() { stop(); }

std::string Joiner::endpoint_text() const { return addresses_.front().text(); }

std::string Joiner::no_welcome_words() const {
  const auto seconds = std::to_string((config_.welcome_timeout.count() + 999) / 1000);
  return "Something answered at " + endpoint_text() + ", but no session let this device in within " +
         seconds + (seconds == "1" ? " second" : " seconds") +
         ". That port may belong to something else, such as your partner's invitation postbox, which has a "
         "port "
         "of its own. Please check the address and port the host's screen shows";
}

void Joiner::start() {
  if (auto stored = store_.load_joiner_snapshot()) {
    session_id_ = stored->session_id;
    seq_ = stored->seq;
    state_ = std::move(stored->state);
    ever_welcomed_ = true;
    // A restart shows the session at once; the host brings it up to date.
    if (events_.state) events_.state(state_, seq_, {});
  }
  load_outbox();
  pins_.emplace(config_.data_dir);
  if (auto error = pins_->load(); error && events_.problem) events_.problem(*error);
  connect();
}

void Joiner::send_hello() {
  if (!link_) return;
  v1::Envelope hello;
  auto* h = hello.mutable_hello();
  h->set_protocol_version(config_.protocol_version);
  h->set_app_version(config_.app_version);
  h->set_device_id(config_.device_id);
  h->set_display_name(config_.display_name);
  h->set_requested_role(config_.role);
  h->set_last_seq(seq_);
  h->set_session_id(session_id_);
  link_->send(hello);
}

void Joiner::on_secure(const pairing::HandshakeSuccess& success, bool code_mode) {
  if (code_mode && pins_) {
    // Knowing the code must not let a host take over a paired device's id.
    if (auto refusal = pins_->code_pairing_refusal(success.peer)) {
      stopped_ = true;
      if (link_) link_->close("the host proved a paired device's id with another key");
      if (events_.fatal) events_.fatal(Fatal::Pairing, *refusal);
      return;
    }
    if (auto error = pins_->set_host(success.peer, wall_ms()); error && events_.problem)
      events_.problem(*error);
  }
  coach_keys_.set_host(success.peer);
  use_code_ = false;
  config_.code_first = false;  // The host just proven is the host pin now.
  send_hello();
  await_welcome();
}

void Joiner::await_welcome() {
  welcome_timer_.expires_after(config_.welcome_timeout);
  welcome_timer_.async_wait([this, link = std::weak_ptr<Connection>(link_)](const asio::error_code& ec) {
    if (ec || stopped_ || welcomed_ || !link_ || link.lock() != link_) return;
    // proto/README.md, "Liveness and reconnecting": no Welcome in time.
    spdlog::warn("no Welcome from {} within {} ms after the Hello; closing that link", endpoint_text(),
                 config_.welcome_timeout.count());
    no_welcome_ = true;
    link_->say_goodbye(v1::CLOSE_REASON_GOING_AWAY,
                       "No session answered on this link, so this device is leaving it.");
  });
}

void Joiner::stop() {
  if (stopped_) return;
  stopped_ = true;
  retry_timer_.cancel();
  save_timer_.cancel();
  welcome_timer_.cancel();
  if (dialing_) dialing_->cancel();
  if (link_) link_->say_goodbye(v1::CLOSE_REASON_GOING_AWAY, "This device closed Attune for now.");
  link_.reset();
  outbox_timer_.cancel();
  try {
    flush_outbox();
    save_now();
  } catch (const store::StoreError& error) {
    spdlog::warn("could not save the last snapshot: {}", error.what());
  }
}

void Joiner::connect() {
  if (stopped_) return;
  if (events_.link) {
    const std::size_t others = addresses_.size() - 1;
    const std::string more = others == 0 ? ""
                                         : " (or " + std::to_string(others) +
                                               (others == 1 ? " other address)" : " other addresses)");
    events_.link(ever_welcomed_ ? LinkState::Reconnecting : LinkState::Connecting,
                 "Reaching the host at " + endpoint_text() + more + "...");
  }
  const auto transport = config_.transport ? config_.transport : tcp_transport();
  dialing_ = DialRace::start(io_, transport, addresses_, {config_.dial_stagger, config_.dial_timeout},
                             [this](DialRace::Result result) { on_dialed(std::move(result)); });
}

void Joiner::on_dial_failed(const DialRace::Result& result,
                            const std::function<DialFallback()>& first_failed) {
  if (first_failed) {
    const DialFallback fallback = first_failed();
    if (!fallback.host.empty()) {
      addresses_ = {DialAddress{fallback.host, fallback.port}};
      connect();
      return;
    }
    if (!fallback.stop_words.empty()) {
      stop();
      if (events_.link) events_.link(LinkState::Offline, fallback.stop_words);
      return;
    }
  }
  // Addresses that failed while others were still being tried said nothing; now one line says them all.
  schedule_retry(dial_failure_words(result.failures));
}

void Joiner::on_dialed(DialRace::Result result) {
  if (stopped_) return;
  dialing_.reset();
  // Asked once: only this start's first dial, never a later reconnect.
  const auto first_failed = std::exchange(config_.first_dial_failed, nullptr);
  if (!result.stream) return on_dial_failed(result, first_failed);
  // The address that answered goes first, so a reconnect tries it first, then the others.
  const auto reached = addresses_.begin() + static_cast<std::ptrdiff_t>(result.reached);
  std::rotate(addresses_.begin(), reached, reached + 1);
  std::string missed;
  for (const auto& failure : result.failures) missed += (missed.empty() ? "" : ", ") + failure.address.text();
  spdlog::info("reached the host at {}{}", endpoint_text(),
               missed.empty() ? "" : " (no answer at " + missed + ")");
  if (events_.reached) events_.reached(endpoint_text());
  link_ = std::make_shared<Connection>(std::move(result.stream), config_.timing);
  // Reconnects use the pinned host key; the typed code is for the first
  // pairing (or when the pinned host turned us away).
  const auto host = !pins_                           ? std::nullopt
                    : config_.pinned_host_id.empty() ? pins_->host()
                                                     : pins_->pinned(config_.pinned_host_id);
  const bool code_mode = !host || use_code_ || config_.code_first;
  if (code_mode && config_.code.empty()) {
    link_->close("no code to pair with");
    link_.reset();
    stopped_ = true;
    if (events_.fatal) {
      events_.fatal(Fatal::Pairing,
                    "This device hasn't paired with the host yet. Please start it "
                    "with the code shown on the host's screen.");
    }
    return;
  }
  last_try_pinned_ = !code_mode;
  auto handshake =
      code_mode
          ? pairing::JoinerHandshake::with_code(config_.identity, config_.code, identity::system_random())
          : pairing::JoinerHandshake::with_pin(config_.identity, *host, identity::system_random());
  link_->secure_with(
      pairing::SecureLink::for_joiner(std::move(handshake)),
      [this, code_mode](const pairing::HandshakeSuccess& success) { on_secure(success, code_mode); });
  link_->start([this](const v1::Envelope& e) { on_message(e); },
               [this](const std::string& reason) { on_closed(reason); });
  link_->open_handshake();
}

void Joiner::schedule_retry(const std::string& why, std::chrono::milliseconds at_least) {
  if (stopped_) return;
  // Backoff with jitter, capped low while a session is live so the pair is
  // back within about half a second of the host answering again
  // (attune/join/retry_schedule.hpp).
  const auto cap = ever_welcomed_ ? config_.backoff_cap : config_.first_contact_cap;
  const auto backoff =
      join::retry_delay(attempt_, cap, std::uniform_real_distribution<double>(0.0, 1.0)(rng_));
  const auto delay = std::max(backoff, at_least);
  ++attempt_;
  if (events_.link) {
    events_.link(
        ever_welcomed_ ? LinkState::Reconnecting : LinkState::Connecting,
        at_least > backoff ? why : why + "; trying again in " + std::to_string(delay.count()) + " ms");
  }
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) connect();
  });
}

void Joiner::wait_out_rate_limit(std::uint32_t retry_after_seconds) {
  // proto/HANDSHAKE.md, section 9: at least what the host asked, at most the cap.
  const auto wait = std::min(std::chrono::seconds(retry_after_seconds), config_.rate_limit_wait_cap);
  const auto seconds = std::to_string(wait.count());
  schedule_retry("The host has had a lot of tries from this network just now, so this device waits " +
                     seconds + (wait.count() == 1 ? " second" : " seconds") + " before trying again.",
                 wait);
}

bool Joiner::unmatched(const char* what, const std::string& intent_id) {
  if (outbox_.find(intent_id)) return false;
  ++unmatched_answers_;
  spdlog::debug("dropped {} for an intent not waiting here ({} so far)", what, unmatched_answers_);
  return true;
}

void Joiner::on_closed(const std::string& raw_reason) {
  using pairing::HandshakeError;
  // The reason may be the host's own words (its close frame): shown, so made safe.
  const std::string reason(utf8_prefix(sanitize_display_text(raw_reason), kMaxCloseWordsBytes));
  const std::uint32_t retry_after = link_ ? link_->retry_after_seconds() : 0;
  const HandshakeError error =
      link_ && link_->handshake_error() ? *link_->handshake_error() : HandshakeError::ProtocolError;
  const bool handshake_failed = link_ && link_->handshake_error().has_value();
  const std::optional<v1::Close> goodbye = link_ ? link_->peer_goodbye() : std::nullopt;
  link_.reset();
  welcomed_ = false;
  welcome_timer_.cancel();
  outbox_.link_lost();
  flush_outbox();  // Unanswered intents must outlive whatever comes next.
  if (stopped_) return;
  if (std::exchange(no_welcome_, false)) return schedule_retry(no_welcome_words());
  if (goodbye && on_goodbye(*goodbye)) return;
  // Code-mode protocol errors in a row (each may have spent a guess); any other outcome resets it.
  code_protocol_failures_ = handshake_failed && !last_try_pinned_ && error == HandshakeError::ProtocolError
                                ? code_protocol_failures_ + 1
                                : 0;
  if (handshake_failed && error == HandshakeError::RateLimited && retry_after > 0)
    return wait_out_rate_limit(retry_after);
  if (handshake_failed && !pairing::retry_automatically(error, !last_try_pinned_, code_protocol_failures_)) {
    const bool pin_problem = error == HandshakeError::UnknownDevice || error == HandshakeError::KeyChanged ||
                             error == HandshakeError::KeyRefused;
    if (last_try_pinned_ && pin_problem && !config_.code.empty()) {
      // Not the host we paired with before, but the person gave a code: pair anew.
      use_code_ = true;
      schedule_retry(reason);
      return;
    }
    // Retrying by itself would not help (and, for a wrong code, would spend
    // the host's guesses): stop and let the person act.
    stopped_ = true;
    if (events_.fatal) events_.fatal(Fatal::Pairing, reason);
    return;
  }
  schedule_retry("lost the host (" + reason + ")");
}

bool Joiner::on_goodbye(const v1::Close& said) {
  // proto/README.md, Closing: the host said why it closed. Stop for good
  // when it let us go or the session is over; otherwise come back quietly.
  // Its words reach a screen: one safe line, not too long.
  v1::Close goodbye = said;
  goodbye.set_message(std::string(utf8_prefix(sanitize_display_text(said.message()), kMaxCloseWordsBytes)));
  const bool stop_here =
      goodbye.reason() == v1::CLOSE_REASON_REMOVED || goodbye.reason() == v1::CLOSE_REASON_SESSION_ENDED;
  if (events_.closed) events_.closed(goodbye, !stop_here);
  if (!stop_here) return false;
  stopped_ = true;
  const std::string words = goodbye.message().empty() ? "The host closed the session." : goodbye.message();
  if (events_.link) events_.link(LinkState::Offline, words);
  if (goodbye.reason() == v1::CLOSE_REASON_REMOVED && events_.fatal) events_.fatal(Fatal::Removed, words);
  return true;
}

void Joiner::on_message(const v1::Envelope& envelope) {
  using Kind = v1::Envelope::KindCase;
  switch (envelope.kind_case()) {
    case Kind::kWelcome:
      on_welcome(envelope.welcome());
      return;
    case Kind::kSnapshot:
      on_snapshot(envelope.snapshot());
      return;
    case Kind::kChange:
      // Each change carries the whole (redacted) state, so a gap costs
      // nothing; an old or repeated one is simply stale.
      if (envelope.change().seq() > seq_) {
        take_state(envelope.change().seq(), envelope.change().state(), envelope.change().intent_id());
      }
      return;
    case Kind::kIntentAck:
      if (unmatched("an acknowledgement", envelope.intent_ack().intent_id())) return;
      settled(outbox_.acked(envelope.intent_ack().intent_id()));
      if (events_.acked) events_.acked(envelope.intent_ack().intent_id(), envelope.intent_ack().seq());
      return;
    case Kind::kIntentRefused:
      on_refused(envelope.intent_refused());
      return;
    case Kind::kCoachLevel:
      // Ratings come sealed to this device's key; one in clear is ignored.
      spdlog::warn("ignored an unsealed rating from the host");
      return;
    case Kind::kSealedCoachLevel:
      on_sealed_coach_level(envelope.sealed_coach_level());
      return;
    case Kind::kVersionMismatch:
      stopped_ = true;
      if (link_) link_->close("version mismatch");
      if (events_.fatal)
        events_.fatal(Fatal::VersionMismatch, sanitize_display_text(envelope.version_mismatch().message()));
      return;
    case Kind::kError:
      on_error(envelope.error());
      return;
    case Kind::kHeartbeat:
      return;
    case Kind::kHello:
    case Kind::kSubmitIntent:
      if (link_)
        link_->fail(v1::ERROR_CODE_PROTOCOL, "a host never receives that message from a joining device");
      return;
    case Kind::kHandshake:
    case Kind::kSealed:
      // The link's security layer consumes these; one here is out of place.
      if (link_)
        link_->fail(v1::ERROR_CODE_PROTOCOL, "a handshake or sealed message arrived where none belongs");
      return;
    case Kind::kInviteMail:  // Invitations travel on the postbox's own links, never in a session.
    case Kind::KIND_NOT_SET:
      if (link_)
        link_->fail(v1::ERROR_CODE_UNKNOWN_MESSAGE, "received a message type this version does not know");
      return;
  }
}

void Joiner::on_snapshot(const v1::Snapshot& snapshot) {
  // The host's snapshot is the session, even when it is older than what
  // this device saw (the host lost its last changes, e.g. it ran on
  // without its disk and restarted): take it, number on from it, and say
  // so, since the last things shown here are gone.
  if (snapshot.seq() < seq_ && events_.problem) {
    events_.problem(
        "The host picked the session up from a little earlier than this device had seen (change " +
        std::to_string(snapshot.seq()) + " instead of " + std::to_string(seq_) +
        "), so the last few moments may need doing again.");
  }
  take_state(snapshot.seq(), snapshot.state(), {});
}

void Joiner::on_sealed_coach_level(const v1::SealedCoachLevel& sealed) {
  std::string why;
  auto level = coach_inbox_.take(config_.identity, state_, sealed, why);
  if (!level) {
    spdlog::warn("{}", why);
  } else if (events_.coach_level) {
    events_.coach_level(*level);
  }
}

void Joiner::on_error(const v1::Error& error) {
  if (error.code() == v1::ERROR_CODE_REMOVED) {
    stopped_ = true;
    if (link_) link_->close("removed");
    drop_outbox();
    if (events_.link) events_.link(LinkState::Offline, sanitize_display_text(error.message()));
    if (events_.fatal) events_.fatal(Fatal::Removed, sanitize_display_text(error.message()));
    return;
  }
  if (events_.problem) events_.problem("The host closed the link: " + sanitize_display_text(error.message()));
}

void Joiner::on_refused(const v1::IntentRefused& refused) {
  const auto& id = refused.intent_id();
  if (unmatched("a refusal", id)) return;
  const auto outcome = outbox_.refused(id, refused.refusal().code(), state_.phase());
  switch (outcome.verdict) {
    case join::Verdict::Resend:
      send_submit(id, outbox_.find(id)->intent);
      return;
    case join::Verdict::Hold:
      if (outcome.first_hold && events_.held) events_.held(id, held_message(refused.refusal().code()));
      return;
    case join::Verdict::Satisfied:
      // A pause asked for while the link was down, and the session is on a
      // pause already: nothing to tell the person, nothing to send again.
      spdlog::info("a pause resent after a reconnect met a pause already on; settled");
      settled(outcome.needs_disk_removal);
      return;
    case join::Verdict::AskAgain:
      // A check-in made for a gate a long break replaced: it must not count
      // at the fresh gate after the break. The person rates again there.
      settled(outcome.needs_disk_removal);
      if (events_.refused) events_.refused(id, join::check_in_again_refusal());
      return;
    case join::Verdict::Surface:
      break;
  }
  settled(outcome.needs_disk_removal);
  const bool typed = std::erase(typed_joins_, id) > 0;
  // Joining again from a seated device is a reconnect, not a problem; the
  // person who typed `join` hears, plainly, that they are in already.
  if (outcome.was_join && refused.refusal().code() == v1::REFUSAL_CODE_ALREADY_JOINED) {
    v1::Refusal seated = refused.refusal();
    seated.set_message("You're already in this session, so there's nothing more to join.");
    if (typed && events_.refused) events_.refused(id, seated);
    return;
  }
  if (events_.refused) events_.refused(id, refused.refusal());
  if (outcome.was_join) {
    // Without a seat there is nothing to wait for: say why and stop.
    stopped_ = true;
    if (link_) link_->close("the host turned down the join");
    if (events_.fatal)
      events_.fatal(Fatal::JoinRefused, "The host couldn't give this device a seat: " +
                                            sanitize_display_text(refused.refusal().message()));
  }
}

void Joiner::on_welcome(const v1::Welcome& welcome) {
  if (!protocol_compatible(welcome.protocol_version())) {
    const std::string message =
        "The host speaks protocol version " + std::to_string(welcome.protocol_version()) + " (Attune " +
        sanitize_display_text(welcome.app_version()) + "); this device speaks version " +
        std::to_string(config_.protocol_version) + ". Please update both devices to the same version.";
    stopped_ = true;
    if (link_) link_->close("version mismatch");
    if (events_.fatal) events_.fatal(Fatal::VersionMismatch, message);
    return;
  }
  if (!session_id_.empty() && session_id_ != welcome.session_id()) {
    // The host holds a different session now: what was queued for the old
    // one no longer applies.
    spdlog::info("the host now holds a different session; starting over with it");
    drop_outbox();
    seq_ = 0;
  }
  session_id_ = welcome.session_id();
  welcome_timer_.cancel();
  welcomed_ = true;
  ever_welcomed_ = true;
  attempt_ = 0;
  if (events_.link) events_.link(LinkState::Connected, "Connected to the host at " + endpoint_text() + ".");

  if (!welcome.seated() && !outbox_.has_join()) {
    // Join goes first so the intents queued behind it come from a seated device.
    const Intent join = intents::join(config_.display_name, config_.role);
    const std::string id = random_id();
    store_.outbox_add(id, join);
    outbox_.add_join_first(id, join);
  }
  send_all(outbox_.replay());  // Held ones too: they are resent right here.
}

void Joiner::take_state(uint64_t seq, const State& state, const std::string& cause) {
  seq_ = seq;
  state_ = state;
  dirty_ = true;
  schedule_save();
  if (events_.state) events_.state(state_, seq_, cause);
  if (welcomed_) send_all(outbox_.release_held(state_.phase()));
}

void Joiner::settled(bool needs_disk_removal) {
  // Removing a stored copy can wait for the next save: if we crash first, the
  // resend is answered from the host's dedupe table, not applied again.
  if (!needs_disk_removal) return;
  dirty_ = true;
  schedule_save();
}

void Joiner::submit(const std::string& intent_id, const Intent& intent) {
  const auto added = outbox_.add(intent_id, intent, welcomed_, std::chrono::steady_clock::now());
  if (added == join::Added::Full) {
    if (events_.refused) events_.refused(intent_id, join::outbox_full_refusal());
    return;
  }
  if (added == join::Added::Duplicate) return;  // Waiting already; the host answers it once.
  if (intent.has_join()) typed_joins_.push_back(intent_id);
  if (!welcomed_) {
    // No host to answer: keep it on disk now until the link is back.
    flush_outbox();
    return;
  }
  send_submit(intent_id, intent);
  // Write-behind: an intent the host acknowledges within a couple of
  // milliseconds is already durable on the host and never needs our disk;
  // the rest are written together when the timer fires (or the link drops).
  // So a crash loses a tap only if it comes within that window and the host
  // never received it; from the "queued" event on, it survives a crash.
  arm_outbox_write();
}

void Joiner::send_submit(const std::string& intent_id, const Intent& intent) {
  if (!link_) return;
  v1::Envelope envelope;
  envelope.mutable_submit_intent()->set_intent_id(intent_id);
  *envelope.mutable_submit_intent()->mutable_intent() = intent;
  link_->send(envelope);
}

void Joiner::send_all(const std::vector<const join::Entry*>& entries) {
  for (const auto* entry : entries) send_submit(entry->intent_id, entry->intent);
}

void Joiner::send_level(const v1::CoachLevel& level) {
  // Ratings are a courtesy to the coach, not session state: without a link
  // they are simply not shared.
  if (!link_ || !welcomed_) return;
  std::vector<std::string> problems;
  const auto coaches = coach_keys_.vet(crypto::coach_keys(state_), problems);
  for (const auto& problem : problems) spdlog::warn("rating not shared: {}", problem);
  for (auto& sealed :
       crypto::seal_for_coaches(coaches, state_, config_.device_id, level, identity::system_random())) {
    v1::Envelope envelope;
    *envelope.mutable_sealed_coach_level() = std::move(sealed);
    link_->send(envelope);
  }
}

}  // namespace attune::net
