#include "attune/join/outbox.hpp"

#include <algorithm>
#include <utility>

#include "attune/intent_limits.hpp"
#include "attune/refusals.hpp"

namespace attune::join {

namespace {
bool is_pending(const Entry& entry) { return entry.status != Status::Settled; }

// The phases in which the host can take this intent (the engine's phase
// tests): a check-in and a whole-conversation also at the check-in gate,
// every other intent only while the session is active.
bool phase_takes(const Intent& intent, v1::Phase phase) {
  if (phase == v1::PHASE_ACTIVE) return true;
  return phase == v1::PHASE_CHECK_IN && (intent.has_check_in() || intent.has_whole_conversation());
}

// A pause asked for that meets a pause already on: what it asked for holds.
bool already_satisfied(const Intent& intent, v1::RefusalCode code) {
  return intent.has_call_pause() && code == v1::REFUSAL_CODE_PAUSED;
}

// A check-in made for a gate that a long break has replaced: the break ends
// in a fresh gate, where this rating would count for a moment it wasn't
// made for (the engine refuses a CheckIn "paused" only on a long break).
bool gate_gone(const Intent& intent, v1::RefusalCode code) {
  return intent.has_check_in() && code == v1::REFUSAL_CODE_PAUSED;
}

bool listed(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}
}  // namespace

v1::Refusal outbox_full_refusal() {
  return refuse(v1::REFUSAL_CODE_BAD_INPUT,
                "A lot is already waiting to reach the host, so this one wasn't kept. Once the connection "
                "is back and that has gone through, please try it again.");
}

v1::Refusal check_in_again_refusal() {
  return refuse(v1::REFUSAL_CODE_PAUSED,
                "The check-in you made while the connection was down reached the host during a long break, "
                "so it didn't count. When the break is over, please check in again.");
}

std::optional<v1::Refusal> Outbox::restore(std::string intent_id, Intent intent) {
  // An older version could queue an intent too big to ever be delivered;
  // resent at every start, it wedged the link.
  if (auto refusal = check_outgoing_intent(intent)) {
    refusal->set_message("Something this device saved earlier could never be sent, so it was set aside: " +
                         refusal->message());
    return refusal;
  }
  // Made before the shell read its disk (submitted before start): the entry
  // is here already and only its stored copy is being read back.
  if (Entry* kept = find_pending(intent_id)) {
    kept->on_disk = true;
    return std::nullopt;
  }
  entries_.push_back(Entry{std::move(intent_id), std::move(intent), Status::Waiting, true, 0, Instant{}});
  return std::nullopt;
}

Added Outbox::add(std::string intent_id, Intent intent, bool link_live, Instant now) {
  if (find_pending(intent_id)) return Added::Duplicate;
  if (pending() >= limits_.max_entries) return Added::Full;
  entries_.push_back(Entry{std::move(intent_id), std::move(intent),
                           link_live ? Status::Sent : Status::Waiting, false, 0, now});
  return Added::Kept;
}

void Outbox::add_join_first(std::string intent_id, Intent join) {
  entries_.push_front(Entry{std::move(intent_id), std::move(join), Status::Waiting, true, 0, Instant{}});
}

bool Outbox::has_join() const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [](const Entry& e) { return is_pending(e) && e.intent.has_join(); });
}

std::vector<const Entry*> Outbox::replay() {
  std::vector<const Entry*> out;
  for (auto& entry : entries_) {
    if (!is_pending(entry)) continue;
    entry.status = Status::Replayed;
    out.push_back(&entry);
  }
  return out;
}

void Outbox::link_lost() {
  for (auto& entry : entries_) {
    if (is_pending(entry)) entry.status = Status::Waiting;
  }
}

std::vector<const Entry*> Outbox::release_held(v1::Phase phase) {
  std::vector<const Entry*> out;
  for (auto& entry : entries_) {
    if (entry.status != Status::Held || !phase_takes(entry.intent, phase)) continue;
    entry.status = Status::Replayed;
    out.push_back(&entry);
  }
  return out;
}

bool Outbox::acked(const std::string& intent_id) {
  Entry* entry = find_pending(intent_id);
  return entry && settle(*entry);
}

RefusalOutcome Outbox::refused(const std::string& intent_id, v1::RefusalCode code, v1::Phase phase) {
  RefusalOutcome out;
  Entry* entry = find_pending(intent_id);
  if (!entry) return out;
  out.was_join = entry->intent.has_join();
  // Only what was resent after the link came back can meet a session that
  // paused meanwhile; a fresh intent refused "for now" is the person's to see.
  const bool resent = entry->status == Status::Replayed || entry->status == Status::Held;
  if (resent && already_satisfied(entry->intent, code)) {
    // Held, it would start a second pause once this one is over.
    out.verdict = Verdict::Satisfied;
    out.needs_disk_removal = settle(*entry);
    return out;
  }
  if (resent && gate_gone(entry->intent, code)) {
    // Held, it would count at the fresh gate after the break.
    out.verdict = Verdict::AskAgain;
    out.needs_disk_removal = settle(*entry);
    return out;
  }
  const bool session_active = phase_takes(entry->intent, phase);
  if (resent && refusal_is_transient(code) && ++entry->holds <= limits_.max_holds) {
    entry->status = session_active ? Status::Replayed : Status::Held;
    out.verdict = session_active ? Verdict::Resend : Verdict::Hold;
    out.first_hold = !session_active && entry->holds == 1;
    return out;
  }
  out.needs_disk_removal = settle(*entry);
  return out;
}

std::optional<Instant> Outbox::write_deadline() const {
  std::optional<Instant> oldest;
  for (const auto& entry : entries_) {
    if (is_pending(entry) && !entry.on_disk && (!oldest || entry.made < *oldest)) oldest = entry.made;
  }
  if (!oldest) return std::nullopt;
  return *oldest + limits_.write_delay;
}

std::vector<const Entry*> Outbox::unwritten() const {
  std::vector<const Entry*> out;
  for (const auto& entry : entries_) {
    if (is_pending(entry) && !entry.on_disk) out.push_back(&entry);
  }
  return out;
}

void Outbox::mark_written(const std::vector<std::string>& intent_ids) {
  for (auto& entry : entries_) {
    if (is_pending(entry) && listed(intent_ids, entry.intent_id)) entry.on_disk = true;
  }
}

std::vector<std::string> Outbox::settled_on_disk() const {
  std::vector<std::string> out;
  for (const auto& entry : entries_) {
    if (!is_pending(entry)) out.push_back(entry.intent_id);
  }
  return out;
}

void Outbox::forget_settled(const std::vector<std::string>& intent_ids) {
  std::erase_if(entries_, [&](const Entry& e) { return !is_pending(e) && listed(intent_ids, e.intent_id); });
}

std::size_t Outbox::pending() const {
  return static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(), is_pending));
}

const Entry* Outbox::find(const std::string& intent_id) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return is_pending(e) && e.intent_id == intent_id; });
  return it == entries_.end() ? nullptr : &*it;
}

Entry* Outbox::find_pending(const std::string& intent_id) { return const_cast<Entry*>(find(intent_id)); }

bool Outbox::settle(Entry& entry) {
  if (!entry.on_disk) {
    // Answered before it needed the disk: nothing to write or remove.
    entries_.erase(
        std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return &e == &entry; }));
    return false;
  }
  // Removing it from disk can wait for the next save: if the process dies
  // first, the resend is answered from the host's memory, not applied again.
  entry.status = Status::Settled;
  entry.holds = 0;
  return true;
}

}  // namespace attune::join
