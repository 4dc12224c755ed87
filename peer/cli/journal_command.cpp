#include "cli/journal_command.hpp"
#include "wall_clock.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>

#include "attune/text.hpp"
#include "cli/command_reply.hpp"
#include "journal/journal_store.hpp"
#include "journal/known_sessions.hpp"
#include "journal/local_time.hpp"

namespace attune::cli {

namespace {

using journal::JournalStore;
using journal::Problem;
using journal::Rupture;
using Json = nlohmann::json;

Json entry_json(const Rupture& r) {
  Json j = {{"id", r.id},
            {"happened_utc", journal::utc_iso(r.happened_ms)},
            {"happened_local", journal::local_date_time(r.happened_ms)},
            {"size", std::string(journal::size_name(r.size))},
            {"what", r.what},
            {"underneath", r.underneath},
            {"open", r.open()}};
  if (r.repair) {
    const int64_t took = *journal::time_to_repair(r);
    j["repaired"] = {{"way", r.repair->way == journal::RepairWay::Session ? "session" : "talked_through"},
                     {"session_id", r.repair->session_id},
                     {"repaired_utc", journal::utc_iso(r.repair->repaired_ms)},
                     {"took_ms", took},
                     {"took", journal::duration_words(took)}};
  }
  return j;
}

std::string entry_text(const Rupture& r, int64_t now_ms) {
  std::string line = "  #" + std::to_string(r.id) + "  " + journal::local_date_time(r.happened_ms) + "  (" +
                     std::string(journal::size_name(r.size)) + ")  " + sanitize_display_text(r.what);
  if (!r.underneath.empty()) {
    line += "\n       underneath:";
    for (const auto& w : r.underneath) line += " " + w;
  }
  if (r.repair) {
    line += "\n       repaired after " + journal::duration_words(*journal::time_to_repair(r));
    line += r.repair->way == journal::RepairWay::Session ? " (in a session)" : " (you talked it through)";
  } else {
    line += "\n       open for " + journal::duration_words(now_ms - r.happened_ms);
  }
  return line + "\n";
}

using Reply = CommandReply;

int add(JournalStore& store, const JournalCli& v, int64_t now_ms, const Reply& reply) {
  journal::Draft d;
  const auto size = journal::parse_size(v.size);
  if (!size) return reply.problem("Size is small or big.");
  d.size = *size;
  d.what = repair_utf8(v.what);  // An older terminal's Latin-1 reads as meant.
  d.happened_ms = now_ms;
  if (v.when != "now") {
    const auto when = journal::parse_local_time(trim(v.when));
    if (!when) return reply.problem("--when is \"now\" or a local time like 2026-11-28 19:30.");
    d.happened_ms = *when;
  }
  for (const auto& w : v.underneath) d.underneath.push_back(repair_utf8(w));
  const auto kept = store.note(d, now_ms);
  if (const auto* p = std::get_if<Problem>(&kept)) return reply.problem(p->message);
  const Rupture& r = std::get<Rupture>(kept);
  reply.event({{"event", "journal_noted"}, {"entry", entry_json(r)}},
              "Noted, just for you (#" + std::to_string(r.id) + "). It stays on this device.\n");
  return 0;
}

int list(JournalStore& store, int64_t now_ms, const Reply& reply) {
  const journal::History h = journal::history_of(store.list());
  Json open = Json::array(), repaired = Json::array();
  std::string text;
  if (h.open.empty() && h.repaired.empty()) text = "Your journal is empty. It's here whenever you need it.\n";
  if (!h.open.empty()) text += "Still open (" + std::to_string(h.open.size()) + "):\n";
  for (const auto& r : h.open) {
    open.push_back(entry_json(r));
    text += entry_text(r, now_ms);
  }
  if (!h.repaired.empty()) text += "Repaired (" + std::to_string(h.repaired.size()) + "):\n";
  for (const auto& r : h.repaired) {
    repaired.push_back(entry_json(r));
    text += entry_text(r, now_ms);
  }
  reply.event({{"event", "journal"}, {"open", open}, {"repaired", repaired}}, text);
  return 0;
}

// Why `--session ID` can't be taken, or "" when this device took part in it.
std::string session_problem(const std::filesystem::path& data_dir, const std::string& id) {
  switch (journal::check_session(data_dir, id)) {
    case journal::SessionCheck::Known: return "";
    case journal::SessionCheck::Unknown:
      return "This device has no session " + sanitize_display_text(id) +
             " in its history; only a session it was part of can be named here. Check the id (a headless "
             "session's state lines carry it), or say --talked-through instead.";
    case journal::SessionCheck::Unreadable:
      return "Attune is running on this device, so its past sessions can't be read just now, and " +
             sanitize_display_text(id) +
             " isn't among the window's. Try again once it has stopped, or say --talked-through instead.";
  }
  return "";
}

int repaired(JournalStore& store, const std::filesystem::path& data_dir, const JournalCli& v, int64_t now_ms,
             const Reply& reply) {
  if (v.talked_through == !v.session_id.empty())
    return reply.problem("Say how it was repaired: --session ID, or --talked-through.");
  if (!v.session_id.empty())
    if (const std::string why = session_problem(data_dir, v.session_id); !why.empty()) return reply.problem(why);
  journal::Repair repair;
  repair.way = v.talked_through ? journal::RepairWay::TalkedThrough : journal::RepairWay::Session;
  repair.session_id = v.session_id;
  const auto marked = store.mark_repaired(v.id, repair, now_ms);
  if (const auto* p = std::get_if<Problem>(&marked)) return reply.problem(p->message);
  const Rupture& r = std::get<Rupture>(marked);
  reply.event({{"event", "journal_repaired"}, {"entry", entry_json(r)}},
              "Marked repaired, after " + journal::duration_words(*journal::time_to_repair(r)) +
                  ". Coming back to it mattered.\n");
  return 0;
}

int follow_up(JournalStore& store, const JournalCli& v, const Reply& reply) {
  journal::FollowUpSettings s = store.follow_up_settings();
  if (v.on && v.off) return reply.problem("Choose --on or --off, not both.");
  if (v.on) s.enabled = true;
  if (v.off) s.enabled = false;
  if (v.gap_days != 0) {
    if (!std::isfinite(v.gap_days)) return reply.problem("--gap-days is a number of days, like 2.");
    s.gap_ms = static_cast<int64_t>(std::llround(v.gap_days * static_cast<double>(journal::kDayMs)));
  }
  if (v.on || v.off || v.gap_days != 0)
    if (const auto p = store.set_follow_up(s)) return reply.problem(p->message);
  const double days = static_cast<double>(s.gap_ms) / static_cast<double>(journal::kDayMs);
  reply.event({{"event", "journal_follow_up_settings"}, {"enabled", s.enabled}, {"gap_days", days}},
              s.enabled ? "A gentle follow-up comes once, for a rupture still open after " +
                              journal::duration_words(s.gap_ms) + ".\n"
                        : std::string("Follow-ups are off. Turn them back on with --on.\n"));
  return 0;
}

int remove(JournalStore& store, const JournalCli& v, const Reply& reply) {
  if (const auto p = store.remove(v.id)) return reply.problem(p->message);
  reply.event({{"event", "journal_deleted"}, {"id", v.id}},
              "Entry " + std::to_string(v.id) + " is gone from your journal, and from this device.\n");
  return 0;
}

int dismiss(JournalStore& store, const JournalCli& v, const Reply& reply) {
  if (const auto p = store.dismiss_follow_up(v.id)) return reply.problem(p->message);
  reply.event({{"event", "journal_follow_up_dismissed"}, {"id", v.id}}, "Okay, that reminder is put away.\n");
  return 0;
}

std::string follow_up_text(const Rupture& due, int64_t now_ms) {
  return journal::follow_up_words(due, journal::local_day(due.happened_ms, now_ms), now_ms);
}

Json follow_up_event(const Rupture& due, int64_t now_ms) {
  return {{"event", "journal_follow_up"}, {"id", due.id}, {"message", follow_up_text(due, now_ms)}};
}

// Brings the follow-up that is due now, once.
void bring_follow_up(JournalStore& store, int64_t now_ms, const Reply& reply) {
  const auto due = store.take_follow_up(now_ms);
  if (!due) return;
  reply.event(follow_up_event(*due, now_ms), "\n" + follow_up_text(*due, now_ms) + "\n(attune journal dismiss " +
                                                 std::to_string(due->id) + " puts it away.)\n");
}

}  // namespace

void define_journal_cli(CLI::App& app, JournalCli& v) {
  v.command = app.add_subcommand("journal", "Your private rupture journal (it never leaves this device)");
  v.command->require_subcommand(1);
  v.command->fallthrough();
  v.command->add_option("--now-ms", v.now_ms)->group("");
  v.add = v.command->add_subcommand("add", "Note a rupture, in your own words");
  v.add->add_option("--what", v.what, "What happened, in your own words")->required()->type_name("TEXT");
  v.add->add_option("--size", v.size, "small or big")->capture_default_str()->type_name("SIZE");
  v.add->add_option("--when", v.when, "now, or a local time like \"2026-11-28 19:30\"")
      ->capture_default_str()
      ->type_name("TIME");
  v.add->add_option("--under", v.underneath,
                    "What was underneath for you (shame, fear, an unmet need, or a word from the feelings and "
                    "needs lists); repeat for more")
      ->type_name("WORD");
  v.add->fallthrough();
  v.list = v.command->add_subcommand("list", "What is still open, and how long repair took for the rest");
  v.list->fallthrough();
  v.repaired = v.command->add_subcommand("repaired", "Mark a rupture repaired");
  v.repaired->add_option("id", v.id, "The entry's number")->required()->type_name("N");
  v.repaired->add_option("--session", v.session_id, "The session that repaired it")->type_name("ID");
  v.repaired->add_flag("--talked-through", v.talked_through, "You talked it through without the app");
  v.repaired->fallthrough();
  v.follow_up = v.command->add_subcommand("follow-up", "The one gentle follow-up: show or change it");
  v.follow_up->add_flag("--on", v.on, "Turn follow-ups on");
  v.follow_up->add_flag("--off", v.off, "Turn follow-ups off");
  v.follow_up->add_option("--gap-days", v.gap_days, "Days a rupture stays open before its follow-up (default 2)")
      ->type_name("DAYS");
  v.follow_up->fallthrough();
  v.dismiss = v.command->add_subcommand("dismiss", "Put a follow-up away");
  v.dismiss->add_option("id", v.id, "The entry's number")->required()->type_name("N");
  v.dismiss->fallthrough();
  v.remove = v.command->add_subcommand("delete", "Remove an entry for good; its words are wiped from this device");
  v.remove->add_option("id", v.id, "The entry's number")->required()->type_name("N");
  v.remove->fallthrough();
}

int run_journal(const std::filesystem::path& data_dir, const JournalCli& v, bool json, std::ostream& out,
                std::ostream& err) {
  const Reply reply{json, out, err, "journal_error"};
  std::string error;
  auto store = JournalStore::open(journal::journal_file(data_dir), &error);
  if (!store) {
    reply.problem(error);
    return static_cast<int>(ExitCode::Storage);
  }
  const int64_t now_ms = v.now_ms > 0 ? v.now_ms : wall_ms();
  int code = 0;
  if (v.add->parsed()) code = add(*store, v, now_ms, reply);
  else if (v.list->parsed()) code = list(*store, now_ms, reply);
  else if (v.repaired->parsed()) code = repaired(*store, data_dir, v, now_ms, reply);
  else if (v.follow_up->parsed()) code = follow_up(*store, v, reply);
  else if (v.dismiss->parsed()) code = dismiss(*store, v, reply);
  else if (v.remove->parsed()) code = remove(*store, v, reply);
  if (!v.dismiss->parsed()) bring_follow_up(*store, now_ms, reply);
  return code;
}

std::optional<Json> take_journal_follow_up(const std::filesystem::path& data_dir, int64_t now_ms) {
  const auto file = journal::journal_file(data_dir);
  if (!std::filesystem::exists(file)) return std::nullopt;  // No journal: nothing to create.
  std::string error;
  auto store = JournalStore::open(file, &error);
  if (!store) return std::nullopt;
  const auto due = store->take_follow_up(now_ms);
  if (!due) return std::nullopt;
  return follow_up_event(*due, now_ms);
}

const std::vector<EventInfo>& journal_event_list() {
  static const std::vector<EventInfo> list = {
      {"journal_noted", "entry (id, happened_utc, happened_local, size, what, underneath, open)",
       "attune --headless journal add kept a note"},
      {"journal", "open, repaired (entries; a repaired one says how and how long it took)",
       "answer to journal list"},
      {"journal_repaired", "entry", "journal repaired marked one repaired"},
      {"journal_follow_up_settings", "enabled, gap_days", "answer to journal follow-up"},
      {"journal_follow_up", "id, message",
       "once per rupture: it has been open longer than the chosen gap (after any journal command, and when a "
       "headless host or joiner starts)"},
      {"journal_follow_up_dismissed", "id", "journal dismiss put a follow-up away"},
      {"journal_deleted", "id", "journal delete removed an entry for good"},
      {"journal_error", "message", "a journal command couldn't be done; nothing was changed"},
  };
  return list;
}

}  // namespace attune::cli
