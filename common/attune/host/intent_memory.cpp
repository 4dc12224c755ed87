#include "attune/host/intent_memory.hpp"

namespace attune::host {

void IntentMemory::remember(const std::string& intent_id, IntentAnswer answer, std::deque<std::string>& order,
                            std::size_t max) {
  if (!answers_.insert_or_assign(intent_id, std::move(answer)).second) return;  // Known: order kept.
  order.push_back(intent_id);
  while (order.size() > max) {
    answers_.erase(order.front());
    order.pop_front();
  }
}

void IntentMemory::remember_applied(const std::string& intent_id, std::uint64_t seq) {
  remember(intent_id, IntentAnswer{seq, std::nullopt}, applied_order_, max_applied_);
}

void IntentMemory::remember_refused(const std::string& intent_id, const v1::Refusal& refusal) {
  remember(intent_id, IntentAnswer{0, refusal}, refused_order_, max_refused_);
}

const IntentAnswer* IntentMemory::find(const std::string& intent_id) const {
  const auto it = answers_.find(intent_id);
  return it == answers_.end() ? nullptr : &it->second;
}

void IntentMemory::clear() {
  answers_.clear();
  applied_order_.clear();
  refused_order_.clear();
}

}  // namespace attune::host
