// `attune prepare ...`: preparing alone from the command line, and the
// offer of a prepared draft during a headless session. With --headless
// every answer is one JSON line (events in prepare_event_list()); without
// it, plain sentences. Nothing here touches the network: what is prepared
// stays on this device, and a draft goes into a session only when its
// person sends it (use-draft).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "attune/prepare/preparation.hpp"
#include "cli/reference.hpp"
#include "node_api.hpp"

namespace attune::prepare {
class PrepareStore;
}

namespace attune::cli {

struct PrepareCli {
  CLI::App* command = nullptr;
  CLI::App* add = nullptr;
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* edit = nullptr;
  CLI::App* remove = nullptr;
  int64_t id = 0;
  int activation = prepare::kNoActivation;
  std::map<prepare::Part, std::string> texts;
  std::map<prepare::Part, CLI::Option*> add_options, edit_options;
  CLI::Option* edit_activation = nullptr;
  int64_t now_ms = 0;  // Tests inject the clock (hidden); 0: the wall clock.
};

// Adds `prepare` and its subcommands to app.
void define_prepare_cli(CLI::App& app, PrepareCli& values);

// Runs the parsed prepare command against data_dir's preparations. Returns
// a process exit code (see ExitCode).
int run_prepare(const std::filesystem::path& data_dir, const PrepareCli& values, bool json, std::ostream& out,
                std::ostream& err);

// During a headless session: offers this device's prepared draft when the
// session asks its person for that part (a `draft_offered` line, once per
// moment), and turns `use-draft` into the intent that sends it. Reads the
// preparations on this device only; never writes them.
class DraftOffers {
 public:
  explicit DraftOffers(const std::filesystem::path& data_dir);
  ~DraftOffers();
  DraftOffers(const DraftOffers&) = delete;
  DraftOffers& operator=(const DraftOffers&) = delete;

  // The line to print when `view` reaches a moment with a draft to offer.
  std::optional<nlohmann::json> notice(const NodeView& view);
  // What `use-draft` does now: the intent to send, or why there is none.
  std::variant<Intent, std::string> use(const NodeView& view) const;
  // Lets `draft` show this moment's offer again.
  void forget_moment() { offered_moment_.clear(); }

 private:
  std::optional<prepare::Offer> offer(const NodeView& view) const;
  std::filesystem::path file_;
  mutable std::unique_ptr<prepare::PrepareStore> store_;
  std::string offered_moment_;
};

// The JSON events `attune --headless prepare` and a session's offer print.
const std::vector<EventInfo>& prepare_event_list();

}  // namespace attune::cli
