#include "cli/invite_command.hpp"

#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "attune/crypto/sodium_init.hpp"
#include "cli/headless.hpp"
#include "attune/discovery/join_target.hpp"
#include "attune/text.hpp"
#include "identity/device_key_store.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/system_random.hpp"
#include "invite/invite_json.hpp"
#include "invite/invite_store.hpp"
#include "invite/outgoing.hpp"
#include "invite/partner_choice.hpp"
#include "invite/postbox.hpp"
#include "journal/local_time.hpp"
#include "wall_clock.hpp"

namespace attune::cli {

namespace {

using invite::Invitation;
using invite::InviteStore;
using invite::Problem;
using Json = nlohmann::json;

struct Reply {
  bool json;
  std::ostream& out;
  std::ostream& err;
  void event(const Json& j, const std::string& text) const {
    if (json)
      out << j.dump(-1, ' ', false, Json::error_handler_t::replace) << std::endl;
    else
      out << text << std::flush;
  }
  int problem(const std::string& message, ExitCode code = ExitCode::Usage) const {
    if (json)
      out << Json{{"event", "invite_error"}, {"message", message}}.dump() << std::endl;
    else
      err << "attune: " << message << "\n";
    return static_cast<int>(code);
  }
};

// "2026-12-02T18:30Z" (UTC) or a local time like "2026-12-02 19:30".
std::optional<int64_t> parse_time(std::string_view text) {
  text = trim(text);
  if (auto utc = invite::parse_utc_iso(text)) return utc;
  return journal::parse_local_time(text);
}

std::string offers_text(const Invitation& inv) {
  std::string text;
  for (std::size_t i = 0; i < inv.offers_utc_ms.size(); ++i)
    text += "    " + std::to_string(i + 1) + ". " + journal::local_date_time(inv.offers_utc_ms[i]) + "\n";
  if (inv.offers_now) text += "    or now\n";
  return text;
}

int send(InviteStore& store, const std::filesystem::path& data_dir, const InviteCli& v, int64_t now,
         const Reply& reply) {
  invite::Draft d;
  d.day = repair_utf8(v.day);
  d.words = repair_utf8(v.words);
  d.offers_now = v.offer_now;
  for (const auto& text : v.at) {
    const auto at = parse_time(text);
    if (!at) return reply.problem("A time looks like 2026-12-02 19:30 (your time) or 2026-12-02T18:30Z (UTC).");
    d.offers_utc_ms.push_back(*at);
  }
  const auto sent = invite::send_invitation(store, data_dir, d, v.name, v.to, now);
  if (const auto* p = std::get_if<Problem>(&sent)) return reply.problem(p->message);
  const Invitation& inv = std::get<Invitation>(sent);
  reply.event({{"event", "invitation_sent"}, {"invitation", invite::invitation_json(inv)}},
              "Your invitation is ready:\n  \"" + invite::invitation_sentence(inv.day) + "\"\n" + offers_text(inv) +
                  "It reaches your partner's device as soon as both are on and can find each other "
                  "(while the window, attune host or join, or attune invite serve runs).\n");
  return 0;
}

std::variant<invite::Answer, Problem> answer_from(const InviteCli& v, int64_t now) {
  invite::Answer a;
  a.answered_utc_ms = now;
  const int chosen = (v.pick > 0) + v.answer_now + !v.other.empty() + v.not_yet + v.accept;
  if (chosen != 1) return Problem{"Answer with one of --pick N, --now, --other TIME, --not-yet or --accept."};
  if (v.pick > 0) {
    a.kind = invite::AnswerKind::Offered;
    a.offer_index = static_cast<std::size_t>(v.pick - 1);
  } else if (v.answer_now) {
    a.kind = invite::AnswerKind::Now;
  } else if (!v.other.empty()) {
    const auto at = parse_time(v.other);
    if (!at) return Problem{"A time looks like 2026-12-02 19:30 (your time) or 2026-12-02T18:30Z (UTC)."};
    a.kind = invite::AnswerKind::Other;
    a.at_utc_ms = *at;
  } else {
    a.kind = v.not_yet ? invite::AnswerKind::NotYet : invite::AnswerKind::Accept;
  }
  return a;
}

std::string answer_text(const Invitation& inv) {
  switch (inv.status) {
    case invite::Status::Agreed:
      return "Agreed: " + journal::local_date_time(*inv.agreed_utc_ms) + ". Thank you for making the time.\n";
    case invite::Status::Countered:
      return "You proposed " + journal::local_date_time(*inv.proposed_utc_ms) + ". Your partner can say yes to it.\n";
    case invite::Status::NotYet:
      return "\"Not yet\" is on its way. That's okay; it can wait until you're ready.\n";
    case invite::Status::Waiting: break;
  }
  return "";
}

// The invitation a typed id names: the whole id, or the start of exactly one
// (the text list shows the first 8 characters).
std::variant<std::string, Problem> invitation_id(InviteStore& store, const std::string& typed) {
  if (typed.empty()) return Problem{"Say which invitation to answer. attune invite list shows them."};
  std::vector<std::string> matches;
  for (const auto& inv : store.list()) {
    if (inv.id == typed) return inv.id;
    if (inv.id.starts_with(typed)) matches.push_back(inv.id);
  }
  if (matches.size() > 1)
    return Problem{"More than one invitation's id starts with " + sanitize_display_text(typed) +
                   ". Type a few more characters of it."};
  return matches.empty() ? typed : matches.front();  // None: answer_invitation says so in words.
}

int answer(InviteStore& store, const InviteCli& v, int64_t now, const Reply& reply) {
  const auto parsed = answer_from(v, now);
  if (const auto* p = std::get_if<Problem>(&parsed)) return reply.problem(p->message);
  const auto& a = std::get<invite::Answer>(parsed);
  const auto id = invitation_id(store, v.id);
  if (const auto* p = std::get_if<Problem>(&id)) return reply.problem(p->message);
  const auto answered = invite::answer_invitation(store, std::get<std::string>(id), a, v.name);
  if (const auto* p = std::get_if<Problem>(&answered)) return reply.problem(p->message);
  const Invitation& next = std::get<Invitation>(answered);
  reply.event({{"event", "invitation_answer_sent"}, {"answer", std::string(invite::answer_name(a.kind))},
               {"invitation", invite::invitation_json(next)}},
              answer_text(next));
  if (auto appointment = invite::appointment_of(next)) reply.event(invite::agreed_event(*appointment), "");
  return 0;
}

int list(InviteStore& store, const Reply& reply) {
  Json all = Json::array();
  std::string text;
  for (const auto& inv : store.list()) {
    all.push_back(invite::invitation_json(inv));
    text += "  " + inv.id.substr(0, 8) + "  " + (inv.side == invite::Side::Sent ? "to" : "from") + " " +
            (inv.partner_name.empty() ? std::string("your partner") : sanitize_display_text(inv.partner_name)) +
            ": \"" + sanitize_display_text(invite::invitation_sentence(inv.day)) + "\" (" +
            std::string(invite::status_name(inv.status)) + ")\n";
    if (!inv.words.empty()) text += "      " + sanitize_display_text(inv.words) + "\n";
    if (inv.status == invite::Status::Waiting) text += offers_text(inv);
  }
  if (text.empty()) text = "No invitations yet.\n";
  reply.event({{"event", "invitations"}, {"invitations", all}}, text);
  return 0;
}

int agreed(InviteStore& store, const Reply& reply) {
  Json all = Json::array();
  std::string text;
  for (const auto& a : store.agreed_appointments()) {
    Json j = invite::agreed_event(a);
    j.erase("event");
    all.push_back(j);
    text += "  " + journal::local_date_time(a.at_utc_ms) + " with " +
            (a.partner_name.empty() ? std::string("your partner") : sanitize_display_text(a.partner_name)) + "\n";
  }
  if (text.empty()) text = "No agreed times yet.\n";
  reply.event({{"event", "appointments"}, {"appointments", all}}, text);
  return 0;
}

// `invite serve`'s postbox for as long as it runs. Every few seconds it reads
// the pins again and follows them the way the postbox of `attune host`/`join`
// does (invite::follow_pins): when the partner it should serve changes (the
// one served was forgotten, or a newer partner was paired), it closes with
// close frames and opens for the new one on the same port, and says so in
// one `postbox_partner_changed` line. With --to it serves only that device;
// forgotten, it says so and waits for it to be paired again.
class ServeLoop {
 public:
  ServeLoop(InviteStore& store, const std::filesystem::path& data_dir, const InviteCli& v, const Reply& reply,
            crypto::DeviceIdentity self)
      : store_(store), data_dir_(data_dir), v_(v), reply_(reply), self_(std::move(self)), port_(v.port) {}

