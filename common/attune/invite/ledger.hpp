// Exactly-once delivery between the two partners' devices, as pure
// bookkeeping. A letter (one invitation or one answer) has a random id made
// by its sender. The sender keeps it until the partner acknowledges that id;
// it sends it again on every new link, and again on a link that stayed
// silent about it for kResendAfterMs. The receiver keeps the id of every
// letter it has stored: a letter it already has is acknowledged again and
// otherwise ignored. So a letter may travel twice, but takes effect once.
//
// The order the shell must keep (peer/invite/postbox.cpp):
//   receiver: store the letter and its id in one durable transaction, then
//             acknowledge. A crash before the commit: no ack, the sender
//             sends again. A crash after: the id is known, the resend is
//             acknowledged only.
//   sender:   drop a letter only after its ack arrived.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace attune::invite {

inline constexpr int64_t kResendAfterMs = 3000;
// Redial backoff for the partner's address, doubling from the first to the last.
inline constexpr int64_t kFirstRedialMs = 200;
inline constexpr int64_t kLastRedialMs = 2000;
// Letters waiting for the partner at once; more is refused at the door.
inline constexpr std::size_t kMaxWaitingLetters = 256;
// Ids of letters taken in that the receiver remembers; past that it forgets
// the oldest (an honest sender never sends a letter again once answered).
inline constexpr std::size_t kMaxTakenLetters = 10000;

enum class Arrival {
  Fresh,       // Store it (and its id, in the same transaction), then ack.
  AlreadyHad,  // Ack again; nothing else happens.
};

class Ledger {
 public:
  // From the store at start-up.
  void load(const std::vector<std::string>& waiting, const std::vector<std::string>& seen);

  // A letter this device wrote (already durable). False when too many wait.
  bool add_waiting(const std::string& letter_id);
  // Letters to send on the link now: all waiting ones on a new link, else
  // those not sent for kResendAfterMs. Marks them sent at now_ms.
  std::vector<std::string> due(int64_t now_ms, bool new_link);
  // The partner acknowledged: true when it was waiting (drop it from the store).
  bool acknowledged(const std::string& letter_id);

  Arrival arrival(const std::string& letter_id) const;
  // The letter and its id are durable now.
  void kept(const std::string& letter_id);

  std::size_t waiting() const { return waiting_.size(); }

 private:
  std::map<std::string, int64_t> waiting_;  // id -> last sent (ms), -1: never on this link.
  std::set<std::string> seen_;
};

// How long to wait before dialing the partner again after `failures` failed
// dials in a row: kFirstRedialMs doubling, at most kLastRedialMs.
int64_t redial_delay_ms(int failures);

}  // namespace attune::invite
