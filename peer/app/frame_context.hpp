// What a view gets besides the snapshot and its UiState: the time, a way to
// ask for the next frame, the node to post intents to, and a record of
// where key regions landed (read by the screenshot test).
#pragma once

#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>

#include "app/history_store.hpp"
#include "app/session_requests.hpp"
#include "node_api.hpp"

namespace attune::journal {
class JournalStore;
}
namespace attune::prepare {
class PrepareStore;
}
namespace attune::remind {
class ReminderStore;
}
namespace attune::invite {
class InviteStore;
}

namespace attune::app {

struct Region {
  ImVec2 min;
  ImVec2 max;
};

// Posts intents (lager's dispatch) and app-level requests.
struct Dispatch {
  NodeApi* node = nullptr;
  std::function<void()> sent;  // Told just before each intent goes (the frame report's "sent").
  std::function<void(const HostRequest&)> host;
  std::function<void(const JoinRequest&)> join;
  std::function<std::vector<NearbySession>()> nearby;
  std::function<void()> leave;               // Back to the start screen.
  std::function<std::string()> invite;       // How others can reach this session.
  std::function<std::string()> nearby_tag;   // This session's tag in others' nearby lists ("" if none).
  std::function<bool()> wants_code;          // Joining asks for the host's short code.
  std::function<std::string()> code_notice;  // Why the host's code changed ("" if nothing to say).
  std::function<void()> dismiss_code_notice;
  std::function<void()> fresh_start;    // Moves a damaged saved session aside.
  std::function<bool()> can_make_code;  // The host's code is closed and a seat is free.
  std::function<void()> make_code;      // Open a fresh code (the old one stops working).
  std::function<void(const HistoryEntry&)> save_history;
  std::function<std::vector<HistoryEntry>()> load_history;
  journal::JournalStore* journal = nullptr;  // This device's private journal (null: unavailable).
  prepare::PrepareStore* prepare = nullptr;  // What was prepared alone here (null: unavailable).
  remind::ReminderStore* reminders = nullptr;  // Agreed times with the partner (null: unavailable).
  // How many reminders the window's reminder watch has brought (and notified,
  // on its own thread): a new count means the card reads its list again.
  uint64_t reminders_brought = 0;
  // "Start now" on a reminder: the session with the partner's paired device, no code.
  std::function<void(const std::string& partner_device_id, const std::string& display_name)> start_with_partner;
  std::function<PartnerSession()> partner_session;  // SessionLauncher::partner_session.
  invite::InviteStore* invitations = nullptr;  // Repair invitations (null: unavailable).
  std::string invite_data_dir;                 // Where this device's pins are.

  void send(Intent intent) const {
    if (sent) sent();
    if (node) node->send(std::move(intent));
  }
  void check_in(int level) const {
    if (sent) sent();
    if (node) node->check_in(level);
  }
};

struct FrameContext {
  int64_t now_ms = 0;  // Wall clock, for countdowns and summaries.
  double time_s = 0;   // Monotonic seconds, for animation.
  Dispatch dispatch;

  // Views ask for the next frame no later than this many seconds from now.
  mutable double wake_in_s = std::numeric_limits<double>::infinity();
  void wake_in(double s) const { wake_in_s = std::min(wake_in_s, s); }

  // Regions of interest drawn this frame ("floor_banner", "pacer", ...).
  mutable std::map<std::string, Region> regions;
  void mark(const std::string& name, ImVec2 min, ImVec2 max) const { regions[name] = Region{min, max}; }
};

}  // namespace attune::app