  // Opens for the partner chosen at start; throws std::system_error if it can't listen.
  void start(const invite::Partner& partner) {
    open(partner);
    to_ = v_.to.empty() ? "" : partner.peer.device_id;  // --to: exactly this device from now on.
  }

  void run() {
    asio::signal_set signals(io_, SIGINT, SIGTERM);
    signals.async_wait([this](const asio::error_code&, int) {
      stopping_ = true;
      look_.cancel();
      if (!postbox_) return io_.stop();
      postbox_->stop_then([this] { io_.stop(); });
    });
    watch();
    io_.run();
  }

 private:
  static constexpr auto kLookAgain = std::chrono::seconds(3);  // As often as the postbox_runner looks.

  invite::PostboxConfig config_for(const invite::Partner& partner) const {
    invite::PostboxConfig config(self_, partner.peer);
    config.bind_address = v_.bind_address;
    config.port = port_;
    config.note = partner.note;
    std::string address = store_.partner_address(partner.peer.device_id);
    if (address.empty()) address = v_.partner;  // Checked at start; a reinstalled partner sits there too.
    const auto target = discovery::parse_join_target(address);
    if (!address.empty() && target.error.empty()) {
      config.partner_host = target.host;
      config.partner_port = target.port;
    }
    config.pins_dir = data_dir_;  // A partner forgotten while serving is turned away at once.
    config.crash_at = v_.crash_at;
    config.find_on_network = !v_.no_beacon;
    config.finder.only_loopback = v_.beacon_loopback;
    if (v_.beacon_port != 0) config.finder.group_port = v_.beacon_port;
    config.on_event = [this](const Json& j) { reply_.event(j, ""); };
    return config;
  }

