// The host's memory of intents it has answered, so a resent intent gets its
// first answer again and is applied once. Bounded (issue 12, item 4): it
// keeps the newest kRememberedChanges applied ids and the newest
// kRememberedRefusals refused ones, forgetting the oldest first. A resend
// comes from a device's outbox, which holds only what it sent since its last
// acknowledged intent, so it is always among the newest. The store keeps the
// same bounds on disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "attune/v1/session.pb.h"

namespace attune::host {

inline constexpr std::size_t kRememberedChanges = 4096;
inline constexpr std::size_t kRememberedRefusals = 1024;

struct IntentAnswer {
  std::uint64_t seq = 0;                  // The change it became; 0 when refused.
  std::optional<v1::Refusal> refusal;     // Set when it was refused.
};

class IntentMemory {
 public:
  explicit IntentMemory(std::size_t max_applied = kRememberedChanges,
                        std::size_t max_refused = kRememberedRefusals)
      : max_applied_(max_applied), max_refused_(max_refused) {}

  void remember_applied(const std::string& intent_id, std::uint64_t seq);
  void remember_refused(const std::string& intent_id, const v1::Refusal& refusal);
  // The first answer to this id, if it is still remembered.
  const IntentAnswer* find(const std::string& intent_id) const;

  std::size_t size() const { return answers_.size(); }
  void clear();

 private:
  void remember(const std::string& intent_id, IntentAnswer answer, std::deque<std::string>& order,
                std::size_t max);

  std::size_t max_applied_;
  std::size_t max_refused_;
  std::unordered_map<std::string, IntentAnswer> answers_;
  std::deque<std::string> applied_order_;  // Oldest first.
  std::deque<std::string> refused_order_;  // Oldest first.
};

}  // namespace attune::host
