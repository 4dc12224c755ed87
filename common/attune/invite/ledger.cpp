#include "attune/invite/ledger.hpp"

#include <algorithm>

namespace attune::invite {

void Ledger::load(const std::vector<std::string>& waiting, const std::vector<std::string>& seen) {
  waiting_.clear();
  for (const auto& id : waiting) waiting_[id] = -1;
  seen_ = std::set<std::string>(seen.begin(), seen.end());
}

bool Ledger::add_waiting(const std::string& letter_id) {
  if (waiting_.count(letter_id) != 0) return true;
  if (waiting_.size() >= kMaxWaitingLetters) return false;
  waiting_[letter_id] = -1;
  return true;
}

std::vector<std::string> Ledger::due(int64_t now_ms, bool new_link) {
  std::vector<std::string> out;
  for (auto& [id, last_sent] : waiting_) {
    if (new_link || last_sent < 0 || now_ms - last_sent >= kResendAfterMs) {
      out.push_back(id);
      last_sent = now_ms;
    }
  }
  return out;
}

bool Ledger::acknowledged(const std::string& letter_id) { return waiting_.erase(letter_id) != 0; }

Arrival Ledger::arrival(const std::string& letter_id) const {
  return seen_.count(letter_id) != 0 ? Arrival::AlreadyHad : Arrival::Fresh;
}

void Ledger::kept(const std::string& letter_id) { seen_.insert(letter_id); }

int64_t redial_delay_ms(int failures) {
  int64_t delay = kFirstRedialMs;
  for (int i = 0; i < failures && delay < kLastRedialMs; ++i) delay *= 2;
  return std::min(delay, kLastRedialMs);
}

}  // namespace attune::invite