  // Throws std::system_error if it can't listen; the port stays the one
  // first listened on, so the partner's remembered address stays right.
  void open(const invite::Partner& partner) {
    auto postbox = std::make_unique<invite::Postbox>(io_, store_, config_for(partner));
    postbox->start();
    postbox_ = std::move(postbox);
    port_ = postbox_->port();
    serving_ = partner.peer;
  }

  void watch() {
    look_.expires_after(kLookAgain);
    look_.async_wait([this](const asio::error_code& ec) {
      if (ec || stopping_) return;
      const auto now = invite::postbox_choice(data_dir_, to_);
      const auto step = invite::follow_pins(serving_, now);
      if (step == invite::PostboxStep::Keep || step == invite::PostboxStep::Wait) return watch();
      if (step == invite::PostboxStep::Open) return reopen(now);
      postbox_->stop_then([this, now] {
        asio::post(io_, [this, now] {
          postbox_.reset();
          serving_.reset();
          if (stopping_) return io_.stop();
          reopen(now);
        });
      });
    });
  }

  // After the old postbox closed: says who it carries letters for now, and
  // opens for them (or waits, when no one is named).
  void reopen(const invite::PostboxChoice& now) {
    const auto* partner = std::get_if<invite::Partner>(&now.chosen);
    if (!partner) {
      changed("", to_.empty() ? "Your pairings changed, and no partner's device is named now, so invitations wait "
                                "here. This keeps running; pair again in a session and they go on."
                              : "The device you asked for (" + to_ + ") isn't paired with this computer any more, "
                                "so invitations for it wait here. This keeps running and carries them again once "
                                "you pair with it again.");
      return watch();
    }
    try {
      open(*partner);
      said_busy_ = false;
      std::string words = invite::now_serving_words(*partner);
      if (!partner->note.empty()) words += " " + partner->note;
      changed(partner->peer.device_id, words);
    } catch (const std::system_error& e) {
      if (!said_busy_)
        reply_.event({{"event", "invite_error"}, {"message", "Port " + std::to_string(port_) +
                                                                 " can't be listened on just now (" + e.what() +
                                                                 "); trying again in a moment."}},
                     "");
      said_busy_ = true;
    }
    watch();
  }

