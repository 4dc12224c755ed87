// `attune reminder ...`: the agreed times and their reminders from the
// command line. With --headless every answer is one JSON line (events in
// reminder_event_list()). Every command also brings a reminder whose moment
// has come. `reminder add` is the door an agreed invitation uses (and a
// person who agreed a time by other means); `reminder start` begins the
// session with the partner's paired device, with no code.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/reference.hpp"
#include "remind/reminder_due.hpp"

namespace attune::cli {

struct ReminderCli {
  CLI::App* command = nullptr;
  CLI::App* add = nullptr;
  CLI::App* list = nullptr;
  CLI::App* dismiss = nullptr;
  CLI::App* start = nullptr;
  std::string id;
  std::string partner;
  std::string partner_name;
  std::string at;        // Local time, "2026-12-01 19:30".
  int64_t at_utc_ms = 0;  // Or the UTC moment itself (what an invitation carries).
  // start: your name, and the partner's address when this device joins.
  std::string name;
  std::string address;
  uint16_t port = 0;
  std::string bind = "0.0.0.0";
  int64_t now_ms = 0;  // Tests inject the clock (hidden); 0: the reminders' clock.
};

void define_reminder_cli(CLI::App& app, ReminderCli& values);

// Runs add, list or dismiss against data_dir's reminders.
int run_reminder(const std::filesystem::path& data_dir, const ReminderCli& values, bool json, std::ostream& out,
                 std::ostream& err);

// What `reminder start` does on this device: host, or join the partner.
struct StartPlan {
  bool host = true;
  std::string partner_device_id;
  std::string partner_name;
};
// The plan for appointment `id`, from this device's pins; nullopt and *error otherwise.
std::optional<StartPlan> plan_start(const std::filesystem::path& data_dir, const std::string& id,
                                    std::string* error);

// The same, from the partner's device id (the window's "Start now").
std::optional<StartPlan> plan_with_partner(const std::filesystem::path& data_dir,
                                           const std::string& partner_device_id, std::string* error);

// A due reminder as a `reminder_due` event.
nlohmann::json due_event(const remind::DueReminder& due);

// The reminder due now in data_dir, taken and notified, as an event; nullopt
// when none is due or there are no reminders. A headless peer prints it.
std::optional<nlohmann::json> take_due_reminder(const std::filesystem::path& data_dir, int64_t now_ms);

const std::vector<EventInfo>& reminder_event_list();

}  // namespace attune::cli
