// The joining side of a session: connects to the host, says Hello with the
// last sequence it applied, takes the snapshot it is sent, resends every
// intent the host has not acknowledged, and reconnects by itself with
// jittered backoff when the link drops. It shows only what the host
// replicated; intents wait in a durable outbox until acknowledged.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "attune/crypto/coach_seal.hpp"
#include "attune/crypto/device_identity.hpp"
#include "attune/engine.hpp"
#include "attune/join/outbox.hpp"
#include "attune/join/retry_schedule.hpp"
#include "identity/pinned_peer_store.hpp"
#include "net/connection.hpp"
#include "net/dial_race.hpp"
#include "net/replica_events.hpp"
#include "net/transport.hpp"
#include "store/store.hpp"

namespace attune::net {

// What to do when this start's first dial fails at every address (JoinerConfig::first_dial_failed).
struct DialFallback {
  std::string host;  // Set: dial this host and port at once instead.
  uint16_t port = 0;
  std::string stop_words;  // Set (and no host): stop; the link goes Offline with these words.
};

struct JoinerConfig {
  explicit JoinerConfig(crypto::DeviceIdentity key) : identity(std::move(key)) {}
  // This device's key: the joiner proves it in every handshake.
  crypto::DeviceIdentity identity;
  // Where the host is: host:port first, then the other places it may be
  // (an invite's other addresses and names), in the order to try them.
  std::string host;
  uint16_t port = 0;
  std::vector<DialAddress> more_addresses;
  std::string device_id;
  std::string display_name;
  v1::Role role = v1::ROLE_PARTNER_B;
  std::string app_version;
  uint32_t protocol_version = 0;  // 0: this build's version (tests may pretend otherwise).
  LinkTiming timing;
  std::chrono::milliseconds backoff_cap = join::kLiveRetryCap;  // While a session is live.
  std::chrono::milliseconds first_contact_cap =
      join::kFirstContactRetryCap;  // Before this device ever joined.
  // RATE_LIMITED: the host's retry_after_seconds is waited out, but never
  // longer than this, so a host can't park a device with a huge value.
  std::chrono::seconds rate_limit_wait_cap{300};
  // A dial nothing answers (a black-holed address) gives up after this and
  // counts as a failed dial, like a refusal. Each address has its own.
  std::chrono::milliseconds dial_timeout{10'000};
  // With several addresses, the next is dialed when one fails, or after
  // this while it is still waiting (net/dial_race.hpp); the first to answer wins.
  std::chrono::milliseconds dial_stagger{250};
  // After the handshake and the Hello, a host answers with its Welcome at
  // once. Without one by then, what answered is no session (a partner's
  // postbox, say, which ignores a Hello and keeps the link alive with
  // heartbeats): the link is closed, the person told, and the dial retried.
  std::chrono::milliseconds welcome_timeout{10'000};
  std::chrono::milliseconds save_delay{100};  // Snapshot saves are coalesced.
  std::chrono::milliseconds outbox_delay{2};  // Unanswered intents go to disk after this.
  // Where pins live, and the code the person typed (first pairing only;
  // reconnects use the pinned host key).
  std::filesystem::path data_dir;
  std::string code;
  // "Start now": the paired partner's device id; the pinned handshake
  // expects that pin rather than the host pin. Empty: the host pin.
  std::string pinned_host_id;
  // The address wasn't tied to the host pin beforehand (a session picked
  // nearby at another machine): pair with the code, never show the pinned
  // proof there (HANDSHAKE.md section 5).
  bool code_first = false;
  std::shared_ptr<Transport> transport;  // How to reach the host; null: TCP.
  // Called on the io thread when this start's first dial fails (refused,
  // unreachable, timed out) at every address; never for a later one:
  // "Start now" looks at the network once more there. Null, or an empty
  // answer: retry after the backoff, as always.
  std::function<DialFallback()> first_dial_failed;
};

class Joiner {
 public:
  Joiner(asio::io_context& io, store::Store& store, JoinerConfig config, ReplicaEvents events);
  ~Joiner();

  // Shows the stored snapshot at once (if any), then connects.
  void start();
  void stop();

  // Stores the intent in the outbox, then sends it if the link is up.
  void submit(const std::string& intent_id, const Intent& intent);
  void send_level(const v1::CoachLevel& level);
  // The coach keys this partner seals to (the Node feeds it the person's
  // comparisons of check numbers, and the matches kept from earlier sessions).
  crypto::CoachKeyWatch& coach_watch() { return coach_keys_; }

  const State& state() const { return state_; }
  const std::string& session_id() const { return session_id_; }
  // Answers (acks, refusals) that matched no intent waiting here: dropped
  // unshown (proto/README.md, "Answers to intents").
  std::uint64_t unmatched_answers() const { return unmatched_answers_; }

 private:
  void load_outbox();
  // Connecting, one named step per callback: find the host, reach it, then
  // run the handshake (pinned key, or the typed code) on the new link.
  void connect();
  void on_dialed(DialRace::Result result);
  // No address answered; `first_failed`: this start's first_dial_failed, if still to be asked.
  void on_dial_failed(const DialRace::Result& result, const std::function<DialFallback()>& first_failed);
  // Tries again after the backoff, or after `at_least` when that is longer.
  void schedule_retry(const std::string& why, std::chrono::milliseconds at_least = {});
  // The host answered RATE_LIMITED and asked for `retry_after_seconds`.
  void wait_out_rate_limit(std::uint32_t retry_after_seconds);
  // An answer for `intent_id`, which nothing here is waiting for: true
  // when it is dropped (logged at debug, counted), never shown.
  bool unmatched(const char* what, const std::string& intent_id);
  void on_message(const v1::Envelope& envelope);
  void on_closed(const std::string& reason);
  // The host's close frame arrived; true when this device stops here.
  bool on_goodbye(const v1::Close& goodbye);
  void on_welcome(const v1::Welcome& welcome);
  void on_refused(const v1::IntentRefused& refused);
  void on_snapshot(const v1::Snapshot& snapshot);
  void on_sealed_coach_level(const v1::SealedCoachLevel& sealed);
  void on_error(const v1::Error& error);
  void take_state(uint64_t seq, const State& state, const std::string& cause);
  void settled(bool needs_disk_removal);
  void send_submit(const std::string& intent_id, const Intent& intent);
  void send_all(const std::vector<const join::Entry*>& entries);
  void arm_outbox_write();
  void flush_outbox();
  void drop_outbox();
  void schedule_save();
  void save_now();
  std::string endpoint_text() const;
  // What the person reads when the link gave no Welcome in time.
  std::string no_welcome_words() const;
  void send_hello();
  // Arms the Welcome deadline for the link just secured (welcome_timeout).
  void await_welcome();
  void on_secure(const pairing::HandshakeSuccess& success, bool code_mode);

  asio::io_context& io_;
  store::Store& store_;
  JoinerConfig config_;
  ReplicaEvents events_;
  asio::steady_timer retry_timer_;
  asio::steady_timer save_timer_;
  asio::steady_timer outbox_timer_;
  asio::steady_timer welcome_timer_;
  std::shared_ptr<Connection> link_;
  // Where the host may be, the one that answered last first (reconnects try it first).
  std::vector<DialAddress> addresses_;
  std::shared_ptr<DialRace> dialing_;
  std::mt19937 rng_;

  bool stopped_ = false;
  bool welcomed_ = false;
  bool no_welcome_ = false;  // The link closing now gave no Welcome in time.
  bool ever_welcomed_ = false;
  bool save_armed_ = false;
  bool outbox_armed_ = false;
  bool dirty_ = false;
  int attempt_ = 0;
  std::vector<std::string> typed_joins_;  // Joins the person asked for (submit), not the automatic one.
  std::uint64_t unmatched_answers_ = 0;
  std::string session_id_;
  uint64_t seq_ = 0;
  State state_;
  // Every intent not answered yet, each with its status (attune/join/outbox.hpp).
  join::Outbox outbox_;
  int code_protocol_failures_ = 0;  // Code-mode handshake protocol errors in a row.
  std::optional<identity::PinnedPeerStore> pins_;
  bool use_code_ = false;  // The pinned host turned us away; try the typed code next.
  bool last_try_pinned_ = false;
  // Coach ratings (crypto/coach_seal.hpp): the keys this partner seals to,
  // checked against the host's proven key; and, on a coach, the door for them.
  crypto::CoachKeyWatch coach_keys_;
  crypto::CoachInbox coach_inbox_;
};

}  // namespace attune::net
