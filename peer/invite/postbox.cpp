#include "invite/postbox.hpp"

#include <spdlog/spdlog.h>

#include <csignal>

#include "attune/crypto/device_identity.hpp"
#include "attune/invite/partner_beacon.hpp"
#include "attune/text.hpp"
#include "identity/system_random.hpp"
#include "invite/invite_json.hpp"
#include "invite/letters.hpp"
#include "invite/partner_choice.hpp"

namespace attune::invite {

namespace {

constexpr auto kPollEvery = std::chrono::milliseconds(200);
// A stopping postbox waits this long at most for its close frames to go out
// (a link's own drain timer closes it after 1 s).
constexpr auto kGoodbyeWithin = std::chrono::milliseconds(1200);
// Links whose handshake finished that one postbox keeps at once; the
// partner needs one, two when both dial together (INVITE.md section 1).
constexpr std::size_t kMaxPartnerLinks = 4;

bool usable_letter_id(const std::string& id) {
  return !id.empty() && id.size() <= kMaxIdBytes && crypto::valid_device_id(id);
}

}  // namespace

Postbox::Postbox(asio::io_context& io, InviteStore& store, PostboxConfig config)
    : io_(io),
      store_(store),
      config_(std::move(config)),
      transport_(config_.transport ? config_.transport : net::tcp_transport()),
      pairing_(config_.self, pairing::PairingPolicyConfig{}, identity::system_random()),
      redial_timer_(io),
      poll_timer_(io),
      handshake_timer_(io) {
  // Only the partner's pinned key gets in; no code is ever open here.
  pairing_.set_pinned({{config_.partner.device_id, config_.partner.public_key}});
  ledger_.load({}, store_.taken_ids());
}

Postbox::~Postbox() { stop(); }

std::uint16_t Postbox::port() const { return listener_ ? listener_->port() : 0; }

void Postbox::start() {
  listener_ = transport_->listen(io_, config_.bind_address, config_.port);
  nlohmann::json open = {
      {"event", "postbox_open"}, {"port", port()}, {"partner_device_id", config_.partner.device_id}};
  if (!config_.note.empty()) open["message"] = config_.note;
  event(std::move(open));
  accept_next();
  poll();
  dial();
  const auto key =
      config_.find_on_network ? pair_key(config_.self, config_.partner.public_key) : std::nullopt;
  if (!key) return;
  auto options = config_.finder;
  options.clock = [this] {
    return config_.clock ? config_.clock() : net::read_clock({}).time_since_epoch().count();
  };
  finder_ = std::make_unique<discovery::PartnerFinder>(
      io_, *key, config_.self.public_key(), config_.partner.public_key, port(), std::move(options),
      [this](const std::string& address, std::uint16_t at) { on_found(address, at); });
  if (const std::string problem = finder_->start(); !problem.empty()) spdlog::warn("{}", problem);
}

void Postbox::on_found(const std::string& address, std::uint16_t at) {
  if (address == config_.partner_host && at == config_.partner_port) return;
  config_.partner_host = address;
  config_.partner_port = at;
  event({{"event", "partner_found"}, {"partner_device_id", config_.partner.device_id}});
  dial_failures_ = 0;
  dial();
}

void Postbox::stop() {
  if (stopped_) return;
  stopped_ = true;
  redial_timer_.cancel();
  poll_timer_.cancel();
  handshake_timer_.cancel();
  if (finder_) finder_->stop();
  if (dialing_) dialing_->cancel();
  if (listener_) listener_->close();
  // A graceful close says so (proto/README.md, Closing; INVITE.md section 1):
  // a close frame on every link that has keys; one still in its handshake
  // simply closes.
  auto links = std::move(links_);
  for (auto& [id, link] : links) {
    link.connection->say_goodbye(v1::CLOSE_REASON_GOING_AWAY,
                                 "This device stopped carrying invitations for now.");
    closing_.push_back(link.connection);
  }
}

void Postbox::stop_then(std::function<void()> done) {
  stop();
  wait_closed(std::chrono::steady_clock::now() + kGoodbyeWithin, std::move(done));
}

void Postbox::wait_closed(std::chrono::steady_clock::time_point deadline, std::function<void()> done) {
  std::erase_if(closing_, [](const std::weak_ptr<net::Connection>& link) { return link.expired(); });
  if (closing_.empty() || std::chrono::steady_clock::now() >= deadline) return done();
  redial_timer_.expires_after(std::chrono::milliseconds(10));
  redial_timer_.async_wait([this, deadline, done = std::move(done)](const asio::error_code&) mutable {
    wait_closed(deadline, std::move(done));
  });
}

void Postbox::crash_if(const char* point) const {
  if (config_.crash_at == point) std::raise(SIGKILL);
}

void Postbox::event(nlohmann::json j) {
  if (config_.on_event) config_.on_event(j);
}

void Postbox::accept_next() {
  listener_->async_accept([this](const asio::error_code& ec, std::unique_ptr<net::Stream> stream) {
    if (stopped_ || ec == asio::error::operation_aborted) return;
    if (!ec) admit(std::move(stream));
    accept_next();
  });
}

std::optional<bool> Postbox::partner_still_pinned() {
  if (config_.pins_dir.empty()) return true;
  const auto still = still_pinned(config_.pins_dir, config_.partner);
  if (still) {
    pairing_.set_pinned(*still ? pairing::PinnedKeys{{config_.partner.device_id, config_.partner.public_key}}
                               : pairing::PinnedKeys{});
  }
  return still;
}

void Postbox::admit(std::unique_ptr<net::Stream> stream) {
  partner_still_pinned();  // A forgotten partner's handshake is refused (UNKNOWN_DEVICE).
  const std::uint64_t id = next_id_++;
  pairing_.on_connect(id, stream->source(), net::read_clock({}));
  auto link = std::make_shared<net::Connection>(std::move(stream), net::LinkTiming{});
  links_[id] = Link{link, false, false};
  run(link, id, pairing::SecureLink::for_host(pairing_, id));
  end_late_handshakes();  // Any that gave way to this one, and arms this one's deadline.
}

// HANDSHAKE.md section 7's slots and deadline, as on a session host: a
// handshake past its 15 s, or the oldest one that gave way to a newer one
// (more than 4 from one source, 64 in all), is closed at once.
void Postbox::end_late_handshakes() {
  if (stopped_) return;
  for (const auto id : pairing_.take_timed_out(net::read_clock({}))) {
    const auto it = links_.find(id);
    if (it != links_.end() && !it->second.secure && !it->second.dialed)
      it->second.connection->close("its handshake did not finish in time or gave way to a newer one");
  }
  const auto deadline = pairing_.next_deadline();
  if (!deadline) {
    handshake_timer_.cancel();
    return;
  }
  handshake_timer_.expires_after(std::max(*deadline - net::read_clock({}), TimePoint::duration::zero()));
  handshake_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) end_late_handshakes();
  });
}

