#include "cli/prepare_command.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

#include "attune/intents.hpp"
#include "attune/prepare/carry_over.hpp"
#include "attune/text.hpp"
#include "cli/command_parser.hpp"
#include "cli/command_reply.hpp"
#include "journal/local_time.hpp"
#include "prepare/prepare_store.hpp"
#include "wall_clock.hpp"

namespace attune::cli {

namespace {

using prepare::Part;
using prepare::Preparation;
using prepare::PrepareStore;
using prepare::Problem;
using Json = nlohmann::json;

struct PartOption {
  Part part;
  const char* flag;
  const char* what;
};

constexpr PartOption kPartOptions[] = {
    {Part::What, "--what", "What happened, in your own words"},
    {Part::Generous, "--generous", "A generous reading of the other"},
    {Part::Share, "--share", "A draft of your share: what you felt and needed"},
    {Part::OwnPart, "--own-part", "Your part in the pattern"},
    {Part::Reassure, "--reassure", "What you want them to hear from you"},
    {Part::Gesture, "--gesture", "A gesture you would offer"},
};

Json preparation_json(const Preparation& p) {
  Json j = {{"id", p.id},
            {"created_utc", journal::utc_iso(p.created_ms)},
            {"updated_utc", journal::utc_iso(p.updated_ms)},
            {"headline", prepare::headline(p.words)}};
  if (p.words.activation != prepare::kNoActivation) j["activation"] = p.words.activation;
  for (Part part : prepare::kParts) j[std::string(prepare::part_name(part))] = prepare::text_of(p.words, part);
  return j;
}

std::string preparation_text(const Preparation& p) {
  std::string text = "#" + std::to_string(p.id) + "  " + journal::local_date_time(p.updated_ms) + "\n";
  if (p.words.activation != prepare::kNoActivation)
    text += "  Activation: " + std::to_string(p.words.activation) + " of 10\n";
  for (Part part : prepare::kParts) {
    const std::string& words = prepare::text_of(p.words, part);
    if (!words.empty()) text += "  " + std::string(prepare::part_title(part)) + ": " + sanitize_display_text(words) + "\n";
  }
  return text;
}

using Reply = CommandReply;

// The words given on the command line, over `base` (all empty for add).
prepare::Words words_from(const PrepareCli& v, prepare::Words base, bool editing) {
  const auto& options = editing ? v.edit_options : v.add_options;
  for (const auto& [part, option] : options)
    if (option->count() > 0) prepare::text_of(base, part) = repair_utf8(v.texts.at(part));
  if (!editing || (v.edit_activation && v.edit_activation->count() > 0)) base.activation = v.activation;
  return base;
}

int saved(const std::variant<Preparation, Problem>& result, const Reply& reply, const char* said) {
  if (const auto* p = std::get_if<Problem>(&result)) return reply.problem(p->message);
  const Preparation& p = std::get<Preparation>(result);
  std::string text = std::string(said) + " (#" + std::to_string(p.id) + "). It stays on this device";
  if (prepare::wants_pacer(p.words.activation))
    text += ".\nYour activation is high: a few slow breaths before a real conversation can help";
  reply.event({{"event", "prepare_saved"}, {"preparation", preparation_json(p)}}, text + ".\n");
  return 0;
}

int list(const PrepareStore& store, const Reply& reply) {
  Json all = Json::array();
  std::string text = "";
  const auto history = prepare::history_of(store.list());
  if (history.empty()) text = "Nothing prepared yet. attune prepare add --what \"...\" starts one.\n";
  for (const auto& p : history) {
    all.push_back(preparation_json(p));
    text += "  #" + std::to_string(p.id) + "  " + journal::local_date_time(p.updated_ms) + "  " +
            prepare::headline(p.words) + "\n";
  }
  reply.event({{"event", "preparations"}, {"preparations", all}}, text);
  return 0;
}

int show(const PrepareStore& store, int64_t id, const Reply& reply) {
  const auto p = store.find(id);
  if (!p) return reply.problem("There's no preparation " + std::to_string(id) + " on this device.");
  reply.event({{"event", "preparation"}, {"preparation", preparation_json(*p)}}, preparation_text(*p));
  return 0;
}

int edit(PrepareStore& store, const PrepareCli& v, int64_t now_ms, const Reply& reply) {
  const auto before = store.find(v.id);
  if (!before) return reply.problem("There's no preparation " + std::to_string(v.id) + " on this device.");
  return saved(store.edit(v.id, words_from(v, before->words, true), now_ms), reply, "Updated");
}

int remove(PrepareStore& store, int64_t id, const Reply& reply) {
  if (const auto p = store.remove(id)) return reply.problem(p->message);
  reply.event({{"event", "prepare_removed"}, {"id", id}}, "Removed from this device.\n");
  return 0;
}

void part_options(CLI::App* sub, PrepareCli& v, std::map<Part, CLI::Option*>& into) {
  for (const auto& o : kPartOptions) into[o.part] = sub->add_option(o.flag, v.texts[o.part], o.what)->type_name("TEXT");
}

}  // namespace

void define_prepare_cli(CLI::App& app, PrepareCli& v) {
  v.command = app.add_subcommand("prepare", "Prepare alone for a conversation (nothing leaves this device)");
  v.command->require_subcommand(1);
  v.command->fallthrough();
  v.command->add_option("--now-ms", v.now_ms)->group("");
  v.add = v.command->add_subcommand("add", "Write down what you'd like to bring to a conversation");
  part_options(v.add, v, v.add_options);
  v.add->add_option("--activation", v.activation, "How activated you are, 0 (calm) to 10 (overwhelmed)")
      ->type_name("N");
  v.add->fallthrough();
  v.list = v.command->add_subcommand("list", "What you have prepared, the latest edit first");
  v.list->fallthrough();
  v.show = v.command->add_subcommand("show", "One preparation in full");
  v.show->add_option("id", v.id, "The preparation's number")->required()->type_name("N");
  v.show->fallthrough();
  v.edit = v.command->add_subcommand("edit", "Change some parts of a preparation (the others stay)");
  v.edit->add_option("id", v.id, "The preparation's number")->required()->type_name("N");
  part_options(v.edit, v, v.edit_options);
  v.edit_activation = v.edit->add_option("--activation", v.activation, "0 (calm) to 10 (overwhelmed)")->type_name("N");
  v.edit->fallthrough();
  v.remove = v.command->add_subcommand("remove", "Remove a preparation from this device");
  v.remove->add_option("id", v.id, "The preparation's number")->required()->type_name("N");
  v.remove->fallthrough();
}

int run_prepare(const std::filesystem::path& data_dir, const PrepareCli& v, bool json, std::ostream& out,
                std::ostream& err) {
  const Reply reply{json, out, err, "prepare_error"};
  std::string error;
  auto store = PrepareStore::open(prepare::prepare_file(data_dir), &error);
  if (!store) {
    reply.problem(error);
    return static_cast<int>(ExitCode::Storage);
  }
  const int64_t now_ms = v.now_ms > 0 ? v.now_ms : wall_ms();
  if (v.add->parsed()) return saved(store->add(words_from(v, {}, false), now_ms), reply, "Kept, just for you");
  if (v.list->parsed()) return list(*store, reply);
  if (v.show->parsed()) return show(*store, v.id, reply);
  if (v.edit->parsed()) return edit(*store, v, now_ms, reply);
  if (v.remove->parsed()) return remove(*store, v.id, reply);
  return 0;
}

DraftOffers::DraftOffers(const std::filesystem::path& data_dir) : file_(prepare::prepare_file(data_dir)) {}

DraftOffers::~DraftOffers() = default;

std::optional<prepare::Offer> DraftOffers::offer(const NodeView& view) const {
  const auto part = prepare::part_asked_of(view.state, view.my_role);
  if (!part) return std::nullopt;
  // Step 7 after a quick repair grew into the whole conversation: what this
  // person already named of their part comes first, as the window's box
  // starts from it (preparation id 0: it was said, not prepared).
  if (*part == Part::OwnPart && view.state.step() == v1::STEP_OWN_PATTERN) {
    std::string said = prepare::said_in_quick_repair(view.state, view.my_role);
    if (!said.empty()) return prepare::Offer{.id = 0, .part = Part::OwnPart, .text = std::move(said)};
  }
  // Opened when first needed, so what is prepared during a session counts;
  // with nothing prepared, no file is made and nothing is offered.
  if (!store_ && std::filesystem::exists(file_)) {
    std::string error;
    store_ = PrepareStore::open(file_, &error);
  }
  if (!store_) return std::nullopt;
  return prepare::offer_for(store_->list(), *part);
}

std::optional<Json> DraftOffers::notice(const NodeView& view) {
  const std::string moment = prepare::offer_moment(view.state);
  if (moment == offered_moment_) return std::nullopt;
  offered_moment_ = moment;  // Looked at once per moment, offered at most once.
  const auto found = offer(view);
  if (!found) return std::nullopt;
  const bool sendable = found->part != Part::Generous;
  const bool said = found->id == 0;
  return Json{{"event", "draft_offered"},
              {"step", v1::Step_Name(view.state.step())},
              {"part", std::string(prepare::part_name(found->part))},
              {"preparation_id", found->id},
              {"from", said ? "quick_repair" : "preparation"},
              {"text", found->text},
              {"message", said ? "Here's the part you named in the quick repair, to start from. Nothing is sent "
                                 "unless you choose: use-draft sends it as it is, or write your own."
                          : sendable ? "You prepared something for this. Nothing is sent unless you choose: "
                                       "use-draft sends it as it is, or write your own."
                                     : "You prepared a generous reading for this. It stays here, just for you."}};
}

std::variant<Intent, std::string> DraftOffers::use(const NodeView& view) const {
  const auto found = offer(view);
  if (!found) return std::string("There's no prepared draft for this moment.");
  switch (found->part) {
    case Part::Generous:
      return std::string("Your generous reading stays on this device; it's there for you to read.");
    case Part::Gesture:
      if (auto words = too_long_words(found->text, kMaxGestureBytes)) return *words;
      return intents::propose_gesture(found->text);
    case Part::What:
    case Part::Share:
    case Part::OwnPart:
    case Part::Reassure:
      // The same limit as `write`: an `error` line, nothing sent.
      if (auto words = too_long_words(found->text, kMaxTextBytes)) return *words;
      return intents::write(found->text);
  }
  return std::string("There's no prepared draft for this moment.");
}

const std::vector<EventInfo>& prepare_event_list() {
  static const std::vector<EventInfo> list = {
      {"prepare_saved", "preparation (id, created_utc, updated_utc, headline, activation, what, generous, share, "
                        "own_part, reassure, gesture)",
       "attune --headless prepare add or edit kept it"},
      {"preparations", "preparations (the latest edit first)", "answer to prepare list"},
      {"preparation", "preparation", "answer to prepare show"},
      {"prepare_removed", "id", "prepare remove took one off this device"},
      {"prepare_error", "message", "a prepare command couldn't be done; nothing was changed"},
      {"draft_offered", "step, part, preparation_id, from, text, message",
       "in a session, once per moment: this device's person is asked for a part they prepared (or, in step 7 "
       "after a quick repair, their part as they named it there); nothing is sent unless they type use-draft or "
       "write their own"},
  };
  return list;
}

}  // namespace attune::cli
