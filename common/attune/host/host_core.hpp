// The host's rules as a sans-I/O state machine (issue 11, item 1). It owns
// the session state and its sequence number, the memory of answered
// intents, the per-device limits, the frame budget, the coach relay rule,
// the seats <-> pairing code rule and the silence grace; net::Host owns the
// sockets, the store, the pins file and the timers, and carries out what
// each call here returns (host_actions.hpp). Nothing here reads a clock:
// every input brings `now`.
//
// Inputs: a link opened, secured or closed; a message from a link (already
// authenticated and decoded); the host's own user's intents; a timer that
// fired. Outputs: store writes, messages per link (each recipient's view
// redacted by view_for), timers to arm or cancel, pairing-code events and
// links to close.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attune/crypto/coach_seal.hpp"
#include "attune/engine.hpp"
#include "attune/host/device_limits.hpp"
#include "attune/host/host_actions.hpp"
#include "attune/host/intent_memory.hpp"
#include "attune/pairing/host_pairing.hpp"

namespace attune::host {

struct HostCoreConfig {
  std::string device_id;
  std::string display_name;
  v1::Role role = v1::ROLE_PARTNER_A;
  std::string session_name;
  std::string app_version;
  // A device whose link closed counts as away once it has been silent this long.
  std::chrono::milliseconds silence{5000};
  DeviceLimitsConfig intent_limits;
  // SealedCoachLevel relays per device: a bucket of their own, of the same
  // shape (proto/README.md, "Ratings for the coach", small print).
  DeviceLimitsConfig level_limits;
  // The host's own device key, named as the coach's key when the host is the coach.
  std::optional<crypto::PublicKey> device_key;
  // A session started for one paired partner ("Start now" on a reminder):
  // that device id. Its Join is let in at once when its link proved the key
  // pinned for it (a pinned handshake); every other device waits for "Let in".
  std::string expected_partner;
};

// What the host's store held at start-up.
struct StoredHost {
  std::uint64_t seq = 0;
  State state;
  // Intent id -> its first answer, in any order.
  std::vector<std::pair<std::string, IntentAnswer>> answers;
  std::vector<std::string> declined;
};

// How a link ended, as the shell saw it.
struct LinkEnd {
  std::string reason;
  bool faulted = false;                    // The other side sent something broken.
  std::chrono::nanoseconds silent_for{0};  // Since the link last heard anything.
};

class HostCore {
 public:
  // Without `pairing` the host speaks in clear (only setups that predate pairing).
  HostCore(HostCoreConfig config, std::optional<pairing::HostPairing> pairing);

  // Resumes `stored`, or begins a new session called `new_session_id`.
  Actions resume_or_begin(std::optional<StoredHost> stored, std::string new_session_id, TimePoint now);
  // Listening: watches devices that were connected, re-arms a running
  // pause and shows the host its view.
  Actions open(TimePoint now);
  // Opens a code while seats are free (after set_pinned at start-up).
  Actions invite(TimePoint now);
  // The host stops: a goodbye on every link; later inputs do nothing.
  Actions stop();

  // Pins on disk changed (or were loaded): the keys that may skip the code.
  void set_pinned(pairing::PinnedKeys keys);
  // A link was accepted from `source` (see HostPairing::on_connect);
  // `remote` names it in words. `secure` says whether to run the handshake.
  struct Opened {
    bool secure = false;
    Actions actions;  // Carry out after the link started.
  };
  Opened link_opened(LinkId link, std::string_view source, std::string remote, TimePoint now);
  Actions link_secured(LinkId link, const pairing::HandshakeSuccess& success, TimePoint now);
  Actions link_closed(LinkId link, const LinkEnd& end, TimePoint now);
  // The link stopped taking messages and is draining (it closes soon): its
  // device no longer counts as present through it.
  void link_closing(LinkId link);
  // One message; `repaired` when its text wasn't UTF-8 and had to be mended to be read.
  Actions message(LinkId link, const v1::Envelope& envelope, bool repaired, TimePoint now);
  // The host's own user.
  Actions local_intent(const std::string& intent_id, const Intent& intent, TimePoint now);
  // The host's own user checked in and shares with coaches: sealed to each
  // admitted coach's proven key (crypto/coach_seal.hpp) and relayed.
  Actions local_level(const v1::CoachLevel& level, const crypto::RandomFn& random);
  // Replaces any open code; returns why not (a sentence) instead.
  std::optional<std::string> open_new_code(TimePoint now, Actions& out);
  Actions timer_fired(const TimerKey& key, TimePoint now);
  // The answer to `gated`: whether the store kept it.
  Actions stored(bool saved);