// The oldest link with a finished handshake makes way once more than
// kMaxPartnerLinks have one: only the partner's device gets that far, so
// this bounds what even a misbehaving partner can hold open.
void Postbox::keep_partner_links_bounded() {
  std::size_t secure = 0;
  for (const auto& [id, link] : links_) secure += link.secure && !link.retiring ? 1 : 0;
  for (auto it = links_.begin(); it != links_.end() && secure > kMaxPartnerLinks; ++it) {
    if (!it->second.secure || it->second.retiring) continue;
    it->second.retiring = true;
    it->second.connection->say_goodbye(v1::CLOSE_REASON_REPLACED, "A newer link from your device took this one's place.");
    --secure;
  }
}

bool Postbox::dialing_or_linked() const { return dialing_ != nullptr || !links_.empty(); }

void Postbox::dial() {
  if (stopped_ || config_.partner_host.empty() || dialing_or_linked()) return;
  if (partner_still_pinned() == false) return redial_later();  // Forgotten: nobody to dial now.
  dialing_ = transport_->dial(io_, config_.partner_host, config_.partner_port,
                              [this](const asio::error_code& ec, std::unique_ptr<net::Stream> stream) {
                                on_dialed(ec, std::move(stream));
                              });
}

void Postbox::on_dialed(const asio::error_code& ec, std::unique_ptr<net::Stream> stream) {
  if (stopped_) return;
  dialing_.reset();
  if (ec) {
    ++dial_failures_;
    redial_later();
    return;
  }
  const std::uint64_t id = next_id_++;
  auto link = std::make_shared<net::Connection>(std::move(stream), net::LinkTiming{});
  links_[id] = Link{link, false, true};
  auto handshake =
      pairing::JoinerHandshake::with_pin(config_.self, config_.partner, identity::system_random());
  run(link, id, pairing::SecureLink::for_joiner(std::move(handshake)));
}

