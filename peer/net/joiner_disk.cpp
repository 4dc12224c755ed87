// The joiner's disk: the durable outbox (what the person did, kept until
// the host answers) and the coalesced snapshot saves. Split from joiner.cpp
// for size; the same class.
#include <spdlog/spdlog.h>

#include "net/joiner.hpp"

namespace attune::net {

void Joiner::load_outbox() {
  std::vector<std::string> poisoned;
  for (auto& entry : store_.outbox_load()) {
    // What could never be delivered is set aside, and the person told.
    if (auto refusal = outbox_.restore(entry.intent_id, std::move(entry.intent))) {
      poisoned.push_back(entry.intent_id);
      spdlog::warn("{}", refusal->message());
      if (events_.refused) events_.refused(entry.intent_id, *refusal);
    }
  }
  if (poisoned.empty()) return;
  try {
    store_.outbox_remove(poisoned);
  } catch (const store::StoreError& error) {
    spdlog::warn("could not remove what was set aside from the outbox: {}", error.what());
  }
}

void Joiner::arm_outbox_write() {
  const auto deadline = outbox_.write_deadline();
  if (outbox_armed_ || !deadline) return;
  outbox_armed_ = true;
  outbox_timer_.expires_at(*deadline);
  outbox_timer_.async_wait([this](const asio::error_code& ec) {
    outbox_armed_ = false;
    if (!ec) flush_outbox();
  });
}

void Joiner::flush_outbox() {
  const auto unwritten = outbox_.unwritten();
  if (unwritten.empty()) return;
  std::vector<store::OutboxEntry> rows;
  std::vector<std::string> ids;
  for (const auto* entry : unwritten) {
    rows.push_back(store::OutboxEntry{entry->intent_id, entry->intent});
    ids.push_back(entry->intent_id);
  }
  try {
    store_.outbox_add_all(rows);
  } catch (const store::StoreError& error) {
    spdlog::error("could not keep intents on disk: {}", error.what());
    return;
  }
  outbox_.mark_written(ids);
  // In memory only, "queued" (kept on disk) would be a promise we can't keep:
  // the intents stay in the outbox and are sent, but not announced as safe.
  if (store_.unavailable()) return;
  if (events_.queued) {
    for (const auto& id : ids) events_.queued(id);
  }
}

void Joiner::drop_outbox() {
  outbox_.clear();
  store_.outbox_clear();
}

void Joiner::schedule_save() {
  if (save_armed_ || stopped_) return;
  save_armed_ = true;
  save_timer_.expires_after(config_.save_delay);
  save_timer_.async_wait([this](const asio::error_code& ec) {
    save_armed_ = false;
    if (ec) return;
    try {
      save_now();
    } catch (const store::StoreError& error) {
      spdlog::warn("could not save the snapshot: {}", error.what());
    }
  });
}

void Joiner::save_now() {
  if (!dirty_) return;
  dirty_ = false;
  if (!session_id_.empty()) {
    store_.save_joiner_snapshot(store::JoinerSnapshot{session_id_, endpoint_text(), seq_, state_});
  }
  const auto settled = outbox_.settled_on_disk();
  store_.outbox_remove(settled);
  outbox_.forget_settled(settled);
}

}  // namespace attune::net
