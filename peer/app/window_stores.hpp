// The files a window's device keeps: history, journal, preparations,
// reminders and (main window only) invitations.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "app/history_store.hpp"
#include "invite/invite_store.hpp"
#include "journal/journal_store.hpp"
#include "prepare/prepare_store.hpp"
#include "remind/reminder_store.hpp"

namespace attune::app {

// A device's own files: history, journal, preparations, reminders and (main
// window only) invitations. SQLite's syncs make opening them slow on a busy
// disk, so they open on a thread of their own while the window and its GL
// context come up. The first frame takes them if they are open by then (or
// draws without their cards); every later frame waits for them, so no click
// ever finds them missing (see Device::take_stores).
struct Stores {
  std::unique_ptr<HistoryStore> history;
  std::unique_ptr<journal::JournalStore> journal;
  std::unique_ptr<prepare::PrepareStore> prepare;
  std::unique_ptr<remind::ReminderStore> reminders;
  std::unique_ptr<invite::InviteStore> invitations;
};

// Opens them for the window with this preferences key ("main" shares its
// files with the headless commands; a demo window keeps its own). A file
// that can't be opened is said on stderr and left null.
Stores open_stores(const std::string& key, const std::filesystem::path& data_dir);

}  // namespace attune::app