void Postbox::redial_later() {
  if (stopped_ || config_.partner_host.empty()) return;
  redial_timer_.expires_after(std::chrono::milliseconds(redial_delay_ms(dial_failures_)));
  redial_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) dial();
  });
}

void Postbox::run(std::shared_ptr<net::Connection> link, std::uint64_t id, pairing::SecureLink security) {
  const bool dialed = links_[id].dialed;
  link->secure_with(std::move(security),
                    [this, id](const pairing::HandshakeSuccess& success) { on_secure(id, success); });
  link->start([this, id](const v1::Envelope& e) { on_message(id, e); },
              [this, id](const std::string& reason) { on_closed(id, reason); });
  if (dialed) link->open_handshake();
}

void Postbox::on_secure(std::uint64_t id, const pairing::HandshakeSuccess& success) {
  auto it = links_.find(id);
  if (it == links_.end()) return;
  if (!(success.peer == config_.partner)) {  // Pinned elsewhere, but not this pair's partner.
    it->second.connection->close("not the partner's device");
    return;
  }
  it->second.secure = true;
  keep_partner_links_bounded();
  dial_failures_ = 0;
  if (!reached_) event({{"event", "partner_reached"}, {"partner_device_id", config_.partner.device_id}});
  reached_ = true;
  send_due(true, id);
}

void Postbox::on_closed(std::uint64_t id, const std::string& reason) {
  auto it = links_.find(id);
  if (it == links_.end()) return;
  const auto keep = std::move(it->second.connection);  // Alive until this handler returns.
  const bool was_secure = it->second.secure;
  const bool was_dialed = it->second.dialed;
  links_.erase(it);
  pairing_.on_disconnect(id);  // Its slot is free again (a no-op once its handshake ended).
  if (was_secure && links_.empty()) {
    reached_ = false;
    // said_goodbye: the partner's device closed on purpose (its close frame came).
    event({{"event", "partner_away"},
           {"partner_device_id", config_.partner.device_id},
           {"said_goodbye", keep->peer_goodbye().has_value()}});
  }
  spdlog::debug("postbox link closed: {}", reason);
  if (!was_secure && was_dialed) ++dial_failures_;  // A stranger's failed handshake here is not ours.
  redial_later();
}

void Postbox::on_message(std::uint64_t id, const v1::Envelope& envelope) {
  const auto it = links_.find(id);
  if (it == links_.end() || !it->second.secure || !envelope.has_invite_mail()) return;
  const v1::InviteMail& mail = envelope.invite_mail();
  switch (mail.kind_case()) {
    case v1::InviteMail::kLetter:
      on_letter(id, mail.letter());
      break;
    case v1::InviteMail::kAck:
      on_ack(mail.ack().letter_id());
      break;
    case v1::InviteMail::kRefusal:
      if (letter_bytes_.count(mail.refusal().letter_id()) == 0) {
        // Not a letter waiting here: nothing to tell anyone (INVITE.md, "Which link, and odd mail").
        ++unmatched_answers_;
        spdlog::debug("postbox: dropped a refusal for a letter not waiting here ({} so far)",
                      unmatched_answers_);
        break;
      }
      event({{"event", "letter_refused"},
             {"letter_id", mail.refusal().letter_id()},
             {"message", std::string(utf8_prefix(sanitize_display_text(mail.refusal().message()), 300))}});
      on_ack(mail.refusal().letter_id());
      break;
    case v1::InviteMail::KIND_NOT_SET:
      break;
  }
}

