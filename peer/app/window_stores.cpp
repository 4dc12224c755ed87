#include "app/window_stores.hpp"

#include <cstdio>

namespace attune::app {

namespace fs = std::filesystem;

Stores open_stores(const std::string& key, const fs::path& data_dir) {
  Stores s;
  std::string error;
  auto say = [&error](bool opened) {
    if (!opened) std::fprintf(stderr, "attune: %s\n", error.c_str());
  };
  s.history = HistoryStore::open((data_dir / ("history-" + key + ".db")).string(), &error);
  say(s.history != nullptr);
  // The main window shares the journal with `attune journal`; demo windows keep their own.
  const bool main = key == "main";
  s.journal = journal::JournalStore::open(
      main ? journal::journal_file(data_dir) : data_dir / ("journal-" + key + ".db"), &error);
  say(s.journal != nullptr);
  s.prepare = prepare::PrepareStore::open(  // Shared with `attune prepare`, like the journal.
      main ? prepare::prepare_file(data_dir) : data_dir / ("prepare-" + key + ".db"), &error);
  say(s.prepare != nullptr);
  // The main window shares its reminders with `attune reminder`, as with the journal.
  s.reminders = remind::ReminderStore::open(
      main ? remind::reminder_file(data_dir) : data_dir / ("reminders-" + key + ".db"), &error);
  say(s.reminders != nullptr);
  if (main) s.invitations = invite::InviteStore::open(data_dir, &error);
  return s;
}

}  // namespace attune::app
