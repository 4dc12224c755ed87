#include "cli/reminder_command.hpp"

#include <ostream>

#include "attune/text.hpp"
#include "cli/command_reply.hpp"
#include "cli/reference.hpp"
#include "identity/device_key_store.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/system_random.hpp"
#include "journal/local_time.hpp"
#include "remind/agreed_times.hpp"
#include "remind/remind_clock.hpp"

namespace attune::cli {

namespace {

using Json = nlohmann::json;
using remind::ReminderStore;

Json reminder_json(const remind::Reminder& r, int64_t now_ms) {
  return {{"id", r.appointment.id},
          {"partner_device_id", r.appointment.partner_device_id},
          {"partner_name", r.appointment.partner_name},
          {"at_utc", journal::utc_iso(r.appointment.at_utc_ms)},
          {"at_utc_ms", r.appointment.at_utc_ms},
          {"at_local", remind::local_moment(r.appointment.at_utc_ms, now_ms)},
          {"shown", r.shown()},
          {"dismissed", r.dismissed}};
}

using Reply = CommandReply;

int add(ReminderStore& store, const ReminderCli& v, int64_t now_ms, const Reply& reply) {
  remind::Appointment a{v.id, v.partner, clean_name(v.partner_name), v.at_utc_ms};
  if (!v.at.empty()) {
    const auto at = journal::parse_local_time(v.at);
    if (!at) return reply.problem("I couldn't read that time. Try a local time like \"2026-12-01 19:30\".");
    a.at_utc_ms = *at;
  }
  if (const auto p = store.add(a)) return reply.problem(p->message);
  const auto kept = store.find(a.id);
  if (!kept) return reply.problem("That reminder couldn't be read back. Please try again.");
  reply.event({{"event", "reminder_added"}, {"reminder", reminder_json(*kept, now_ms)}},
              "A reminder will come at " + remind::local_moment(a.at_utc_ms, now_ms) + ".\n");
  return 0;
}

int list(ReminderStore& store, int64_t now_ms, const Reply& reply) {
  Json all = Json::array();
  std::string text;
  for (const auto& r : store.list()) {
    all.push_back(reminder_json(r, now_ms));
    text += "  " + sanitize_display_text(r.appointment.id) + "  " +
            remind::local_moment(r.appointment.at_utc_ms, now_ms) + "  with " +
            sanitize_display_text(r.appointment.partner_name) + (r.shown() ? "  (came)" : "") + "\n";
  }
  if (text.empty()) text = "No agreed times yet.\n";
  reply.event({{"event", "reminders"}, {"reminders", all}}, text);
  return 0;
}

int dismiss(ReminderStore& store, const ReminderCli& v, const Reply& reply) {
  if (const auto p = store.dismiss(v.id)) return reply.problem(p->message);
  reply.event({{"event", "reminder_dismissed"}, {"id", v.id}}, "Okay, that reminder is put away.\n");
  return 0;
}

}  // namespace

void define_reminder_cli(CLI::App& app, ReminderCli& v) {
  v.command = app.add_subcommand("reminder", "The times you and your partner agreed, and their reminders");
  v.command->require_subcommand(1);
  v.command->fallthrough();
  v.command->add_option("--now-ms", v.now_ms)->group("");
  v.add = v.command->add_subcommand("add", "Keep an agreed time with your partner's paired device");
  v.add->add_option("--id", v.id, "A name for this appointment (the same on both devices)")
      ->required()
      ->type_name("ID");
  v.add->add_option("--partner", v.partner, "Your partner's device id (see attune devices)")
      ->required()
      ->type_name("DEVICE");
  v.add->add_option("--partner-name", v.partner_name, "Your partner's name")->type_name("NAME");
  auto* at = v.add->add_option("--at", v.at, "A local time like \"2026-12-01 19:30\"")->type_name("TIME");
  auto* utc = v.add->add_option("--at-utc-ms", v.at_utc_ms, "Or the moment in UTC milliseconds")->type_name("MS");
  at->excludes(utc);
  v.add->fallthrough();
  v.list = v.command->add_subcommand("list", "The agreed times on this device");
  v.list->fallthrough();
  v.dismiss = v.command->add_subcommand("dismiss", "Put a reminder away");
  v.dismiss->add_option("id", v.id, "The appointment's id")->required()->type_name("ID");
  v.dismiss->fallthrough();
  v.start = v.command->add_subcommand(
      "start", "Start the session with your partner's paired device, with no code (hosts or joins, as paired)");
  v.start->add_option("id", v.id, "The appointment's id")->required()->type_name("ID");
  v.start->add_option("--name", v.name, "Your name as your partner sees it")->required()->type_name("NAME");
  v.start->add_option("--address", v.address, "Where your partner's device listens, when this one joins")
      ->type_name("HOST:PORT");
  v.start->add_option("--port", v.port, "Port to listen on, when this device hosts")->type_name("PORT");
  v.start->add_option("--bind", v.bind, "Address to listen on, when this device hosts")->type_name("ADDRESS");
  v.start->fallthrough();
}

int run_reminder(const std::filesystem::path& data_dir, const ReminderCli& v, bool json, std::ostream& out,
                 std::ostream& err) {
  const Reply reply{json, out, err, "reminder_error"};
  std::string error;
  auto store = ReminderStore::open(remind::reminder_file(data_dir), &error);
  if (!store) {
    reply.problem(error);
    return static_cast<int>(ExitCode::Storage);
  }
  std::unique_ptr<invite::InviteStore> invitations;
  remind::take_in_agreed_times(*store, data_dir, invitations);  // Times agreed by invitation.
  const int64_t now_ms = v.now_ms > 0 ? v.now_ms : remind::remind_now_ms();
  int code = 0;
  if (v.add->parsed()) code = add(*store, v, now_ms, reply);
  else if (v.list->parsed()) code = list(*store, now_ms, reply);
  else if (v.dismiss->parsed()) code = dismiss(*store, v, reply);
  if (!v.dismiss->parsed()) {
    if (auto due = remind::bring_due(*store, now_ms)) reply.event(due_event(*due), due->words.body + "\n");
  }
  return code;
}

static remind::LastPairing last_pairing(const identity::PinnedPeer& pin) {
  switch (pin.paired_as) {
    case identity::PairedAs::Host: return remind::LastPairing::ThisDeviceHosted;
    case identity::PairedAs::Joiner: return remind::LastPairing::ThisDeviceJoined;
    case identity::PairedAs::Unknown: break;
  }
  return remind::LastPairing::Unknown;
}

std::optional<StartPlan> plan_with_partner(const std::filesystem::path& data_dir,
                                           const std::string& partner_device_id, std::string* error) {
  identity::PinnedPeerStore pins(data_dir);
  if (const auto problem = pins.load()) {
    *error = *problem;
    return std::nullopt;
  }
  const auto pin = pins.find(partner_device_id);
  if (!pin) {
    *error = "This device isn't paired with your partner's device any more, so it needs a code this time.";
    return std::nullopt;
  }
  const auto me = identity::load_or_create_device_key(data_dir, identity::system_random());
  if (!me.identity) {
    *error = me.error;
    return std::nullopt;
  }
  StartPlan plan;
  plan.host = remind::start_role(last_pairing(*pin), me.identity->device_id(), partner_device_id) ==
              remind::StartRole::Host;
  plan.partner_device_id = partner_device_id;
  plan.partner_name = sanitize_display_text(pin->name);
  return plan;
}

std::optional<StartPlan> plan_start(const std::filesystem::path& data_dir, const std::string& id,
                                    std::string* error) {
  std::string open_error;
  auto store = ReminderStore::open(remind::reminder_file(data_dir), &open_error);
  const auto r = store ? store->find(id) : std::nullopt;
  if (!r) {
    *error = store ? "There is no agreed time " + sanitize_display_text(id) + " on this device." : open_error;
    return std::nullopt;
  }
  auto plan = plan_with_partner(data_dir, r->appointment.partner_device_id, error);
  if (plan) plan->partner_name = r->appointment.partner_name;
  return plan;
}

Json due_event(const remind::DueReminder& due) {
  return {{"event", "reminder_due"},
          {"reminder", reminder_json(due.reminder, due.reminder.shown_ms)},
          {"summary", due.words.summary},
          {"message", due.words.body},
          {"notified", remind::notify_result_name(due.notified)}};
}

std::optional<Json> take_due_reminder(const std::filesystem::path& data_dir, int64_t now_ms) {
  const auto file = remind::reminder_file(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec) && !std::filesystem::exists(invite::invite_file(data_dir), ec))
    return std::nullopt;
  std::string error;
  auto store = ReminderStore::open(file, &error);
  if (!store) return std::nullopt;
  std::unique_ptr<invite::InviteStore> invitations;
  remind::take_in_agreed_times(*store, data_dir, invitations);
  auto due = remind::bring_due(*store, now_ms);
  if (!due) return std::nullopt;
  return due_event(*due);
}

const std::vector<EventInfo>& reminder_event_list() {
  static const std::vector<EventInfo> list = {
      {"reminder_added", "reminder (id, partner_device_id, partner_name, at_utc, at_utc_ms, at_local, shown, dismissed)",
       "attune --headless reminder add kept an agreed time"},
      {"reminders", "reminders (a list of reminder)", "answer to reminder list"},
      {"reminder_due", "reminder, summary, message, notified (sent, no_bus, no_server or failed)",
       "once per agreed time, when it comes: after any reminder command, and while a headless host or joiner "
       "runs"},
      {"reminder_dismissed", "id", "reminder dismiss put one away"},
      {"reminder_start", "id, role (host or join), partner_name", "reminder start: this device hosts, or joins its partner"},
      {"reminder_error", "message", "a reminder command couldn't be done; nothing was changed"},
  };
  return list;
}

}  // namespace attune::cli