void Postbox::on_letter(std::uint64_t id, const v1::InviteLetter& letter) {
  const std::string& letter_id = letter.letter_id();
  if (!usable_letter_id(letter_id)) return;  // Nothing to acknowledge it by.
  const auto still = partner_still_pinned();
  if (!still)
    return spdlog::warn("A letter from your partner waits: this device's pairings can't be read just now.");
  if (!*still) return refuse_forgotten(id, letter_id);
  std::optional<Invitation> kept;
  InviteStore::TakenIn taken{Arrival::AlreadyHad, std::nullopt};
  crash_if("before_keep");
  try {
    taken = store_.take_in(letter_id, invitation_id_of(letter),
                           [&](const std::optional<Invitation>& current) -> InviteStore::Judgement {
                             auto result = arrived(letter, current, config_.partner.device_id);
                             if (auto* p = std::get_if<Problem>(&result))
                               return InviteStore::Judgement::refused(p->message);
                             // Bounded (INVITE.md section 3): unanswered invitations from the partner.
                             if (letter.has_invitation()) {
                               const auto room =
                                   room_for_received(store_.unanswered_received(config_.partner.device_id));
                               if (room) return InviteStore::Judgement::refused(room->message);
                             }
                             kept = std::get<Invitation>(result);
                             return kept;
                           });
  } catch (const std::exception& e) {
    // Not stored: no ack, so the partner's device sends it again later.
    event({{"event", "invite_error"},
           {"message", std::string("A letter from your partner couldn't be kept yet: ") + e.what()}});
    return;
  }
  const bool fresh = taken.arrival == Arrival::Fresh;
  if (fresh) crash_if("after_keep");
  v1::InviteMail reply;
  if (taken.refusal) {
    // Turned away, now or when it first came: the same answer every time
    // (an ack would tell the sender it was kept). Said here only once.
    reply.mutable_refusal()->set_letter_id(letter_id);
    reply.mutable_refusal()->set_message(*taken.refusal);
    if (fresh) event({{"event", "invite_error"}, {"message", *taken.refusal}});
  } else {
    reply.mutable_ack()->set_letter_id(letter_id);
  }
  send_mail(id, reply);  // Only after the commit above.
  if (!fresh || !kept) return;
  if (letter.has_invitation()) {
    event({{"event", "invitation_received"}, {"invitation", invitation_json(*kept)}});
  } else {
    event({{"event", "invitation_answered"}, {"invitation", invitation_json(*kept)}});
    if (auto appointment = appointment_of(*kept)) event(agreed_event(*appointment));
  }
}

void Postbox::refuse_forgotten(std::uint64_t id, const std::string& letter_id) {
  v1::InviteMail reply;
  reply.mutable_refusal()->set_letter_id(letter_id);
  reply.mutable_refusal()->set_message(
      "This device doesn't keep a pairing with yours any more, so it can't take your letter. Pair again in a "
      "session first.");
  send_mail(id, reply);
  event({{"event", "invite_error"},
         {"message", "A letter came from a device this computer no longer pairs with; it was turned away."}});
  if (const auto it = links_.find(id); it != links_.end())
    it->second.connection->say_goodbye(v1::CLOSE_REASON_REMOVED, "This device no longer pairs with yours.");
}

void Postbox::on_ack(const std::string& letter_id) {
  if (!ledger_.acknowledged(letter_id)) return;
  letter_bytes_.erase(letter_id);
  try {
    store_.acknowledged(letter_id);
  } catch (const std::exception& e) {
    spdlog::warn("could not forget a delivered letter: {}", e.what());  // It goes again; the partner dedups.
  }
  event({{"event", "letter_delivered"}, {"letter_id", letter_id}});
}

void Postbox::poll() {
  if (stopped_) return;
  try {
    for (auto& w : store_.waiting_letters()) {
      if (w.partner_device_id != config_.partner.device_id || letter_bytes_.count(w.letter_id) != 0) continue;
      if (ledger_.add_waiting(w.letter_id)) letter_bytes_[w.letter_id] = std::move(w.bytes);
    }
  } catch (const std::exception& e) {
    spdlog::warn("could not read waiting letters: {}", e.what());
  }
  for (const auto& [id, link] : links_) {
    if (!link.secure || link.retiring) continue;
    send_due(false, id);
    break;  // One link carries the letters; a second one is only a spare.
  }
  poll_timer_.expires_after(kPollEvery);
  poll_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) poll();
  });
}

void Postbox::send_due(bool new_link, std::uint64_t id) {
  const auto now = config_.clock ? config_.clock() : net::read_clock({}).time_since_epoch().count();
  for (const auto& letter_id : ledger_.due(now, new_link)) {
    v1::InviteMail mail;
    if (!mail.mutable_letter()->ParseFromString(letter_bytes_[letter_id])) continue;
    send_mail(id, mail);
  }
}

void Postbox::send_mail(std::uint64_t id, const v1::InviteMail& mail) {
  const auto it = links_.find(id);
  if (it == links_.end()) return;
  v1::Envelope envelope;
  *envelope.mutable_invite_mail() = mail;
  it->second.connection->send(envelope);
}

}  // namespace attune::invite
