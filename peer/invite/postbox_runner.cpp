#include "invite/postbox_runner.hpp"

#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <fstream>
#include <optional>
#include <thread>

#include "attune/crypto/sodium_init.hpp"
#include "attune/discovery/join_target.hpp"
#include "identity/device_key_store.hpp"
#include "identity/port_file.hpp"
#include "identity/system_random.hpp"
#include "invite/outgoing.hpp"
#include "invite/partner_choice.hpp"
#include "invite/postbox.hpp"

namespace attune::invite {

namespace fs = std::filesystem;

fs::path postbox_port_file(const fs::path& data_dir) { return data_dir / "postbox-port"; }

namespace {

std::uint16_t remembered_port(const fs::path& data_dir) {
  return identity::read_port_file(postbox_port_file(data_dir)).value_or(0);  // A bad file: any free port.
}

}  // namespace

struct PostboxRunner::Impl {
  PostboxRunnerOptions options;
  asio::io_context io;
  asio::steady_timer again{io};
  std::unique_ptr<InviteStore> store;
  std::unique_ptr<Postbox> postbox;
  std::thread thread;
  bool said_no_store = false;
  bool said_no_port = false;
  std::optional<crypto::PeerIdentity> serving;  // The partner the running postbox serves.
  std::uint16_t listened_on = 0;  // Kept across a switch, so the partner's remembered address stays right.
  bool switched = false;          // The pins changed: say whom the next postbox serves.
  std::string serving_words;      // now_serving_words for the partner being opened for.

  explicit Impl(PostboxRunnerOptions o) : options(std::move(o)) {}

  void later() {
    again.expires_after(options.look_again);
    again.async_wait([this](const asio::error_code& ec) {
      if (!ec) try_open();
    });
  }

  std::optional<PostboxConfig> config_for_partner() {
    const auto partner = postbox_partner(options.data_dir);
    if (const auto* p = std::get_if<Problem>(&partner)) {
      spdlog::debug("postbox waits: {}", p->message);  // No paired partner yet: nothing to carry.
      return std::nullopt;
    }
    crypto::init_crypto();
    const auto key = identity::load_or_create_device_key(options.data_dir, identity::system_random());
    if (!key.identity) {
      spdlog::warn("Invitations can't go out yet: {}", key.error);
      return std::nullopt;
    }
    PostboxConfig config(*key.identity, std::get<Partner>(partner).peer);
    serving_words = now_serving_words(std::get<Partner>(partner));
    config.note = std::get<Partner>(partner).note;
    if (!config.note.empty()) spdlog::warn("{}", config.note);
    config.pins_dir = options.data_dir;
    config.bind_address = options.bind_address;
    const std::string address = store->partner_address(config.partner.device_id);
    if (!address.empty()) {
      const auto target = discovery::parse_join_target(address);
      if (target.error.empty()) {
        config.partner_host = target.host;
        config.partner_port = target.port;
      }
    }
    config.find_on_network = options.find_on_network;
    config.finder = options.finder;
    config.on_event = options.on_event;
    return config;
  }

  // While the postbox runs: when pairing changes who the partner is (one
  // forgotten, a new one paired), the postbox closes and opens for the new
  // one (follow_pins decides; `attune invite serve` asks it the same way).
  void watch() {
    again.expires_after(options.look_again);
    again.async_wait([this](const asio::error_code& ec) {
      if (ec || !postbox) return;
      const auto step = follow_pins(serving, postbox_choice(options.data_dir, ""));
      if (step == PostboxStep::Keep) return watch();
      spdlog::info("Your pairings changed, so invitations now follow them.");
      switched = true;
      postbox->stop_then([this] {
        asio::post(io, [this] {
          postbox.reset();
          serving.reset();
          try_open();
        });
      });
    });
  }

  // Listens on `port`; false (the postbox let go) if it can't.
  bool listen(const PostboxConfig& base, std::uint16_t port, std::string* why) {
    PostboxConfig config = base;
    config.port = port;
    postbox = std::make_unique<Postbox>(io, *store, std::move(config));
    try {
      postbox->start();
      spdlog::info("Invitations from your partner arrive on port {}.", postbox->port());
      if (switched) spdlog::info("{}", serving_words);
      switched = false;
      serving = base.partner;
      listened_on = postbox->port();
      watch();
      return true;
    } catch (const std::system_error& e) {
      *why = e.code().message();
      postbox.reset();
      return false;
    }
  }

  void try_open() {
    if (!store) {
      std::string error;
      store = InviteStore::open(options.data_dir, &error);
      if (!store) {
        if (!said_no_store) spdlog::warn("Invitations can't be carried yet: {}", error);
        said_no_store = true;
        return later();
      }
    }
    const auto config = config_for_partner();
    if (!config) return later();
    const std::uint16_t wanted = listened_on != 0 ? listened_on : remembered_port(options.data_dir);
    std::string why;
    if (wanted != 0 && listen(*config, wanted, &why)) return;
    if (wanted != 0)
      spdlog::warn("Port {}, where invitations usually arrive, is busy ({}); another port is used for now.",
                   wanted, why);
    if (listen(*config, 0, &why)) {
      if (wanted == 0)
        if (const auto problem = identity::write_port_file(postbox_port_file(options.data_dir), postbox->port()))
          spdlog::debug("postbox port not remembered: {}", *problem);
      return;
    }
    if (!said_no_port)
      spdlog::warn("Invitations can't be carried yet: no port to listen on ({}). Trying again shortly.", why);
    said_no_port = true;
    later();
  }

  void run() {
    auto guard = asio::make_work_guard(io);
    asio::post(io, [this] { try_open(); });
    try {
      io.run();
    } catch (const std::exception& e) {
      spdlog::warn("Invitations stopped being carried: {}", e.what());
    }
    if (postbox) postbox->stop();
  }
};

PostboxRunner::PostboxRunner(PostboxRunnerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

PostboxRunner::~PostboxRunner() { stop(); }

void PostboxRunner::start() {
  if (impl_->thread.joinable()) return;
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

void PostboxRunner::stop() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->again.cancel();
    // The partner hears a close frame, not a cut-off link (INVITE.md, section 1).
    if (!impl->postbox) return impl->io.stop();
    impl->postbox->stop_then([impl] { impl->io.stop(); });
  });
  impl_->thread.join();
  impl_->postbox.reset();
  impl_->store.reset();
}

}  // namespace attune::invite
