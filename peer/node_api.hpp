// The one object both front doors (window app and headless CLI) drive.
// The UI thread posts intents and reads immutable snapshots; the node runs
// networking and the engine on its own io thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attune/crypto/coach_seal.hpp"
#include "attune/engine.hpp"
#include "attune/v1/wire.pb.h"

namespace attune {

enum class LinkState {
  Hosting,       // This device holds the session.
  Connecting,    // First contact with a host.
  Connected,     // Joined and in sync.
  Reconnecting,  // Lost the host; trying again by itself.
  Offline,       // Not in a session.
};

// A private rating kept on this device only.
struct PrivateCheckIn {
  int level = 0;
  int64_t at_ms = 0;
  v1::Step step = v1::STEP_UNSPECIFIED;
};

// Everything a view needs, published by the node after each change: this
// device's replica of the state plus what only this device knows (its role,
// its link, its private check-ins). Immutable once made. Not the wire's
// v1::Snapshot, which is only the state.
struct NodeView {
  State state;  // As replicated to this device.
  std::string my_id;
  v1::Role my_role = v1::ROLE_UNSPECIFIED;
  LinkState link = LinkState::Offline;
  std::string link_detail;                   // Plain words about the link.
  std::optional<v1::Refusal> last_refusal;   // Most recent refusal for my intents.
  uint64_t refusal_serial = 0;               // Bumps with each new refusal.
  std::vector<PrivateCheckIn> my_check_ins;  // My own timeline (never shared).
  // For coaches: ratings of partners who opted in, newest last.
  std::vector<std::pair<v1::Role, PrivateCheckIn>> coach_levels;
  uint64_t applied_seq = 0;
  // Set when this device can't save to its disk and keeps the session in
  // memory only: plain words to show the person, as is.
  std::string storage_notice;
  // What the headless door prints as `closed` and `held`, for the window:
  // the host's last close frame (cleared once connected again), and the
  // intents resent after a gap that wait behind the resume gate.
  struct Goodbye {
    v1::CloseReason reason = v1::CLOSE_REASON_UNSPECIFIED;
    std::string message;  // The host's words, made safe to show.
    bool reconnecting = false;
  };
  std::optional<Goodbye> last_goodbye;
  std::vector<std::pair<std::string, std::string>> held;  // Intent id, plain words.
  // This device's own check number (crypto/check_number.hpp): a coach reads
  // it to the partners, who compare it with what their screen shows.
  std::string my_check_number;
  // A partner who joined: each coach key the host named, its check number and
  // where this partner stands with it. Ratings go only to Matched or Proven
  // ones. Empty on the host, which proved every coach's key itself.
  std::vector<crypto::CoachCheck> coach_checks;
};

class NodeApi {
 public:
  virtual ~NodeApi() = default;
  // Thread-safe: queues the intent for the io thread.
  virtual void send(Intent intent) = 0;
  // Thread-safe: records the rating locally and sends only the two bits.
  virtual void check_in(int level) = 0;
  // Thread-safe: the latest snapshot (never null).
  virtual std::shared_ptr<const NodeView> snapshot() const = 0;
  // Called (on the io thread) after each new snapshot; used to wake the UI.
  virtual void on_change(std::function<void()> callback) = 0;
  // Thread-safe: the person compared coach `coach_id`'s check number, shown
  // to them as `number`, with the coach's screen and said they match or not.
  // Nothing happens if the host names another key for that coach by now.
  virtual void compare_coach(const std::string& coach_id, const std::string& number, bool match) {
    (void)coach_id, (void)number, (void)match;
  }
};

}  // namespace attune