  // For the shell's handshake plumbing (SecureLink::for_host).
  pairing::HostPairing* pairing() { return pairing_ ? &*pairing_ : nullptr; }
  const State& state() const { return state_; }
  std::uint64_t seq() const { return seq_; }
  // SealedCoachLevel messages dropped for coming too fast (never relayed).
  std::uint64_t levels_dropped() const { return levels_dropped_; }

 private:
  struct Link {
    std::string remote;
    std::string device_id;  // Set by Hello.
    std::string proven_id;  // The device id proven in the secure handshake.
    bool closing = false;   // The core asked the shell to close it.
    bool pinned = false;    // Proven by a pinned handshake (no code).
  };
  // What the core waits on while a gated write is stored.
  struct Pending {
    std::string intent_id;
    std::optional<LinkId> origin;  // nullopt: the host's own user (or the shell).
    Actor actor;
    Intent intent;
    Result result;
    TimePoint now;
  };

  // Links (host_core_links.cpp).
  void on_hello(LinkId id, Link& link, const v1::Hello& hello, Actions& out, TimePoint now);
  std::optional<std::string> hello_problem(const Link& link, const v1::Hello& hello) const;
  void close_link(LinkId id, Actions& out, Action action);
  bool has_live_link(const std::string& device_id) const;
  void watch_presence(const std::string& device_id, std::chrono::nanoseconds after, Actions& out);
  void presence_due(const std::string& device_id, Actions& out, TimePoint now);
  void relay_level(const std::string& from_id, v1::SealedCoachLevel sealed, Actions& out);
  // A partner's SealedCoachLevel: relayed, or dropped past its bucket.
  void on_sealed_level(const std::string& from_id, const v1::SealedCoachLevel& sealed, Actions& out,
                       TimePoint now);
  // view_for, with each coach's proven device key filled in (coach relay).
  State view_of(std::string_view device_id) const;
  // Intents and changes (host_core.cpp).
  void process(const Actor& actor, const std::string& intent_id, const Intent& intent,
               std::optional<LinkId> origin, Actions& out, TimePoint now);
  std::optional<v1::Refusal> at_the_door(const Actor& actor, const Intent& intent, bool remote,
                                         TimePoint now);
  void answer_refused(std::optional<LinkId> origin, const std::string& intent_id, const v1::Refusal& refusal,
                      Actions& out);
  void answer_acked(std::optional<LinkId> origin, const std::string& intent_id, std::uint64_t seq,
                    Actions& out);
  // `admit`: also let that expected partner in, in the same change (see below).
  void apply_shell(const Intent& intent, Actions& out, TimePoint now, const std::string& admit = {});
  // Whether `link` proved, by a pinned handshake, the partner this session was started for.
  bool is_expected(const Link& link) const;
  // The host partner's yes for `device_id`, folded into `result` (stored as
  // one change with it); false when the engine would not take it.
  bool fold_admission(const std::string& device_id, Result& result, TimePoint now) const;
  void gate_change(Pending pending, Actions& out);
  void committed(Pending& pending, Actions& out);
  void broadcast(const std::string& cause, std::optional<LinkId> origin, const v1::Envelope* origin_extra,
                 Actions& out, TimePoint now);
  void run_effects(const std::vector<Effect>& effects, Actions& out, TimePoint now);
  void schedule_engine_timer(std::int64_t due_ms, Actions& out, TimePoint now);
  // Pairing (host_core_pairing.cpp).
  void drain_pairing_events(Actions& out, TimePoint now);
  void close_timed_out_handshakes(Actions& out, TimePoint now);

  HostCoreConfig config_;
  std::optional<pairing::HostPairing> pairing_;
  bool stopped_ = false;
  State state_;
  std::uint64_t seq_ = 0;
  IntentMemory answered_;             // Bounded: resends get their first answer.
  DeviceLimits limits_;               // Intent rate per device; declined devices.
  DeviceLimits level_limits_;         // SealedCoachLevel rate per device.
  std::uint64_t levels_dropped_ = 0;  // Ratings past level_limits_, never relayed.
  std::map<LinkId, Link> links_;
  // Device id -> the key it last proved in a handshake with this host.
  std::map<std::string, crypto::PublicKey, std::less<>> proven_keys_;
  std::optional<Pending> pending_;
};

}  // namespace attune::host
