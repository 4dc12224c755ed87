// A room for host-core tests: the real HostCore, a fake clock, and a fake
// shell that carries out its actions in memory (stores, per-link inboxes,
// timers that fire when the clock passes them). Devices join through the
// real pairing handshake with the code the host shows.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "attune/host/host_core.hpp"
#include "attune/pairing/handshake.hpp"

namespace attune::host::test {

inline constexpr const char* kHostId = "device-a";  // The host is partner A.
inline const TimePoint kStart = from_ms(1'700'000'000'000);

// A device's key in these tests (the same for every link it opens).
crypto::DeviceIdentity device_identity(const std::string& id);

// An intent's answer as the document's tables write it: "`IntentAck` seq 3",
// or "`BAD_INPUT` \"its words\"" for an IntentRefused.
std::string answer_line(const v1::Envelope& answer);

class Room {
 public:
  explicit Room(std::optional<StoredHost> stored = std::nullopt, DeviceLimitsConfig limits = {},
                std::string expected_partner = {});

  // --- Devices ---
  // Pairs `device` with the code on screen and says Hello; returns its link.
  LinkId connect(const std::string& device);
  // The same device's link closes; `silent_for` since it last said anything.
  void drop(LinkId link, std::chrono::milliseconds silent_for = std::chrono::milliseconds(0));
  // Sends an intent from a device; returns the host's answer to it (IntentAck
  // or IntentRefused), or nullopt when none came.
  std::optional<v1::Envelope> submit(LinkId link, const std::string& intent_id, const Intent& intent);
  std::optional<v1::Envelope> submit(LinkId link, const Intent& intent);
  void send(LinkId link, const v1::Envelope& envelope);
  // The host's own user; true when it was applied.
  bool local(const Intent& intent);
  // B joins and the host admits it; coaches join and both partners admit them.
  LinkId join_partner_b();
  LinkId join_coach(const std::string& id, LinkId b);
  // Both partners say ready: step 1.
  void begin(LinkId b);

  // --- The fake clock ---
  void advance(std::chrono::milliseconds by);
  TimePoint now() const { return now_; }

  // --- What the shell saw ---
  // Every message the host sent `link`, oldest first (frames decoded).
  const std::vector<v1::Envelope>& inbox(LinkId link) { return inbox_[link]; }
  // The newest state `link` was sent (Snapshot or Change).
  State last_view(LinkId link);
  const State& host_view() const { return host_view_; }
  bool closed(LinkId link) const { return closed_.count(link) > 0; }
  // The close frame's reason the core gave `link`, if it said goodbye.
  std::optional<v1::CloseReason> goodbye(LinkId link) const {
    const auto it = goodbyes_.find(link);
    return it == goodbyes_.end() ? std::nullopt : std::optional{it->second};
  }
  std::optional<std::string> code() const { return code_; }

  HostCore core;
  bool store_fails = false;  // The next gated writes fail.
  std::vector<RecordChange> changes;
  std::vector<RecordRefusal> refusals;
  std::vector<std::string> declined;
  std::vector<pairing::PolicyEvent> pairing_events;
  std::vector<LocalRefused> local_refused;
  std::vector<LocalAcked> local_acked;
  std::vector<std::string> logs;
  int host_views = 0;  // LocalState actions seen.

  void carry_out(Actions actions);

 private:
  void run(Action& action);
  void arm(const ArmTimer& arm);
  void cancel(const TimerKey& key);
  void deliver(LinkId link, const std::string& frame);

  TimePoint now_ = kStart;
  LinkId next_link_ = 1;
  std::map<LinkId, std::vector<v1::Envelope>> inbox_;
  std::set<LinkId> closed_;
  std::map<LinkId, v1::CloseReason> goodbyes_;
  std::vector<LinkId> to_close_;
  struct Armed {
    TimerKey key;
    TimePoint due;
  };
  std::vector<Armed> timers_;
  State host_view_;
  std::optional<std::string> code_;
  int next_intent_ = 1;
};

}  // namespace attune::host::test
