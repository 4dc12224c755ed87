// The postbox: carries repair invitations and answers between this device
// and its partner's paired device, and takes in what the partner sends. It
// listens on a port, and dials the partner's remembered address whenever no
// link is open, so delivery happens as soon as both devices run and can
// reach each other. Every link is the pinned-key handshake
// (proto/HANDSHAKE.md, 3.2) and then sealed frames; a device that isn't the
// pinned partner never gets past the handshake.
//
// Exactly once (common/attune/invite/ledger.hpp): a letter waits in the store
// until its ack; an arrived letter is stored with its id in one synced
// transaction before the ack goes out.
//
// Runs on the io_context it is given; every call from that thread.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "attune/crypto/device_identity.hpp"
#include "attune/invite/ledger.hpp"
#include "attune/pairing/host_pairing.hpp"
#include "discovery/partner_finder.hpp"
#include "invite/invite_store.hpp"
#include "net/connection.hpp"
#include "net/transport.hpp"

namespace attune::invite {

struct PostboxConfig {
  PostboxConfig(crypto::DeviceIdentity self_identity, crypto::PeerIdentity partner_identity)
      : self(std::move(self_identity)), partner(std::move(partner_identity)) {}
  crypto::DeviceIdentity self;
  crypto::PeerIdentity partner;
  std::string bind_address = "0.0.0.0";
  std::uint16_t port = 0;            // 0: any free port.
  std::string partner_host;          // The remembered address; empty: wait to be reached.
  std::uint16_t partner_port = 0;
  std::shared_ptr<net::Transport> transport;  // Empty: TCP.
  std::function<int64_t()> clock;             // UTC ms.
  // Where the pins live: read again on each incoming link and each arriving
  // letter, so a partner forgotten meanwhile is turned away. Empty: never.
  std::filesystem::path pins_dir;
  // Said in postbox_open (`message`) when set: why this partner (partner_choice.hpp).
  std::string note;
  // One JSON event per thing a person would want to know (see
  // invite_event_list() in cli/invite_command.hpp).
  std::function<void(const nlohmann::json&)> on_event;
  // Tests: die by SIGKILL at a point of the exchange ("before_keep": a letter
  // arrived, nothing stored yet; "after_keep": stored, not yet acknowledged).
  std::string crash_at;
  // Announce a partner beacon and listen for the partner's on the local
  // network (discovery/partner_finder.hpp); off: only the address is dialed.
  bool find_on_network = true;
  discovery::PartnerFinderOptions finder;
};

class Postbox {
 public:
  Postbox(asio::io_context& io, InviteStore& store, PostboxConfig config);
  ~Postbox();
  Postbox(const Postbox&) = delete;
  Postbox& operator=(const Postbox&) = delete;

  // Listens and starts dialing. Throws std::system_error if it can't listen.
  void start();
  // Closes every link with a close frame (proto/README.md, Closing).
  void stop();
  // stop(), then `done` once the close frames went out (at most about a second).
  void stop_then(std::function<void()> done);
  std::uint16_t port() const;
  // Refusals for letters not waiting here: dropped unshown, counted.
  std::uint64_t unmatched_answers() const { return unmatched_answers_; }

 private:
  void accept_next();
  void admit(std::unique_ptr<net::Stream> stream);
  void dial();
  void on_dialed(const asio::error_code& ec, std::unique_ptr<net::Stream> stream);
  void redial_later();
  void run(std::shared_ptr<net::Connection> link, std::uint64_t id, pairing::SecureLink security);
  void on_secure(std::uint64_t id, const pairing::HandshakeSuccess& success);
  void on_message(std::uint64_t id, const v1::Envelope& envelope);
  void on_closed(std::uint64_t id, const std::string& reason);
  void on_letter(std::uint64_t id, const v1::InviteLetter& letter);
  void on_ack(const std::string& letter_id);
  // The pins, read again: false (and new handshakes refused) once the
  // partner was forgotten; nullopt when they can't be read just now.
  std::optional<bool> partner_still_pinned();
  void refuse_forgotten(std::uint64_t id, const std::string& letter_id);
  void poll();
  void end_late_handshakes();
  void keep_partner_links_bounded();
  void send_due(bool new_link_id_only, std::uint64_t id);
  void send_mail(std::uint64_t id, const v1::InviteMail& mail);
  void event(nlohmann::json j);
  void crash_if(const char* point) const;
  bool dialing_or_linked() const;
  void on_found(const std::string& address, std::uint16_t port);
  void wait_closed(std::chrono::steady_clock::time_point deadline, std::function<void()> done);

  asio::io_context& io_;
  InviteStore& store_;
  PostboxConfig config_;
  std::shared_ptr<net::Transport> transport_;
  std::unique_ptr<net::Listener> listener_;
  std::unique_ptr<net::Dialing> dialing_;
  pairing::HostPairing pairing_;
  asio::steady_timer redial_timer_;
  asio::steady_timer poll_timer_;
  asio::steady_timer handshake_timer_;  // The next handshake deadline.
  Ledger ledger_;
  std::map<std::string, std::string> letter_bytes_;  // Waiting letters by id.
  struct Link {
    std::shared_ptr<net::Connection> connection;
    bool secure = false;
    bool dialed = false;
    bool retiring = false;  // Made way for a newer link; saying goodbye.
  };
  std::map<std::uint64_t, Link> links_;
  std::vector<std::weak_ptr<net::Connection>> closing_;  // Saying goodbye after stop().
  std::unique_ptr<discovery::PartnerFinder> finder_;
  std::uint64_t next_id_ = 1;
  int dial_failures_ = 0;
  std::uint64_t unmatched_answers_ = 0;
  bool reached_ = false;
  bool stopped_ = false;
};

}  // namespace attune::invite
