#include "attune/pairing/pairing_policy.hpp"

#include <algorithm>
#include <array>

#include "attune/pairing/pairing_code.hpp"

namespace attune::pairing {

std::string user_message(const PolicyEvent& event) {
  switch (event.kind) {
    case PolicyEventKind::CodeOpened:
      return "Here's your code. Share it with the person joining; it works for 10 minutes.";
    case PolicyEventKind::CodeRotated:
      return "A few tries with a code didn't match, so we made a fresh one to keep your session private. "
             "Please share the new code with the person you're expecting.";
    case PolicyEventKind::CodeExpired:
      return "The code stopped working after 10 minutes, to keep your session private. Anyone already "
             "here stays connected. To invite someone else, make a new code.";
    case PolicyEventKind::SeatsFilled:
      return "Everyone's here, so the code is closed.";
  }
  return {};
}

int free_seats(const State& state) {
  bool a = false, b = false;
  int coaches = 0;
  for (const auto& p : state.participants()) {
    a = a || p.role() == v1::ROLE_PARTNER_A;
    b = b || p.role() == v1::ROLE_PARTNER_B;
    coaches += p.role() == v1::ROLE_COACH ? 1 : 0;
  }
  return (a ? 0 : 1) + (b ? 0 : 1) + std::max(0, kMaxCoaches - coaches);
}

std::optional<std::string> new_code_refusal(const State& state) {
  if (state.phase() != v1::PHASE_LOBBY) {
    return "The session has already begun, and new people can join only before it starts, so there's no "
           "new code to make.";
  }
  if (free_seats(state) == 0) return "Every seat is taken, so there's no one left to invite with a code.";
  return std::nullopt;
}

PairingPolicy::PairingPolicy(PairingPolicyConfig config, crypto::RandomFn random)
    : config_(config), random_(std::move(random)) {}

void PairingPolicy::new_code(TimePoint now, PolicyEventKind kind) {
  std::optional<std::string> fresh;
  // Rejection sampling fails with odds below 1e-16 per draw; bounded anyway.
  for (int tries = 0; tries < 8 && !fresh; ++tries) {
    std::array<std::uint8_t, kCodeRandomBytes> bytes{};
    random_(bytes);
    fresh = make_code(bytes);
  }
  if (!fresh) {
    // A broken random source: better no code than a predictable one.
    close(PolicyEventKind::CodeExpired);
    return;
  }
  code_ = *fresh;
  ++generation_;
  wrong_codes_ = 0;
  expires_at_ = now + config_.code_lifetime;
  events_.push_back(PolicyEvent{kind, *code_});
}

void PairingPolicy::close(PolicyEventKind kind) {
  if (!code_) return;
  code_.reset();
  ++generation_;  // Guesses still in flight are judged against a dead code.
  wrong_codes_ = 0;
  events_.push_back(PolicyEvent{kind, {}});
}

std::string PairingPolicy::open_code(int free_seats, TimePoint now) {
  free_seats_ = std::max(0, free_seats);
  if (free_seats_ == 0) {
    close(PolicyEventKind::SeatsFilled);
    return {};
  }
  new_code(now, PolicyEventKind::CodeOpened);
  return code_.value_or(std::string{});
}

void PairingPolicy::set_free_seats(int free_seats, TimePoint now) {
  expire_if_due(now);
  free_seats_ = std::max(0, free_seats);
  if (free_seats_ == 0) close(PolicyEventKind::SeatsFilled);
}

void PairingPolicy::close_code() {
  if (!code_) return;
  code_.reset();
  ++generation_;
  wrong_codes_ = 0;
}

void PairingPolicy::expire_if_due(TimePoint now) {
  if (code_ && now >= expires_at_) close(PolicyEventKind::CodeExpired);
}

std::optional<std::string> PairingPolicy::code(TimePoint now) {
  expire_if_due(now);
  return code_;
}

std::optional<TimePoint> PairingPolicy::next_deadline() const {
  if (!code_) return std::nullopt;
  return expires_at_;
}

void PairingPolicy::tick(TimePoint now) { expire_if_due(now); }

Admission PairingPolicy::admit(std::string_view source, TimePoint now) {
  expire_if_due(now);
  const auto interval = config_.refill_every;
  const auto burst = interval * (config_.attempts_per_source - 1);

  TimePoint* tat = nullptr;
  if (auto it = buckets_.find(source); it != buckets_.end()) {
    tat = &it->second;
  } else {
    if (buckets_.size() >= config_.max_sources) {
      // Forget addresses whose bucket is full again: they are as good as new.
      std::erase_if(buckets_, [now](const auto& entry) { return entry.second <= now; });
    }
    if (buckets_.size() >= config_.max_sources) {
      tat = &overflow_bucket_;  // Memory stays bounded; newcomers share one bucket.
    } else {
      tat = &buckets_.emplace(std::string(source), now).first->second;
    }
  }

  Admission out;
  const TimePoint start = std::max(*tat, now);
  if (start - now > burst) {
    out.refusal = HandshakeError::RateLimited;
    const auto wait = std::chrono::ceil<std::chrono::seconds>(start - now - burst);
    out.retry_after_seconds = static_cast<std::uint32_t>(std::max<std::int64_t>(1, wait.count()));
    return out;
  }
  *tat = start + interval;
  out.code = code_;
  out.generation = generation_;
  return out;
}

void PairingPolicy::give_back_attempt(std::string_view source) {
  // An address that shares the overflow bucket (or was forgotten since) gets
  // nothing back: strangers' attempts stay bounded either way.
  if (auto it = buckets_.find(source); it != buckets_.end()) it->second -= config_.refill_every;
}

bool PairingPolicy::code_is_current(std::uint64_t generation, TimePoint now) {
  expire_if_due(now);
  return code_.has_value() && generation == generation_;
}

void PairingPolicy::record_guess(std::uint64_t generation, bool matched, TimePoint now) {
  expire_if_due(now);
  if (!code_ || generation != generation_) return;  // That code is gone already.
  // A device that paired has not taken a seat yet: seats are counted from
  // the roster (set_free_seats), so devices that pair and never join can't
  // close the code on the person it was meant for.
  if (matched) return;
  if (++wrong_codes_ >= config_.max_wrong_codes) new_code(now, PolicyEventKind::CodeRotated);
}

std::vector<PolicyEvent> PairingPolicy::take_events() { return std::exchange(events_, {}); }

}  // namespace attune::pairing