  void changed(const std::string& device_id, const std::string& words) {
    reply_.event({{"event", "postbox_partner_changed"}, {"partner_device_id", device_id}, {"message", words}},
                 words + "\n");
  }

  InviteStore& store_;
  const std::filesystem::path& data_dir_;
  const InviteCli& v_;
  const Reply& reply_;
  crypto::DeviceIdentity self_;
  asio::io_context io_;
  asio::steady_timer look_{io_};
  std::unique_ptr<invite::Postbox> postbox_;
  std::optional<crypto::PeerIdentity> serving_;  // The partner the open postbox serves.
  std::uint16_t port_;
  std::string to_;  // With --to: the whole device id it named at start.
  bool stopping_ = false;
  bool said_busy_ = false;
};

int serve(InviteStore& store, const std::filesystem::path& data_dir, const InviteCli& v, const Reply& reply) {
  const auto partner = invite::partner_of(data_dir, v.to);
  if (const auto* p = std::get_if<Problem>(&partner)) return reply.problem(p->message);
  crypto::init_crypto();
  const auto key = identity::load_or_create_device_key(data_dir, identity::system_random());
  if (!key.identity) return reply.problem(key.error, ExitCode::Storage);
  const auto& chosen = std::get<invite::Partner>(partner);
  if (!v.partner.empty()) {
    if (!discovery::parse_join_target(v.partner).error.empty())
      return reply.problem("--partner is the partner's address, like 192.168.1.20:47100.");
    store.remember_partner_address(chosen.peer.device_id, v.partner);
  }
  ServeLoop loop(store, data_dir, v, reply, *key.identity);
  try {
    loop.start(chosen);
  } catch (const std::system_error& e) {
    return reply.problem(std::string("The postbox can't listen there: ") + e.what(), ExitCode::Network);
  }
  loop.run();
  return 0;
}

}  // namespace

void define_invite_cli(CLI::App& app, InviteCli& v) {
  v.command = app.add_subcommand("invite", "Invite your partner's paired device to come back to a rupture");
  v.command->require_subcommand(1);
  v.command->fallthrough();
  v.command->add_option("--now-ms", v.now_ms)->group("");
  v.send = v.command->add_subcommand("send", "Write an invitation; it goes as soon as both devices can meet");
  v.send->add_option("--day", v.day, "The day or moment to come back to, e.g. Tuesday")->required()->type_name("TEXT");
  v.send->add_option("--at", v.at, "A time to offer: 2026-12-02 19:30 (your time) or 2026-12-02T18:30Z; repeat "
                                   "for a few")
      ->type_name("TIME");
  v.send->add_flag("--now", v.offer_now, "Offer \"now\" too");
  v.send->add_option("--words", v.words, "A few words of your own, only if you want to add them")->type_name("TEXT");
  v.send->add_option("--to", v.to, "Your partner's device id (attune devices), if this computer paired with more")
      ->type_name("DEVICE");
  v.send->add_option("--name", v.name, "How your partner knows you")->type_name("NAME");
  v.send->fallthrough();
  v.answer = v.command->add_subcommand("answer", "Answer an invitation, or say yes to another time");
  v.answer->add_option("id", v.id, "The invitation's id, or its start (attune invite list)")
      ->required()
      ->type_name("ID");
  v.answer->add_option("--pick", v.pick, "One of the offered times, by its number")->type_name("N");
  v.answer->add_flag("--now", v.answer_now, "Now works");
  v.answer->add_option("--other", v.other, "Another time that suits you better")->type_name("TIME");
  v.answer->add_flag("--not-yet", v.not_yet, "Not yet (no reason is asked)");
  v.answer->add_flag("--accept", v.accept, "Say yes to the other time your partner proposed");
  v.answer->add_option("--name", v.name, "How your partner knows you")->type_name("NAME");
  v.answer->fallthrough();
  v.list = v.command->add_subcommand("list", "Invitations sent and received, and where each stands");
  v.list->fallthrough();
  v.agreed = v.command->add_subcommand("agreed", "The times you and your partner agreed");
  v.agreed->fallthrough();
  v.serve = v.command->add_subcommand("serve", "Carry invitations to and from your partner's device while it runs");
  v.serve->add_option("--port", v.port, "Port to listen on (0 picks one)")->type_name("PORT");
  v.serve->add_option("--bind", v.bind_address, "Address to listen on")->capture_default_str()->type_name("ADDR");
  v.serve->add_option("--partner", v.partner, "Your partner's address, host:port (remembered for next time)")
      ->type_name("ADDRESS");
  v.serve->add_option("--to", v.to, "Your partner's device id, if this computer paired with more")
      ->type_name("DEVICE");
  v.serve->add_flag("--no-beacon", v.no_beacon,
                    "Don't look for your partner's device on this network (only at --partner's address)");
  v.serve->add_flag("--beacon-loopback", v.beacon_loopback)->group("");
  v.serve->add_option("--beacon-port", v.beacon_port)->group("");
  v.serve->add_option("--crash-at", v.crash_at)->group("");
  v.serve->fallthrough();
}

int run_invite(const std::filesystem::path& data_dir, const InviteCli& v, bool json, std::ostream& out,
               std::ostream& err) {
  const Reply reply{json, out, err};
  std::string error;
  auto store = InviteStore::open(data_dir, &error);
  if (!store) return reply.problem(error, ExitCode::Storage);
  const int64_t now = v.now_ms > 0 ? v.now_ms : wall_ms();
  try {
    if (v.send->parsed()) return send(*store, data_dir, v, now, reply);
    if (v.answer->parsed()) return answer(*store, v, now, reply);
    if (v.list->parsed()) return list(*store, reply);
    if (v.agreed->parsed()) return agreed(*store, reply);
    if (v.serve->parsed()) return serve(*store, data_dir, v, reply);
  } catch (const store::StoreError& e) {
    return reply.problem(std::string("Nothing was changed: ") + e.what(), ExitCode::Storage);
  }
  return 0;
}

const std::vector<EventInfo>& invite_event_list() {
  static const std::vector<EventInfo> list = {
      {"invitation_sent", "invitation (id, side, partner_device_id, partner_name, day, sentence, offers, "
                          "offers_now, words, status)",
       "attune --headless invite send kept an invitation; it waits for the partner's device"},
      {"invitation_answer_sent", "answer, invitation", "invite answer kept an answer; it waits for the partner's device"},
      {"invitations", "invitations", "answer to invite list"},
      {"appointments", "appointments (id, partner_device_id, partner_name, at)", "answer to invite agreed"},
      {"postbox_open", "port, partner_device_id, message", "the postbox is listening (message: why this partner, if several)"},
      {"postbox_partner_changed", "partner_device_id, message",
       "invite serve: the pins changed while it runs, and it now carries letters for this partner (\"\": none "
       "for now; it waits)"},
      {"partner_reached", "partner_device_id", "invite serve: a sealed link to the partner's device is up"},
      {"partner_found", "partner_device_id", "invite serve: the partner's beacon was heard on this network"},
      {"partner_away", "partner_device_id, said_goodbye",
       "invite serve: the link to the partner's device went away (said_goodbye: it closed on purpose)"},
      {"invitation_received", "invitation", "invite serve: the partner's invitation arrived (once)"},
      {"invitation_answered", "invitation", "invite serve: the partner's answer arrived (once)"},
      {"invitation_agreed", "id, partner_device_id, partner_name, at (utc, utc_ms, local)",
       "a time is agreed, on both devices (after invite answer, or when the answer arrives)"},
      {"letter_delivered", "letter_id", "invite serve: the partner's device has kept a letter"},
      {"letter_refused", "letter_id, message", "invite serve: the partner's device couldn't take a letter"},
      {"invite_error", "message", "an invite command couldn't be done; nothing was changed"},
  };
  return list;
}

}  // namespace attune::cli
