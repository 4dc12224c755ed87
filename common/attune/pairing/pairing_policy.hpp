// The host's rules for codes and attempts, as a pure state machine with time
// passed in:
//  - a code lives 10 minutes, or until the open seats are filled by devices
//    that joined the session (the host reports the roster; pairing alone
//    takes no seat);
//  - after 5 wrong codes the code is replaced and the host's user is told;
//  - each source address may try a code about 5 times a minute (token bucket, kept
//    as a "theoretical arrival time" per address), with bounded memory; an
//    attempt that ends in a proven device (right code or pinned key) is
//    given back, so only failed and unfinished attempts count.
// Every code has a generation number. A guess is judged only against the
// generation it started with, so guesses racing a rotation cannot add up to
// more than max_wrong_codes tries against any one code.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attune/crypto/sodium_init.hpp"
#include "attune/engine.hpp"
#include "attune/pairing/handshake.hpp"

namespace attune::pairing {

struct PairingPolicyConfig {
  std::chrono::milliseconds code_lifetime = std::chrono::minutes(10);
  int max_wrong_codes = 5;
  int attempts_per_source = 5;                                        // Bucket size.
  std::chrono::milliseconds refill_every = std::chrono::seconds(12);  // One attempt back per interval.
  std::size_t max_sources = 256;  // Addresses remembered at once; beyond it they share one bucket.
};

enum class PolicyEventKind {
  CodeOpened,   // A new code is showing (code set).
  CodeRotated,  // Too many wrong codes: a new one replaced it (code set).
  CodeExpired,  // Ten minutes passed; no code is open.
  SeatsFilled,  // Every seat is taken; no code is open.
};

struct PolicyEvent {
  PolicyEventKind kind;
  std::string code;  // The new code for CodeOpened and CodeRotated.

  friend bool operator==(const PolicyEvent&, const PolicyEvent&) = default;
};

// What the host's screen says about an event.
std::string user_message(const PolicyEvent& event);

// Seats a newcomer could still take: a missing partner, and coach seats.
int free_seats(const State& state);

// Why the host may not open a fresh code right now (joining is lobby-only and
// needs a free seat), as a sentence for the host; nullopt when it may.
std::optional<std::string> new_code_refusal(const State& state);

// The answer to "may this connection try?".
struct Admission {
  std::optional<HandshakeError> refusal;  // RateLimited when the address must wait.
  std::uint32_t retry_after_seconds = 0;
  std::optional<std::string> code;  // The open code, for HostHandshakeConfig; nullopt when none is open.
  std::uint64_t generation = 0;     // Pass back to code_is_current / record_guess.

  bool allowed() const { return !refusal.has_value(); }
};

class PairingPolicy {
 public:
  PairingPolicy(PairingPolicyConfig config, crypto::RandomFn random);

  // The host invites: a fresh code for free_seats newcomers. Replaces any open code.
  std::string open_code(int free_seats, TimePoint now);
  // Updates the free seats (from the session roster); 0 closes the code.
  void set_free_seats(int free_seats, TimePoint now);
  // Closes the code without an event (the host cancelled the invite).
  void close_code();

  // The open code, or nullopt (never opened, expired, rotated away, seats full).
  std::optional<std::string> code(TimePoint now);
  // When the shell should call tick() next (the code's expiry), if ever.
  std::optional<TimePoint> next_deadline() const;
  void tick(TimePoint now);

  // One connection attempt from `source` (an IP address, without the port).
  Admission admit(std::string_view source, TimePoint now);
  // Before judging a code guess: is the code it started with still the open one?
  bool code_is_current(std::uint64_t generation, TimePoint now);
  // The result of a judged guess. A miss counts toward rotation; a match
  // takes no seat until the device joins (set_free_seats).
  void record_guess(std::uint64_t generation, bool matched, TimePoint now);
  // Returns the attempt admit() took from this address, after the device on
  // it proved itself. Only failures and unfinished attempts count.
  void give_back_attempt(std::string_view source);

  // Events since the last call, oldest first, for the host's UI.
  std::vector<PolicyEvent> take_events();

  int wrong_codes() const { return wrong_codes_; }
  int free_seats() const { return free_seats_; }
  std::size_t tracked_sources() const { return buckets_.size(); }

 private:
  void expire_if_due(TimePoint now);
  void new_code(TimePoint now, PolicyEventKind kind);
  void close(PolicyEventKind kind);

  PairingPolicyConfig config_;
  crypto::RandomFn random_;
  std::optional<std::string> code_;
  TimePoint expires_at_{};
  std::uint64_t generation_ = 0;
  int wrong_codes_ = 0;
  int free_seats_ = 0;
  // Per address: the time its bucket would be full again ("theoretical arrival time").
  std::map<std::string, TimePoint, std::less<>> buckets_;
  TimePoint overflow_bucket_{};
  std::vector<PolicyEvent> events_;
};

}  // namespace attune::pairing
