// The joining device's outbox, as one pure type: every intent this device
// made and the host has not answered yet, in the order it was made, each
// with where it stands. No I/O and no clock: the shell passes `now` in,
// sends what the outbox says to send, writes what it says to write, and
// arms a timer for write_deadline().
//
// The rules it keeps (proto/README.md, "Liveness and reconnecting"):
//  - everything unanswered is sent again, in order, when the link is back;
//  - an answered intent is settled and never sent again;
//  - a resent intent the host refused only "for now" (paused, check-in) is
//    held and goes out again once the session is in a phase that can take
//    it (a step intent: active; a CheckIn or WholeConversation: active or
//    the check-in gate), a few times at most, so nothing loops; the person
//    hears about it once;
//  - a resent CallPause refused "paused" is already satisfied: settled,
//    never resent (it would start a second pause), no refusal shown;
//  - a resent CheckIn refused "paused" (the session is on a long break) was
//    made for a gate that is gone: settled, never resent (it would count at
//    the fresh gate after the break), and the person asked to check in again;
//  - write-behind: an intent answered within the write delay never needs
//    the disk; the rest are written together when the delay ends.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "attune/engine.hpp"

namespace attune::join {

// The shell's monotonic clock; only the type lives here, never a reading.
using Instant = std::chrono::steady_clock::time_point;

// Where an entry is on its way to the host.
enum class Status {
  Waiting,   // Not on the current link: made while it was down, or loaded from disk.
  Sent,      // Sent on the live link as it was made.
  Replayed,  // Sent again when the link came back (or after a hold ended).
  Held,      // Replayed, refused only "not yet": waits for a phase that can take it.
  Settled,   // Answered; kept only until the disk forgets it.
};

struct Entry {
  std::string intent_id;
  Intent intent;
  Status status = Status::Waiting;
  bool on_disk = false;
  int holds = 0;  // Times the host said "not yet" to it after a replay.
  Instant made{};
};

struct OutboxLimits {
  // Unanswered at once: far above a session's worth of taps, and above the
  // 3,000-write flood the host-limits test sends (the host slows those with words).
  std::size_t max_entries = 4096;
  int max_holds = 3;               // Then its refusal is shown like any other.
  std::chrono::milliseconds write_delay{2};
};

enum class Added {
  Kept,       // In the outbox; the shell sends it if the link is live.
  Duplicate,  // That id is waiting already; nothing changed.
  Full,       // Refused: too much is waiting already.
};

// What the shell does after a refusal.
enum class Verdict {
  Resend,     // Sent again now (the session can take it meanwhile).
  Hold,       // Kept until the session is in a phase that can take it.
  Satisfied,  // Settled: what it asked for holds already; show nothing.
  AskAgain,   // Settled: made for a gate that is gone; show check_in_again_refusal().
  Surface,    // Settled (or never waiting here): show the refusal to the person.
};

struct RefusalOutcome {
  Verdict verdict = Verdict::Surface;
  bool first_hold = false;          // Hold: say once that it is kept.
  bool was_join = false;            // The refused intent was a Join waiting here.
  bool needs_disk_removal = false;  // Surface, Satisfied, AskAgain: a stored copy is to be forgotten.
};

// The words a person hears when the outbox is full (the intent is not kept).
v1::Refusal outbox_full_refusal();
// The words a person hears when a check-in they made while the link was down
// met a long break: it did not count, and they check in again after it.
v1::Refusal check_in_again_refusal();

class Outbox {
 public:
  explicit Outbox(OutboxLimits limits = {}) : limits_(limits) {}

  // An entry read back from disk at start. Returns a refusal (and keeps
  // nothing) for one that could never be delivered. One waiting here
  // already (made before the disk was read) is kept once.
  std::optional<v1::Refusal> restore(std::string intent_id, Intent intent);
  // A new intent. `link_live`: the host has welcomed this link, so the shell
  // sends it now (status Sent); otherwise it waits for the next welcome.
  Added add(std::string intent_id, Intent intent, bool link_live, Instant now);
  // The Join the shell made (and already wrote to disk) on a welcome that
  // found this device unseated: it goes first.
  void add_join_first(std::string intent_id, Intent join);
  bool has_join() const;

  // The host welcomed a new link: every unanswered entry, in order, to send
  // now. Pointers stay valid until the next change to the outbox.
  std::vector<const Entry*> replay();
  // The link dropped: nothing is on the wire any more.
  void link_lost();
  // The session is now in `phase`: the held entries it can take, to send
  // now, in order. The others stay held.
  std::vector<const Entry*> release_held(v1::Phase phase);

  // The host accepted it (or answered it from its memory). True when a
  // stored copy is now to be removed (see settled_on_disk()).
  bool acked(const std::string& intent_id);
  // The host refused it; `phase` is this device's copy of the session's
  // phase when the refusal arrives.
  RefusalOutcome refused(const std::string& intent_id, v1::RefusalCode code, v1::Phase phase);

  // Write-behind: when the unwritten entries should be on disk, if any are.
  std::optional<Instant> write_deadline() const;
  // Unanswered entries not on disk yet, in the order they were made.
  std::vector<const Entry*> unwritten() const;
  void mark_written(const std::vector<std::string>& intent_ids);
  // Answered entries whose stored copies are still to be removed; forget
  // them once the disk has.
  std::vector<std::string> settled_on_disk() const;
  void forget_settled(const std::vector<std::string>& intent_ids);

  // Everything goes (the host let this device go, or holds another session).
  void clear() { entries_.clear(); }

  // Unanswered entries.
  std::size_t pending() const;
  const std::deque<Entry>& entries() const { return entries_; }
  const Entry* find(const std::string& intent_id) const;

 private:
  Entry* find_pending(const std::string& intent_id);
  bool settle(Entry& entry);

  OutboxLimits limits_;
  std::deque<Entry> entries_;
};

}  // namespace attune::join
