// The host's door: accepting links, running each one's handshake under the
// pairing rules (attune/pairing/host_pairing.hpp decides; this carries it
// out), saving pins, and closing handshakes that ran out of time or gave
// way to a newer one.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "identity/system_random.hpp"
#include "net/host.hpp"

namespace attune::net {

using pairing::free_seats;

void Host::start_pairing() {
  pins_.emplace(config_.data_dir);
  if (auto error = pins_->load()) {
    spdlog::warn("{}", *error);
    if (events_.problem) events_.problem(*error);
  }
  pairing::PairingPolicyConfig policy;
  if (config_.code_lifetime) policy.code_lifetime = *config_.code_lifetime;
  pairing_.emplace(config_.identity, policy, identity::system_random());
  pairing_->set_pinned(pins_->keys());
  // A code for newcomers while seats are free; paired devices reconnect
  // with their pinned keys and need none.
  if (const int free = free_seats(state_); free > 0) pairing_->policy().open_code(free, wall_now());
  drain_pairing_events();
}

std::optional<std::string> Host::open_new_code() {
  if (!pairing_) return std::string("This session doesn't use codes, so there's no new one to make.");
  if (auto refusal = pairing::new_code_refusal(state_)) return refusal;
  // Replaces any open code at once; the policy's rate limits and wrong-code
  // count carry on as for any code.
  pairing_->policy().open_code(free_seats(state_), wall_now());
  drain_pairing_events();
  return std::nullopt;
}

void Host::drain_pairing_events() {
  if (!pairing_) return;
  for (const auto& event : pairing_->policy().take_events()) {
    spdlog::info("pairing: {}", pairing::user_message(event));
    if (events_.pairing) events_.pairing(event);
  }
  arm_pairing_timer();
}

void Host::close_timed_out_handshakes() {
  if (!pairing_) return;
  const auto ids = pairing_->take_timed_out(wall_now());
  if (ids.empty()) return;
  // Closing edits peers_, so collect first.
  std::vector<std::shared_ptr<Connection>> links;
  for (auto& [link, peer] : peers_) {
    if (std::find(ids.begin(), ids.end(), peer.connection_id) != ids.end()) links.push_back(peer.link);
  }
  for (auto& link : links) link->close("its handshake did not finish in time or gave way to a newer one");
}

void Host::arm_pairing_timer() {
  // The code's expiry and every handshake's hard deadline.
  const auto deadline = pairing_ ? pairing_->next_deadline() : std::nullopt;
  if (!deadline) {
    pairing_timer_.cancel();
    return;
  }
  const auto delay = std::chrono::milliseconds(std::max<int64_t>(0, to_ms(*deadline) - to_ms(wall_now())));
  pairing_timer_.expires_after(delay);
  pairing_timer_.async_wait([this](const asio::error_code& ec) {
    if (ec || stopped_ || !pairing_) return;
    pairing_->policy().tick(wall_now());
    close_timed_out_handshakes();
    drain_pairing_events();
  });
}

void Host::on_secure(Connection* link, const pairing::HandshakeSuccess& success) {
  auto it = peers_.find(link);
  if (it == peers_.end()) return;
  it->second.proven_id = success.peer.device_id;
  if (success.mode == v1::PAIRING_MODE_CODE && pins_) {
    if (auto error = pins_->pin(success.peer, to_ms(wall_now())))
      spdlog::warn("could not save a pin: {}", *error);
  }
  drain_pairing_events();
}

void Host::accept_next() {
  listener_->async_accept([this](const asio::error_code& ec, std::unique_ptr<Stream> stream) {
    if (stopped_) return;
    if (ec) {
      if (ec != asio::error::operation_aborted) {
        spdlog::warn("could not accept a link: {}", ec.message());
        accept_next();
      }
      return;
    }
    const std::string source = stream->source();
    auto link = std::make_shared<Connection>(std::move(stream), config_.timing);
    link->limit_unsent(host::kMaxUnsentBytesPerLink);
    auto* raw = link.get();
    const pairing::ConnectionId id = next_connection_id_++;
    peers_.emplace(raw, Peer{link, {}, id, {}});
    std::optional<v1::HandshakeMessage> refusal;
    if (pairing_) {
      // `attune devices forget` may have edited the pins meanwhile: a
      // forgotten device must not get back in with its old key.
      if (pins_ && pins_->reload_if_changed()) pairing_->set_pinned(pins_->keys());
      refusal = pairing_->on_connect(id, source, wall_now());
      if (!refusal) {
        link->secure_with(pairing::SecureLink::for_host(*pairing_, id),
                          [this, raw](const pairing::HandshakeSuccess& success) { on_secure(raw, success); });
      }
    }
    link->start([this, raw](const v1::Envelope& envelope) { on_message(raw, envelope); },
                [this, raw](const std::string& reason) { on_closed(raw, reason); });
    if (refusal) {
      v1::Envelope reply;
      *reply.mutable_handshake() = *refusal;
      link->send_and_close(reply, "too many attempts from " + link->remote() + " for now");
    }
    close_timed_out_handshakes();  // Those that gave way to this one.
    drain_pairing_events();        // Arms the timer for this handshake's deadline.
    accept_next();
  });
}

}  // namespace attune::net
