// The host's door: accepting links and running each one's handshake under
// the pairing rules (host::HostCore and attune/pairing/host_pairing.hpp
// decide; this carries it out), and the pins file.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "net/host.hpp"

namespace attune::net {

void Host::load_pins() {
  pins_.emplace(config_.data_dir);
  if (auto error = pins_->load()) {
    spdlog::warn("{}", *error);
    if (events_.problem) events_.problem(*error);
  }
  core_.set_pinned(pins_->keys());
}

void Host::admit(std::shared_ptr<Connection> link, const std::string& source) {
  link->limit_unsent(host::kMaxUnsentBytesPerLink);
  auto* raw = link.get();
  const host::LinkId id = next_link_id_++;
  links_.emplace(id, link);
  // `attune devices forget` may have edited the pins meanwhile: a
  // forgotten device must not get back in with its old key.
  if (pins_ && pins_->reload_if_changed()) core_.set_pinned(pins_->keys());
  auto opened = core_.link_opened(id, source, link->remote(), now());
  if (opened.secure) {
    link->secure_with(pairing::SecureLink::for_host(*core_.pairing(), id),
                      [this, id](const pairing::HandshakeSuccess& success) {
                        carry_out(core_.link_secured(id, success, now()));
                      });
  }
  link->start(
      [this, id, raw](const v1::Envelope& envelope) {
        carry_out(core_.message(id, envelope, raw->last_message_repaired(), now()));
      },
      [this, id, raw](const std::string& reason) { on_closed(id, raw, reason); });
  carry_out(std::move(opened.actions));
}

void Host::on_closed(host::LinkId id, Connection* link, const std::string& reason) {
  auto it = links_.find(id);
  if (it == links_.end()) return;
  // Keep the Connection alive until this handler returns.
  const auto keep = std::move(it->second);
  links_.erase(it);
  // How long the device has been silent (the core's grace counts from it).
  const auto silent_for = std::chrono::steady_clock::now() - link->last_heard();
  note_draining_links();
  carry_out(core_.link_closed(id, host::LinkEnd{reason, link->faulted(), silent_for}, now()));
}

void Host::note_draining_links() {
  for (const auto& [id, link] : links_) {
    if (!link->is_open()) core_.link_closing(id);
  }
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
    admit(std::make_shared<Connection>(std::move(stream), config_.timing), source);
    accept_next();
  });
}

}  // namespace attune::net
